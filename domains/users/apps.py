from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "domains.users"
    label = "users"
    verbose_name = "Users"
