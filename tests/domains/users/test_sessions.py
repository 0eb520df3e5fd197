"""Sessions: tokenCreate (sign in), tokenRefresh (rotation, replay detection), tokenRevoke
(sign out), and requests authenticated by the access token."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection
from django.utils import timezone
from gqlauth.jwt.types_ import TokenType
from gqlauth.models import RefreshToken
from strawberry.relay import to_base64

from domains.shared.errors import DomainError
from domains.users import services
from tests.domains.users.documents import (
    ACCOUNT_UPDATE,
    TOKEN_CREATE,
    TOKEN_REFRESH,
    TOKEN_REVOKE,
    error_codes,
    payload,
)
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ME = "{ me { id email } }"


def sign_in(gql, email, password=PASSWORD):
    variables = {"input": {"email": email, "password": password}}
    return payload(gql(TOKEN_CREATE, variables), "tokenCreate")


def refresh(gql, token):
    return payload(gql(TOKEN_REFRESH, {"input": {"refreshToken": token}}), "tokenRefresh")


def revoke(gql, token):
    return payload(gql(TOKEN_REVOKE, {"input": {"refreshToken": token}}), "tokenRevoke")


def test_sign_in_returns_tokens_that_authenticate_requests(gql):
    ada = UserFactory(email="ada@example.com", name="Ada", is_host=True)
    data = sign_in(gql, "ADA@example.com ")
    assert data["errors"] == []
    assert data["user"] == {
        "id": to_base64("User", ada.pk),
        "email": "ada@example.com",
        "name": "Ada",
        "isHost": True,
    }
    assert gql(ME, token=data["accessToken"])["data"]["me"]["email"] == "ada@example.com"
    assert RefreshToken.objects.get(token=data["refreshToken"]).user == ada
    ada.refresh_from_db()
    assert ada.last_login is not None


def test_the_authorization_scheme_is_case_insensitive(gql):
    ada = UserFactory()
    token = sign_in(gql, ada.email)["accessToken"]
    result = gql(ME, headers={"Authorization": f"bearer {token}"})
    assert result["data"]["me"]["id"] == to_base64("User", ada.pk)


def test_an_unverified_account_can_sign_in(gql):
    ada = UserFactory(is_verified=False)
    assert sign_in(gql, ada.email)["accessToken"]


@pytest.mark.parametrize("case", ["wrong password", "unknown address", "deactivated", "empty"])
def test_every_failed_sign_in_gets_the_same_answer(gql, case):
    ada = UserFactory(email="ada@example.com", is_active=case != "deactivated")
    email, password = {
        "wrong password": (ada.email, "wrong-Password-1"),
        "unknown address": ("nobody@example.com", PASSWORD),
        "deactivated": (ada.email, PASSWORD),
        "empty": ("", ""),
    }[case]
    data = sign_in(gql, email, password)
    assert data == {
        "accessToken": None,
        "refreshToken": None,
        "user": None,
        "errors": [
            {
                "field": None,
                "code": "INVALID_CREDENTIALS",
                "message": "The e-mail address or the password is wrong.",
            }
        ],
    }
    assert not RefreshToken.objects.exists()


def test_an_unknown_address_costs_a_password_hash_like_a_known_one(gql, monkeypatch):
    """No timing difference to learn who has an account: both hash the password once."""
    ada = UserFactory(email="ada@example.com")
    hashes = []
    encode, verify = Argon2PasswordHasher.encode, Argon2PasswordHasher.verify
    monkeypatch.setattr(
        Argon2PasswordHasher, "encode", lambda s, p, salt: hashes.append("h") or encode(s, p, salt)
    )
    monkeypatch.setattr(
        Argon2PasswordHasher, "verify", lambda s, p, e: hashes.append("h") or verify(s, p, e)
    )
    sign_in(gql, "nobody@example.com", "wrong-Password-1")
    assert hashes == ["h"]
    sign_in(gql, ada.email, "wrong-Password-1")
    assert hashes == ["h", "h"]


def test_refresh_rotates_the_pair_and_the_old_refresh_token_stops_working(gql):
    ada = UserFactory()
    first = sign_in(gql, ada.email)
    second = refresh(gql, first["refreshToken"])
    assert second["errors"] == []
    assert second["refreshToken"] != first["refreshToken"]
    assert gql(ME, token=second["accessToken"])["data"]["me"]["id"] == to_base64("User", ada.pk)
    assert RefreshToken.objects.get(token=first["refreshToken"]).revoked is not None
    assert RefreshToken.objects.get(token=second["refreshToken"]).revoked is None


def test_replaying_a_rotated_refresh_token_ends_every_session_of_the_account(gql):
    """A used refresh token presented again means two parties hold the session (a stolen
    copy): both lose it, and every other session of the account ends too."""
    ada = UserFactory()
    other = UserFactory()
    other_session = sign_in(gql, other.email)
    laptop = sign_in(gql, ada.email)
    phone = sign_in(gql, ada.email)
    rotated = refresh(gql, laptop["refreshToken"])

    replay = refresh(gql, laptop["refreshToken"])

    assert replay["accessToken"] is None and replay["refreshToken"] is None
    assert error_codes(replay) == [(None, "TOKEN_INVALID")]
    for session in (rotated, phone):
        assert error_codes(refresh(gql, session["refreshToken"])) == [(None, "TOKEN_INVALID")]
    assert not RefreshToken.objects.filter(user=ada, revoked__isnull=True).exists()
    # Other accounts are not touched.
    assert refresh(gql, other_session["refreshToken"])["errors"] == []


def test_an_expired_refresh_token_is_token_expired(gql, settings):
    ada = UserFactory()
    session = sign_in(gql, ada.email)
    RefreshToken.objects.filter(token=session["refreshToken"]).update(
        created=timezone.now() - settings.REFRESH_TOKEN_LIFETIME - timedelta(seconds=1)
    )
    data = refresh(gql, session["refreshToken"])
    assert data["accessToken"] is None
    assert error_codes(data) == [(None, "TOKEN_EXPIRED")]


@pytest.mark.parametrize(
    "token", ["", "nope", "0" * 64, "x" * 300, "ab\x00cd", "ab/../cd", "é" * 8]
)
def test_an_unknown_or_malformed_refresh_token_is_token_invalid(gql, token):
    UserFactory()
    assert error_codes(refresh(gql, token)) == [(None, "TOKEN_INVALID")]


def test_a_tampered_refresh_token_is_token_invalid(gql):
    session = sign_in(gql, UserFactory().email)
    token = session["refreshToken"]
    tampered = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert error_codes(refresh(gql, tampered)) == [(None, "TOKEN_INVALID")]


def test_a_deactivated_account_cannot_refresh(gql):
    ada = UserFactory()
    session = sign_in(gql, ada.email)
    ada.is_active = False
    ada.save()
    assert error_codes(refresh(gql, session["refreshToken"])) == [(None, "TOKEN_INVALID")]
    assert gql(ME, token=session["accessToken"])["data"]["me"] is None


def test_sign_out_revokes_the_refresh_token_only_of_that_session(gql):
    ada = UserFactory()
    laptop, phone = sign_in(gql, ada.email), sign_in(gql, ada.email)
    assert revoke(gql, laptop["refreshToken"]) == {"errors": []}
    assert error_codes(refresh(gql, laptop["refreshToken"])) == [(None, "TOKEN_INVALID")]
    assert refresh(gql, phone["refreshToken"])["errors"] == []


def test_signing_out_twice_or_with_an_unknown_token_is_not_an_error(gql):
    session = sign_in(gql, UserFactory().email)
    assert revoke(gql, session["refreshToken"]) == {"errors": []}
    assert revoke(gql, session["refreshToken"]) == {"errors": []}
    assert revoke(gql, "unknown") == {"errors": []}
    assert revoke(gql, "ab\x00cd") == {"errors": []}


def test_an_address_with_a_nul_character_is_just_wrong_credentials(gql):
    UserFactory(email="ada@example.com")
    data = sign_in(gql, "ada\x00@example.com")
    assert error_codes(data) == [(None, "INVALID_CREDENTIALS")]


def test_an_expired_access_token_reads_as_signed_out(gql, settings):
    ada = UserFactory()
    settings.GQL_AUTH.JWT_EXPIRATION_DELTA = timedelta(seconds=-1)
    try:
        expired = TokenType.from_user(ada).token
    finally:
        settings.GQL_AUTH.JWT_EXPIRATION_DELTA = settings.ACCESS_TOKEN_LIFETIME
    assert gql(ME, token=expired) == {"data": {"me": None}}
    result = gql(ACCOUNT_UPDATE, {"input": {"name": "X"}}, token=expired)
    assert result["data"] is None
    assert result["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}


@pytest.mark.parametrize(
    "make_token",
    [
        lambda token: token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),  # signature
        lambda token: token.split(".")[0] + ".e30." + token.split(".")[2],  # payload swapped
        lambda token: token + "x",
        lambda token: "not.a.jwt",
    ],
)
def test_a_tampered_access_token_is_unauthenticated(gql, make_token):
    ada = UserFactory()
    token = make_token(TokenType.from_user(ada).token)
    assert gql(ME, token=token) == {"data": {"me": None}}
    result = gql(ACCOUNT_UPDATE, {"input": {"name": "X"}}, token=token)
    assert result["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}


def test_an_access_token_signed_with_another_key_is_refused(gql, settings):
    import jwt

    ada = UserFactory()
    payload_ = jwt.decode(TokenType.from_user(ada).token, settings.SECRET_KEY, algorithms=["HS256"])
    forged = jwt.encode(payload_, "another-secret-key-with-enough-bytes-for-hs256", "HS256")
    assert gql(ME, token=forged) == {"data": {"me": None}}


@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_with_one_token_issue_one_new_pair(on_postgres):
    """The row lock serialises them: one rotates; the other then finds the token revoked
    (a replay) and ends the account's sessions."""
    ada = UserFactory()
    token = RefreshToken.from_user(ada).token
    outcomes = []
    barrier = threading.Barrier(2)

    def attempt():
        try:
            barrier.wait(timeout=10)
            services.token_refresh(refresh_token=token)
            outcomes.append("rotated")
        except DomainError as error:
            outcomes.append(error.code.name)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["TOKEN_INVALID", "rotated"]
    # Two new tokens can never come out of one; the replay revoked the one issued.
    assert RefreshToken.objects.filter(user=ada).count() == 2
    assert not RefreshToken.objects.filter(user=ada, revoked__isnull=True).exists()
