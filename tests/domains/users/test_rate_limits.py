"""Rate limits on the account operations: per client IP and per account, a RATE_LIMITED
payload error saying when to retry, the same for accounts that exist and ones that do not,
and a fresh allowance in the next window. Counters live in Redis when REDIS_URL is set."""

import re
import time
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.cache import cache

from domains.shared import ratelimit
from domains.users.models import User
from domains.users.tokens import make_verification_token
from tests.domains.users.documents import (
    ACCOUNT_REGISTER,
    ACCOUNT_VERIFY,
    PASSWORD_CHANGE,
    PASSWORD_RESET_REQUEST,
    TOKEN_CREATE,
)
from tests.domains.users.helpers import post_from
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WINDOW = 900


@pytest.fixture
def clock(monkeypatch):
    """The rate limiter's clock, set to the start of a window (the rest of the process keeps
    the real time)."""
    now = {"t": 1_800_000_000 // WINDOW * WINDOW + 1.0}
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now["t"]))
    return now


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.RATE_LIMIT_WINDOW_SECONDS = WINDOW
    settings.RATE_LIMIT_LOGIN_PER_IP = 5
    settings.RATE_LIMIT_LOGIN_PER_ACCOUNT = 3
    settings.RATE_LIMIT_REGISTER_PER_IP = 3
    settings.RATE_LIMIT_REGISTER_PER_ACCOUNT = 2
    settings.RATE_LIMIT_PASSWORD_RESET_PER_IP = 4
    settings.RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT = 2
    settings.RATE_LIMIT_VERIFY_PER_IP = 3
    settings.RATE_LIMIT_VERIFY_PER_ACCOUNT = 2
    settings.RATE_LIMIT_PASSWORD_CHANGE_PER_ACCOUNT = 2


def errors_of(result: dict, name: str) -> list[dict]:
    assert "errors" not in result, result
    return result["data"][name]["errors"]


def is_rate_limited(errors: list[dict]) -> bool:
    return [error["code"] for error in errors] == ["RATE_LIMITED"]


def login(gql, email, password=PASSWORD, ip="10.0.0.1"):
    variables = {"input": {"email": email, "password": password}}
    return errors_of(post_from(gql, TOKEN_CREATE, variables, ip), "tokenCreate")


def test_sign_in_is_limited_per_account_even_with_the_right_password(gql, clock):
    ada = UserFactory(email="ada@example.com")
    for _ in range(3):
        assert login(gql, ada.email, "wrong-Password-1")[0]["code"] == "INVALID_CREDENTIALS"
    [error] = login(gql, "ADA@example.com", PASSWORD, ip="10.0.0.2")  # any IP, any case
    assert error["code"] == "RATE_LIMITED" and error["field"] is None
    assert re.fullmatch(r"Too many attempts\. Try again in 15 minutes\.", error["message"])
    # Another account is not affected.
    assert login(gql, UserFactory().email) == []


def test_sign_in_is_limited_per_ip_across_addresses(gql, clock):
    for n in range(5):
        assert login(gql, f"member{n}@example.net", ip="10.0.0.9")[0]["code"] == (
            "INVALID_CREDENTIALS"
        )
    assert is_rate_limited(login(gql, "member9@example.net", ip="10.0.0.9"))
    assert login(gql, UserFactory().email, ip="10.0.0.10") == []


def test_the_limit_answers_alike_for_known_and_unknown_addresses(gql, clock):
    UserFactory(email="ada@example.com")
    answers = {}
    for email in ("ada@example.com", "nobody@example.com"):
        for _ in range(3):
            login(gql, email, "wrong-Password-1", ip=f"10.1.0.{len(answers)}")
        answers[email] = login(gql, email, "wrong-Password-1", ip=f"10.1.0.{len(answers)}")
    assert answers["ada@example.com"] == answers["nobody@example.com"]
    assert is_rate_limited(answers["ada@example.com"])


def test_the_allowance_comes_back_in_the_next_window(gql, clock):
    ada = UserFactory(email="ada@example.com")
    for _ in range(3):
        login(gql, ada.email, "wrong-Password-1")
    assert is_rate_limited(login(gql, ada.email))
    clock["t"] += WINDOW - 2
    [error] = login(gql, ada.email)
    assert error["message"] == "Too many attempts. Try again in 1 second."
    clock["t"] += 2
    assert login(gql, ada.email) == []


def test_a_limit_of_zero_turns_it_off(gql, clock, settings):
    settings.RATE_LIMIT_LOGIN_PER_ACCOUNT = 0
    settings.RATE_LIMIT_LOGIN_PER_IP = 0
    ada = UserFactory()
    for _ in range(10):
        login(gql, ada.email, "wrong-Password-1")
    assert login(gql, ada.email) == []


def register(gql, email, ip):
    variables = {"input": {"email": email, "password": "sunny-Harbour-42", "name": "Ada"}}
    return errors_of(post_from(gql, ACCOUNT_REGISTER, variables, ip), "accountRegister")


