"""accountVerify and accountVerifyResend: confirming an address with the e-mailed token."""

import time
from types import SimpleNamespace

import pytest
from django.core import mail, signing
from gqlauth.core.constants import TokenAction
from gqlauth.core.utils import get_token
from strawberry.relay import to_base64

from domains.users.models import User
from domains.users.tokens import make_verification_token
from tests.domains.users.documents import (
    ACCOUNT_REGISTER,
    ACCOUNT_VERIFY,
    ACCOUNT_VERIFY_RESEND,
    error_codes,
    payload,
)
from tests.domains.users.helpers import link_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def verify(gql, token):
    return payload(gql(ACCOUNT_VERIFY, {"input": {"token": token}}), "accountVerify")


def test_the_link_of_the_registration_email_verifies_the_account(
    gql, django_capture_on_commit_callbacks
):
    variables = {
        "input": {"email": "ada@example.com", "password": "sunny-Harbour-42", "name": "Ada"}
    }
    with django_capture_on_commit_callbacks(execute=True):
        gql(ACCOUNT_REGISTER, variables)
    token = link_token(mail.outbox[0].body, "verify-email")

    data = verify(gql, token)  # signed out: the link may open in any browser

    user = data["user"]
    assert data["errors"] == []
    assert user["email"] == "ada@example.com" and user["isVerified"] is True
    assert User.objects.get(email="ada@example.com").is_verified


def test_an_unverified_account_can_sign_in_and_sees_its_state(gql):
    ada = UserFactory(is_verified=False)
    assert gql.login(ada)("{ me { isVerified } }")["data"]["me"] == {"isVerified": False}
    verify(gql, make_verification_token(ada))
    assert gql("{ me { isVerified } }")["data"]["me"] == {"isVerified": True}


def test_verifying_twice_is_already_verified(gql):
    ada = UserFactory(is_verified=False)
    token = make_verification_token(ada)
    assert verify(gql, token)["errors"] == []
    data = verify(gql, token)
    assert data["user"] is None
    assert error_codes(data) == [(None, "ALREADY_VERIFIED")]


def test_an_expired_token_is_token_expired(gql, monkeypatch, settings):
    ada = UserFactory(is_verified=False)
    issued = time.time() - settings.ACCOUNT_VERIFY_TOKEN_LIFETIME.total_seconds() - 60
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: issued))
    token = make_verification_token(ada)
    monkeypatch.undo()
    data = verify(gql, token)
    assert error_codes(data) == [(None, "TOKEN_EXPIRED")]
    ada.refresh_from_db()
    assert not ada.is_verified


def _tampered(token: str) -> str:
    # Change a character of the signed value (the e-mail address part).
    index = 5
    return token[:index] + ("A" if token[index] != "A" else "B") + token[index + 1 :]


@pytest.mark.parametrize(
    "make_bad_token",
    [
        lambda user: _tampered(make_verification_token(user)),
        lambda user: make_verification_token(user)[:-3],
        lambda user: make_verification_token(user) + "x",
        lambda user: get_token(user, TokenAction.PASSWORD_RESET),  # another purpose
        lambda user: signing.dumps({"email": user.email}),  # no purpose at all
        lambda user: signing.dumps(["email", user.email]),
        lambda user: "",
        lambda user: "garbage",
        lambda user: "x" * 5000,
    ],
)
def test_a_tampered_or_foreign_token_is_token_invalid(gql, make_bad_token):
    ada = UserFactory(is_verified=False)
    data = verify(gql, make_bad_token(ada))
    assert data["user"] is None
    assert error_codes(data) == [(None, "TOKEN_INVALID")]
    ada.refresh_from_db()
    assert not ada.is_verified


def test_a_token_of_a_deactivated_account_is_token_invalid(gql):
    ada = UserFactory(is_verified=False)
    token = make_verification_token(ada)
    ada.is_active = False
    ada.save()
    assert error_codes(verify(gql, token)) == [(None, "TOKEN_INVALID")]


def test_the_payload_shows_private_fields_to_the_token_holder_only_there(gql):
    ada = UserFactory(is_verified=False, email="ada@example.com")
    data = verify(gql, make_verification_token(ada))
    assert data["user"] == {
        "id": to_base64("User", ada.pk),
        "email": "ada@example.com",
        "isVerified": True,
    }
    query = "query ($id: ID!) { node(id: $id) { ... on User { email isVerified } } }"
    node = gql(query, {"id": to_base64("User", ada.pk)})["data"]["node"]
    assert node == {"email": None, "isVerified": None}


def resend(gql, email):
    return payload(gql(ACCOUNT_VERIFY_RESEND, {"input": {"email": email}}), "accountVerifyResend")


def test_resend_mails_a_new_link_to_an_unverified_account(gql, django_capture_on_commit_callbacks):
    ada = UserFactory(is_verified=False, email="ada@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        assert resend(gql, "ADA@example.com") == {"errors": []}
    [message] = mail.outbox
    assert message.to == ["ada@example.com"]
    assert verify(gql, link_token(message.body, "verify-email"))["errors"] == []
    ada.refresh_from_db()
    assert ada.is_verified


def test_resend_answers_the_same_for_unknown_and_verified_addresses_and_sends_nothing(
    gql, django_capture_on_commit_callbacks
):
    UserFactory(is_verified=True, email="grace@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        assert resend(gql, "nobody@example.com") == {"errors": []}
        assert resend(gql, "grace@example.com") == {"errors": []}
    assert mail.outbox == []


def test_resend_refuses_a_malformed_address(gql):
    assert error_codes(resend(gql, "nope")) == [("email", "INVALID")]
