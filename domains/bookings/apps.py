from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "domains.bookings"
    label = "bookings"
    verbose_name = "Bookings"
