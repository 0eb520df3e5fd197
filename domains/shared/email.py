"""Sending the product's e-mails (always from Celery tasks, after the transaction commits)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_templated_email(*, to: str, template: str, context: dict) -> None:
    """Render `emails/<template>_subject.txt` and `emails/<template>.txt` and send them."""
    context = {"frontend_url": settings.FRONTEND_URL, **context}
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"emails/{template}.txt", context)
    EmailMultiAlternatives(subject=subject, body=body, to=[to]).send()
