"""accountRegister: a new account, its verification e-mail, and every refusal."""

import threading

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core import mail
from django.db import connection
from gqlauth.models import UserStatus
from strawberry.relay import to_base64

from domains.shared.errors import DomainError
from domains.users import selectors, services
from domains.users.models import User
from tests.domains.users.documents import ACCOUNT_REGISTER, error_codes, payload
from tests.domains.users.helpers import link_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = "sunny-Harbour-lamp-42"


def register(gql, **fields):
    variables = {"input": {"email": "ada@example.com", "password": GOOD, "name": "Ada", **fields}}
    return payload(gql(ACCOUNT_REGISTER, variables), "accountRegister")


def test_register_creates_an_unverified_account_and_sends_the_verification_link(
    gql, django_capture_on_commit_callbacks, settings
):
    settings.FRONTEND_URL = "https://www.rental.example"
    with django_capture_on_commit_callbacks(execute=True):
        data = register(gql, email="  Ada.Lovelace@Example.COM ", name=" Ada ")
    user = User.objects.get()
    assert data == {
        "user": {
            "id": to_base64("User", user.pk),
            # The payload returns the account to its owner: private fields filled.
            "email": "ada.lovelace@example.com",
            "name": "Ada",
            "isHost": False,
        },
        "errors": [],
    }
    assert user.email == "ada.lovelace@example.com"
    assert not user.is_verified and user.is_active
    assert user.password.startswith("argon2") and user.check_password(GOOD)
    # gqlauth's UserStatus is not used: `is_verified` is the one truth.
    assert not UserStatus.objects.exists()
    [message] = mail.outbox
    assert message.to == ["ada.lovelace@example.com"]
    assert message.subject == "Confirm your e-mail address"
    assert "https://www.rental.example/verify-email?token=" in message.body
    assert link_token(message.body, "verify-email")


def test_register_as_host(gql):
    assert register(gql, isHost=True)["user"]["isHost"] is True
    assert User.objects.get().is_host


def test_the_email_is_sent_only_after_commit(gql, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        register(gql)
    assert mail.outbox == [] and len(callbacks) == 1


@pytest.mark.parametrize("taken", ["ada@example.com", "ADA@example.com", "Ada@Example.Com"])
def test_a_taken_address_in_any_letter_case_is_email_taken(gql, taken):
    UserFactory(email="ada@example.com")
    data = register(gql, email=taken)
    assert data["user"] is None
    assert error_codes(data) == [("email", "EMAIL_TAKEN")]
    assert User.objects.count() == 1


def test_a_registration_race_caught_by_the_database_is_email_taken(gql, monkeypatch):
    """The other registration committed between the check and the insert: the unique index
    on LOWER(email) refuses the row, and the answer is still EMAIL_TAKEN (never a 500)."""
    User.objects.bulk_create([User(email="ADA@example.com", name="First")])
    monkeypatch.setattr(services.selectors, "email_taken", _taken_only_after_first_call())
    data = register(gql, email="ada@example.com")
    assert error_codes(data) == [("email", "EMAIL_TAKEN")]
    assert User.objects.count() == 1


def _taken_only_after_first_call():
    calls = []

    def email_taken(email):
        calls.append(email)
        return len(calls) > 1 and selectors.users_by_email(email).exists()

    return email_taken


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_of_one_address_create_one_account(on_postgres):
    outcomes = []
    barrier = threading.Barrier(2)

    def attempt(email):
        try:
            barrier.wait(timeout=10)
            services.account_register(email=email, password=GOOD, name="Ada")
            outcomes.append("created")
        except DomainError as error:
            # The pre-check (ValidationFailed) or the unique index (EmailTaken), by timing.
            outcomes.append(error.code.name)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(email,))
        for email in ("ada@example.com", "ADA@EXAMPLE.COM")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["EMAIL_TAKEN", "created"]
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "email", ["", "   ", "not-an-address", "ada@", "@example.com", "a b@example.com"]
)
def test_an_invalid_address_is_refused(gql, email):
    data = register(gql, email=email)
    assert data["user"] is None
    [(field, code)] = error_codes(data)
    assert field == "email" and code in ("INVALID", "REQUIRED")
    assert not User.objects.exists()


def test_an_overlong_address_is_invalid(gql):
    data = register(gql, email="a" * 250 + "@example.com")
    assert error_codes(data) == [("email", "INVALID")]


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short1!", "too short"),
        ("password123", "too common"),
        ("4839201746", "entirely numeric"),
        ("ada.lovelace.x", "too similar"),
    ],
)
def test_a_weak_password_is_refused_with_the_validators_message(gql, password, fragment):
    data = register(gql, email="ada.lovelace@example.com", password=password)
    [error] = data["errors"]
    assert (error["field"], error["code"]) == ("password", "PASSWORD_TOO_WEAK")
    assert fragment in error["message"]
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "REQUIRED"),
        ("   ", "REQUIRED"),
        ("x" * 151, "INVALID"),
        ("Ada\x00", "INVALID"),
        ("A\nB", "INVALID"),
    ],
)
def test_a_missing_or_overlong_name_is_refused(gql, name, code):
    assert error_codes(register(gql, name=name)) == [("name", code)]


def test_every_problem_is_reported_at_once(gql):
    UserFactory(email="ada@example.com")
    data = register(gql, email="ADA@example.com", name="", password="123")
    assert {field for field, _ in error_codes(data)} == {"email", "name", "password"}


def test_the_password_is_hashed_whether_or_not_the_address_is_taken(gql, monkeypatch):
    """Registration hashes before it looks the address up: a taken address answers no faster
    than a free one."""
    hashed = []
    original = Argon2PasswordHasher.encode

    def spy(self, password, salt):
        hashed.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(Argon2PasswordHasher, "encode", spy)
    UserFactory(email="ada@example.com")
    hashed.clear()
    register(gql, email="ada@example.com")
    assert hashed == [GOOD]
    register(gql, email="grace@example.com")
    assert hashed == [GOOD, GOOD]
