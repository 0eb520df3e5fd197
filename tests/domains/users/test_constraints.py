import pytest
from django.db import IntegrityError, transaction

from domains.users.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_unique_in_any_letter_case():
    UserFactory(email="ada@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        # Bypass the manager's normalisation: the database still refuses it.
        User.objects.bulk_create([User(email="ADA@Example.com", name="Ada")])


def test_manager_normalises_email_and_hashes_with_argon2():
    user = User.objects.create_user("  Grace@Example.COM ", "s3cret-Pass-word", name="Grace")
    assert user.email == "grace@example.com"
    assert user.password.startswith("argon2")
    assert User.objects.get_by_natural_key("GRACE@example.com") == user


def test_empty_email_is_refused():
    with pytest.raises(IntegrityError, match="user_email_not_empty"), transaction.atomic():
        User.objects.bulk_create([User(email="", name="Nobody")])