def test_registration_is_limited_per_ip_and_per_address(gql, clock):
    assert register(gql, "a@example.com", "10.0.0.1") == []
    assert register(gql, "b@example.com", "10.0.0.1") == []
    assert register(gql, "c@example.com", "10.0.0.1") == []
    assert is_rate_limited(register(gql, "d@example.com", "10.0.0.1"))
    # Per address: its 2 attempts are used up (one created it, one found it taken).
    assert register(gql, "a@example.com", "10.0.0.2")[0]["code"] == "EMAIL_TAKEN"
    assert is_rate_limited(register(gql, "A@example.com", "10.0.0.3"))
    assert User.objects.count() == 3


def request_reset(gql, email, ip):
    variables = {"input": {"email": email}}
    return errors_of(post_from(gql, PASSWORD_RESET_REQUEST, variables, ip), "passwordResetRequest")


def test_reset_requests_are_limited_per_address_alike_for_unknown_ones(
    gql, clock, django_capture_on_commit_callbacks
):
    UserFactory(email="ada@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("ada@example.com", "nobody@example.com"):
            assert request_reset(gql, email, "10.0.0.1") == []
            assert request_reset(gql, email, "10.0.0.2") == []
            assert is_rate_limited(request_reset(gql, email, "10.0.0.3"))
    assert len(mail.outbox) == 2  # the limited request sent nothing


def test_reset_requests_are_limited_per_ip(gql, clock):
    for n in range(4):
        assert request_reset(gql, f"m{n}@example.com", "10.0.0.7") == []
    assert is_rate_limited(request_reset(gql, "m9@example.com", "10.0.0.7"))


def verify(gql, token, ip):
    return errors_of(
        post_from(gql, ACCOUNT_VERIFY, {"input": {"token": token}}, ip), "accountVerify"
    )


def test_verification_is_limited_per_ip_for_guessed_tokens(gql, clock):
    for _ in range(3):
        assert verify(gql, "guess", "10.0.0.5")[0]["code"] == "TOKEN_INVALID"
    ada = UserFactory(is_verified=False)
    assert is_rate_limited(verify(gql, make_verification_token(ada), "10.0.0.5"))
    assert verify(gql, make_verification_token(ada), "10.0.0.6") == []


def test_verification_is_limited_per_account(gql, clock):
    ada = UserFactory(is_verified=False)
    token = make_verification_token(ada)
    assert verify(gql, token, "10.0.0.1") == []
    assert verify(gql, token, "10.0.0.2")[0]["code"] == "ALREADY_VERIFIED"
    assert is_rate_limited(verify(gql, token, "10.0.0.3"))


def test_password_change_is_limited_per_account(gql, clock):
    ada = UserFactory()
    variables = {"input": {"oldPassword": "guess-Password-1", "newPassword": "brand-New-77"}}
    for _ in range(2):
        result = gql.login(ada)(PASSWORD_CHANGE, variables)
        assert errors_of(result, "passwordChange")[0]["code"] == "INVALID_CREDENTIALS"
    variables["input"]["oldPassword"] = PASSWORD
    assert is_rate_limited(errors_of(gql(PASSWORD_CHANGE, variables), "passwordChange"))
    ada.refresh_from_db()
    assert ada.check_password(PASSWORD)


def test_the_client_ip_behind_a_trusted_proxy_is_the_one_counted(gql, clock, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    ada = UserFactory()
    forged = "1.2.3.4, "  # a client-supplied entry, ignored

    def attempt(client_ip):
        variables = {"input": {"email": f"x{client_ip}@example.com", "password": "x"}}
        return gql.http.post(
            "/graphql/",
            {"query": TOKEN_CREATE, "variables": variables},
            content_type="application/json",
            secure=True,
            headers={"X-Forwarded-For": forged + client_ip},
        ).json()["data"]["tokenCreate"]["errors"]

    for _ in range(5):
        attempt("203.0.113.7")
    assert is_rate_limited(attempt("203.0.113.7"))
    assert login(gql, ada.email, ip="127.0.0.1") == []  # the proxy's own address is not limited
    assert attempt("203.0.113.8")[0]["code"] == "INVALID_CREDENTIALS"


def test_counters_live_in_redis_and_expire(gql, clock):
    if not hasattr(cache, "ttl"):
        pytest.skip("needs Redis (set REDIS_URL)")
    login(gql, "ada@example.com", "wrong-Password-1")
    keys = cache.keys("ratelimit:login:*")
    assert len(keys) == 2  # one per IP, one per account
    for key in keys:
        assert cache.get(key) == 1
        assert 0 < cache.ttl(key) <= WINDOW + 1


def test_the_limit_resets_in_real_time(gql, settings):
    """No patched clock: the counters (in Redis with REDIS_URL) and their windows as deployed,
    with a 2-second window."""
    settings.RATE_LIMIT_WINDOW_SECONDS = 2
    settings.RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT = 2
    while time.time() % 2 > 0.2:  # start at the beginning of a window
        time.sleep(0.05)
    assert request_reset(gql, "ada@example.com", "10.0.0.1") == []
    assert request_reset(gql, "ada@example.com", "10.0.0.1") == []
    assert is_rate_limited(request_reset(gql, "ada@example.com", "10.0.0.1"))
    time.sleep(2 - time.time() % 2 + 0.05)  # into the next window
    assert request_reset(gql, "ada@example.com", "10.0.0.1") == []
