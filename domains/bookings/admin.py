from django.contrib import admin

from domains.bookings.models import Booking


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "property",
        "guest",
        "check_in",
        "check_out",
        "status",
        "total",
        "currency",
        "created_at",
    ]
    list_filter = ["status"]
    search_fields = ["guest__email", "property__title", "idempotency_key"]
    raw_id_fields = ["guest", "property", "cancelled_by"]
    date_hierarchy = "check_in"
    list_select_related = ["property", "guest"]
    # The price snapshot is history: never edited after the booking was made.
    readonly_fields = [
        "nightly_rate",
        "nights",
        "subtotal",
        "cleaning_fee",
        "service_fee",
        "total",
        "currency",
        "created_at",
        "updated_at",
    ]
