from django.contrib import admin

from domains.payments.models import Payment, ProviderEvent


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "booking",
        "provider",
        "provider_reference",
        "status",
        "amount",
        "refunded_amount",
        "currency",
        "created_at",
    ]
    list_filter = ["status", "provider"]
    search_fields = ["provider_reference", "booking__id"]
    raw_id_fields = ["booking"]
    # The provider's webhook is the source of truth for these.
    readonly_fields = [
        "amount",
        "currency",
        "provider",
        "provider_reference",
        "status",
        "refunded_amount",
        "refund_requested_amount",
        "created_at",
        "updated_at",
    ]
    exclude = ["client_secret"]


@admin.register(ProviderEvent)
class ProviderEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "payment", "outcome", "created", "received_at"]
    list_filter = ["type", "outcome"]
    search_fields = ["event_id"]
    raw_id_fields = ["payment"]
