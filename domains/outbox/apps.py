from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "domains.outbox"
    label = "outbox"
    verbose_name = "Task outbox"
