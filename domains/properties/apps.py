from django.apps import AppConfig


class PropertiesConfig(AppConfig):
    name = "domains.properties"
    label = "properties"
    verbose_name = "Properties"
