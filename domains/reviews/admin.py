from django.contrib import admin

from domains.reviews.models import Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["id", "property", "author", "rating", "created_at", "responded_at"]
    list_filter = ["rating"]
    search_fields = ["comment", "author__email", "property__title"]
    raw_id_fields = ["booking", "author", "property"]
