from django.core import mail

from domains.shared.email import send_templated_email


def test_plain_text_emails_are_not_html_escaped(tmp_path, settings):
    templates = tmp_path / "backend" / "templates" / "emails"
    templates.mkdir(parents=True)
    (templates / "probe_subject.txt").write_text("Hello\n{{ name }}\n")
    (templates / "probe.txt").write_text("Dear {{ name }}, see {{ frontend_url }}/x\n")
    settings.BASE_DIR = tmp_path
    from domains.shared import email

    email._text_engine.cache_clear()
    try:
        send_templated_email(to="a@example.com", template="probe", context={"name": "Tom & <b>"})
    finally:
        email._text_engine.cache_clear()
    message = mail.outbox[-1]
    assert message.subject == "Hello Tom & <b>"
    assert message.body == f"Dear Tom & <b>, see {settings.FRONTEND_URL}/x\n"
    assert message.to == ["a@example.com"]
