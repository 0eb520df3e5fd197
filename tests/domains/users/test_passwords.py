"""passwordChange, passwordResetRequest and passwordReset."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from gqlauth.models import RefreshToken

from domains.users.tokens import make_password_reset_token, reset_tokens
from tests.domains.users.documents import (
    PASSWORD_CHANGE,
    PASSWORD_RESET,
    PASSWORD_RESET_REQUEST,
    TOKEN_CREATE,
    TOKEN_REFRESH,
    error_codes,
    payload,
)
from tests.domains.users.helpers import link_token
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW = "brand-New-lantern-77"


def sign_in(gql, email, password=PASSWORD):
    variables = {"input": {"email": email, "password": password}}
    return payload(gql(TOKEN_CREATE, variables), "tokenCreate")


def refresh_errors(gql, token):
    data = payload(gql(TOKEN_REFRESH, {"input": {"refreshToken": token}}), "tokenRefresh")
    return error_codes(data)


def change(gql, old, new, token):
    variables = {"input": {"oldPassword": old, "newPassword": new}}
    return payload(gql(PASSWORD_CHANGE, variables, token=token), "passwordChange")


# --- passwordChange --------------------------------------------------------------------------


def test_change_sets_the_password_ends_other_sessions_and_keeps_this_device_signed_in(
    gql, django_capture_on_commit_callbacks
):
    ada = UserFactory(email="ada@example.com")
    this_device, other_device = sign_in(gql, ada.email), sign_in(gql, ada.email)
    with django_capture_on_commit_callbacks(execute=True):
        data = change(gql, PASSWORD, NEW, token=this_device["accessToken"])
    assert data["errors"] == []
    ada.refresh_from_db()
    assert ada.check_password(NEW)
    # Every earlier session ends; the other device's next refresh is refused without
    # setting off the replay alarm, so the new session of this device goes on.
    assert refresh_errors(gql, other_device["refreshToken"]) == [(None, "TOKEN_INVALID")]
    assert refresh_errors(gql, this_device["refreshToken"]) == [(None, "TOKEN_INVALID")]
    assert refresh_errors(gql, data["refreshToken"]) == []
    assert gql("{ me { email } }", token=data["accessToken"])["data"]["me"]
    assert sign_in(gql, ada.email, NEW)["errors"] == []
    assert error_codes(sign_in(gql, ada.email, PASSWORD)) == [(None, "INVALID_CREDENTIALS")]
    [notice] = mail.outbox
    assert notice.to == ["ada@example.com"] and notice.subject == "Your password was changed"


def test_change_with_a_wrong_current_password_is_refused(gql):
    ada = UserFactory()
    session = sign_in(gql, ada.email)
    data = change(gql, "not-my-Password-1", NEW, token=session["accessToken"])
    assert error_codes(data) == [("oldPassword", "INVALID_CREDENTIALS")]
    assert data["accessToken"] is None
    ada.refresh_from_db()
    assert ada.check_password(PASSWORD)
    assert refresh_errors(gql, session["refreshToken"]) == []  # nothing ended


@pytest.mark.parametrize("weak", ["short", "password", "12345678901"])
def test_change_to_a_weak_password_is_refused(gql, weak):
    ada = UserFactory()
    data = change(gql, PASSWORD, weak, token=sign_in(gql, ada.email)["accessToken"])
    [(field, code)] = error_codes(data)
    assert (field, code) == ("newPassword", "PASSWORD_TOO_WEAK")
    ada.refresh_from_db()
    assert ada.check_password(PASSWORD)


def test_change_needs_a_signed_in_member(gql):
    result = gql(PASSWORD_CHANGE, {"input": {"oldPassword": PASSWORD, "newPassword": NEW}})
    assert result["data"] is None
    assert result["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}


# --- passwordResetRequest --------------------------------------------------------------------


def request_reset(gql, email):
    result = gql(PASSWORD_RESET_REQUEST, {"input": {"email": email}})
    return payload(result, "passwordResetRequest")


def test_a_reset_request_mails_a_link_to_the_account(
    gql, django_capture_on_commit_callbacks, settings
):
    settings.FRONTEND_URL = "https://www.rental.example/"
    UserFactory(email="ada@example.com", name="Ada O'Hara & Co")
    with django_capture_on_commit_callbacks(execute=True):
        assert request_reset(gql, " ADA@example.com") == {"errors": []}
    [message] = mail.outbox
    assert message.to == ["ada@example.com"]
    assert message.subject == "Reset your password"
    assert "https://www.rental.example/reset-password?token=" in message.body
    assert "Hello Ada O'Hara & Co," in message.body  # plain text: nothing HTML-escaped
    assert link_token(message.body, "reset-password")


@pytest.mark.parametrize("who", ["unknown", "deactivated"])
def test_a_reset_request_answers_the_same_when_there_is_nobody_to_write_to(
    gql, django_capture_on_commit_callbacks, who
):
    UserFactory(email="ada@example.com", is_active=False)
    email = "nobody@example.com" if who == "unknown" else "ada@example.com"
    with django_capture_on_commit_callbacks(execute=True):
        assert request_reset(gql, email) == {"errors": []}
    assert mail.outbox == []


def test_a_reset_request_with_a_malformed_address_is_invalid(gql):
    assert error_codes(request_reset(gql, "not an address")) == [("email", "INVALID")]


# --- passwordReset ---------------------------------------------------------------------------


def reset(gql, token, new=NEW):
    result = gql(PASSWORD_RESET, {"input": {"token": token, "newPassword": new}})
    return payload(result, "passwordReset")


def test_the_mailed_token_sets_a_new_password_once_and_ends_every_session(
    gql, django_capture_on_commit_callbacks
):
    ada = UserFactory(email="ada@example.com", is_verified=False)
    session = sign_in(gql, ada.email)
    with django_capture_on_commit_callbacks(execute=True):
        request_reset(gql, ada.email)
    token = link_token(mail.outbox[0].body, "reset-password")

    with django_capture_on_commit_callbacks(execute=True):
        assert reset(gql, token) == {"errors": []}

    ada.refresh_from_db()
    assert ada.check_password(NEW)
    assert ada.is_verified  # the link reached the address
    assert not RefreshToken.objects.filter(user=ada, revoked__isnull=True).exists()
    assert refresh_errors(gql, session["refreshToken"]) == [(None, "TOKEN_INVALID")]
    assert mail.outbox[-1].subject == "Your password was changed"
    # Single use: the token's hash covers the password, which changed.
    assert error_codes(reset(gql, token, "another-Fresh-pass-8")) == [(None, "TOKEN_INVALID")]
    ada.refresh_from_db()
    assert ada.check_password(NEW)


def test_an_expired_reset_token_is_token_expired(gql, monkeypatch, settings):
    ada = UserFactory()
    issued = datetime.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(reset_tokens, "_now", lambda: issued)
    token = make_password_reset_token(ada)
    monkeypatch.undo()
    assert error_codes(reset(gql, token)) == [(None, "TOKEN_EXPIRED")]
    ada.refresh_from_db()
    assert ada.check_password(PASSWORD)


def test_a_token_issued_before_a_sign_in_no_longer_works(gql):
    ada = UserFactory()
    token = make_password_reset_token(ada)
    sign_in(gql, ada.email)  # the last login is part of the token's hash
    assert error_codes(reset(gql, token)) == [(None, "TOKEN_INVALID")]


def _flip_last(token: str) -> str:
    return token[:-1] + ("a" if token[-1] != "a" else "b")


@pytest.mark.parametrize(
    "make_bad_token",
    [
        lambda user, other: _flip_last(make_password_reset_token(user)),
        # another account's id with this account's token
        lambda user, other: (
            make_password_reset_token(other).split(".")[0]
            + "."
            + make_password_reset_token(user).split(".")[1]
        ),
        lambda user, other: make_password_reset_token(user).split(".")[1],  # no account id
        lambda user, other: "Zm9v." + make_password_reset_token(user).split(".")[1],
        lambda user, other: "OTk5OTk5OTk5." + make_password_reset_token(user).split(".")[1],
        lambda user, other: "MA." + make_password_reset_token(user).split(".")[1],
        lambda user, other: "%%%." + make_password_reset_token(user).split(".")[1],
        lambda user, other: make_password_reset_token(user).split("-")[0],
        lambda user, other: "",
        lambda user, other: "." * 3,
        lambda user, other: "x" * 5000,
    ],
)
def test_a_tampered_or_malformed_reset_token_is_token_invalid(gql, make_bad_token):
    ada, grace = UserFactory(), UserFactory()
    assert error_codes(reset(gql, make_bad_token(ada, grace))) == [(None, "TOKEN_INVALID")]
    for user in (ada, grace):
        user.refresh_from_db()
        assert user.check_password(PASSWORD)


def test_a_weak_new_password_is_refused_and_the_token_still_works(gql):
    ada = UserFactory()
    token = make_password_reset_token(ada)
    data = reset(gql, token, new="123")
    [(field, code)] = error_codes(data)
    assert (field, code) == ("newPassword", "PASSWORD_TOO_WEAK")
    assert reset(gql, token) == {"errors": []}


def test_a_token_of_a_deactivated_account_is_token_invalid(gql):
    ada = UserFactory()
    token = make_password_reset_token(ada)
    ada.is_active = False
    ada.save()
    assert error_codes(reset(gql, token)) == [(None, "TOKEN_INVALID")]
