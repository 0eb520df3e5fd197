from django.contrib import admin

from domains.outbox.models import OutboxTask


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    list_display = ["id", "task", "created_at", "attempts", "last_error"]
    search_fields = ["task"]
    readonly_fields = ["task", "args", "created_at", "attempts", "last_error"]
