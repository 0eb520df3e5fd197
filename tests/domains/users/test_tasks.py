"""Housekeeping of refresh tokens, and what the e-mail tasks do when the account changed
between the request and the send."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from gqlauth.models import RefreshToken

from domains.users import tasks
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_purge_deletes_refresh_tokens_past_their_lifetime_only(settings):
    ada = UserFactory()
    old, fresh, rotated = (RefreshToken.from_user(ada) for _ in range(3))
    rotated.revoke()
    RefreshToken.objects.filter(pk=old.pk).update(
        created=timezone.now() - settings.REFRESH_TOKEN_LIFETIME - timedelta(minutes=1)
    )
    assert tasks.purge_refresh_tokens.delay().get() == 1
    assert set(RefreshToken.objects.values_list("pk", flat=True)) == {fresh.pk, rotated.pk}


def test_purge_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["purge-refresh-tokens"]
    assert entry["task"] == tasks.purge_refresh_tokens.name


def test_no_verification_email_to_an_account_verified_or_gone_meanwhile():
    verified = UserFactory(is_verified=True)
    gone = UserFactory(is_verified=False, is_active=False)
    for user in (verified, gone):
        tasks.send_verification_email.delay(user.pk)
    tasks.send_verification_email.delay(10**9)
    tasks.send_password_changed_email.delay(gone.pk)
    assert mail.outbox == []
