from django.contrib import admin

from domains.properties.models import Amenity, BlockedPeriod, Property, PropertyPhoto


class PropertyPhotoInline(admin.TabularInline):
    model = PropertyPhoto
    extra = 0
    fields = ["image", "caption", "position"]


class BlockedPeriodInline(admin.TabularInline):
    model = BlockedPeriod
    extra = 0


@admin.register(Property)
class PropertyAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "host",
        "city",
        "country",
        "price_per_night",
        "currency",
        "is_published",
        "review_count",
        "rating_average",
        "deleted_at",
    ]
    list_filter = ["is_published", "property_type", "instant_book", "cancellation_policy"]
    search_fields = ["title", "city", "country", "host__email"]
    raw_id_fields = ["host"]
    filter_horizontal = ["amenities"]
    readonly_fields = [
        "review_count",
        "rating_average",
        "rating_histogram",
        "created_at",
        "updated_at",
    ]
    inlines = [PropertyPhotoInline, BlockedPeriodInline]
    list_select_related = ["host"]


@admin.register(Amenity)
class AmenityAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(PropertyPhoto)
class PropertyPhotoAdmin(admin.ModelAdmin):
    list_display = ["id", "property", "caption", "position", "created_at"]
    raw_id_fields = ["property"]


@admin.register(BlockedPeriod)
class BlockedPeriodAdmin(admin.ModelAdmin):
    list_display = ["property", "start_date", "end_date"]
    raw_id_fields = ["property"]
