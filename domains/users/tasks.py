"""Account e-mails and housekeeping, run by Celery workers (scheduled after commit).

The e-mail tasks look the account up themselves: a request answers the same whether or not an
account exists, and the token in a mail is made when the mail is sent.
"""

from datetime import timedelta
from urllib.parse import urlencode

from celery import shared_task
from django.conf import settings

from domains.shared.email import send_templated_email
from domains.users import selectors
from domains.users.models import User
from domains.users.tokens import make_password_reset_token, make_verification_token

# SMTP failures (smtplib's errors are OSErrors) are retried with backoff.
EMAIL_TASK = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


def _link(path: str, token: str) -> str:
    return f"{settings.FRONTEND_URL.rstrip('/')}/{path}?{urlencode({'token': token})}"


def _days(delta: timedelta) -> int:
    return max(1, round(delta.total_seconds() / 86400))


def _send_verification(user: User) -> None:
    send_templated_email(
        to=user.email,
        template="verify_email",
        context={
            "name": user.name,
            "link": _link("verify-email", make_verification_token(user)),
            "days": _days(settings.ACCOUNT_VERIFY_TOKEN_LIFETIME),
        },
    )


@shared_task(**EMAIL_TASK)
def send_verification_email(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True, is_verified=False).first()
    if user is not None:
        _send_verification(user)


@shared_task(**EMAIL_TASK)
def resend_verification_email(email: str) -> None:
    user = selectors.active_user_by_email(email)
    if user is not None and not user.is_verified:
        _send_verification(user)


@shared_task(**EMAIL_TASK)
def send_password_reset_email(email: str) -> None:
    user = selectors.active_user_by_email(email)
    if user is None:
        return  # nobody to write to; the request got the same answer anyway
    send_templated_email(
        to=user.email,
        template="password_reset",
        context={
            "name": user.name,
            "link": _link("reset-password", make_password_reset_token(user)),
            "minutes": max(1, settings.PASSWORD_RESET_TIMEOUT // 60),
        },
    )


@shared_task(**EMAIL_TASK)
def send_password_changed_email(user_id: int) -> None:
    """Tell the owner, so a change they did not make does not go unnoticed."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        send_templated_email(
            to=user.email,
            template="password_changed",
            context={"name": user.name},
        )


@shared_task
def purge_refresh_tokens() -> int:
    from domains.users.services import refresh_tokens_purge

    return refresh_tokens_purge()
