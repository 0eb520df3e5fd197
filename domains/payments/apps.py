from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "domains.payments"
    label = "payments"
    verbose_name = "Payments"
