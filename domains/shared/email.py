"""Sending the product's e-mails (always from Celery tasks, after the transaction commits)."""

from functools import cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine


@cache
def _text_engine() -> Engine:
    # Plain-text e-mails: HTML escaping would turn a guest's "Tom & Jerry" into "&amp;".
    return Engine(dirs=[str(settings.BASE_DIR / "backend" / "templates")], autoescape=False)


def render_email(template: str, context: dict) -> tuple[str, str]:
    """Subject and body of `emails/<template>_subject.txt` and `emails/<template>.txt`."""
    context = Context({"frontend_url": settings.FRONTEND_URL, **context}, autoescape=False)
    engine = _text_engine()
    subject = engine.get_template(f"emails/{template}_subject.txt").render(context)
    body = engine.get_template(f"emails/{template}.txt").render(context)
    return " ".join(subject.split()), body


def send_templated_email(*, to: str, template: str, context: dict) -> None:
    subject, body = render_email(template, context)
    EmailMultiAlternatives(subject=subject, body=body, to=[to]).send()
