from django.contrib import admin

from domains.reviews import services
from domains.reviews.models import Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["id", "property", "author", "rating", "created_at", "responded_at"]
    list_filter = ["rating"]
    search_fields = ["comment", "author__email", "property__title"]
    raw_id_fields = ["booking", "author", "property"]

    # Deleting through the service keeps the listing's rating aggregates exact.
    def delete_model(self, request, obj):
        services.review_delete(review=obj)

    def delete_queryset(self, request, queryset):
        for review in queryset:
            services.review_delete(review=review)
