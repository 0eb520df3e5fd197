from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "domains.reviews"
    label = "reviews"
    verbose_name = "Reviews"
