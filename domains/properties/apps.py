from django.apps import AppConfig


class PropertiesConfig(AppConfig):
    name = "domains.properties"
    label = "properties"
    verbose_name = "Properties"

    def ready(self) -> None:
        from domains.properties import signals  # noqa: F401  (connects the receivers)
