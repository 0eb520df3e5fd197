from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save


class UsersConfig(AppConfig):
    name = "domains.users"
    label = "users"
    verbose_name = "Users"

    def ready(self) -> None:
        from gqlauth.user.signals import create_user_status

        # `User.is_verified` is the one truth about verification; gqlauth's UserStatus row
        # (created for every new user by its signal) would be a second one, and an insert more.
        post_save.disconnect(create_user_status, sender=settings.AUTH_USER_MODEL)
