from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from domains.users.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["-date_joined"]
    list_display = ["email", "name", "is_host", "is_verified", "is_staff", "date_joined"]
    list_filter = ["is_host", "is_verified", "is_staff", "is_active"]
    search_fields = ["email", "name"]
    readonly_fields = ["date_joined", "last_login", "updated_at"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name", "bio", "phone", "avatar"]}),
        ("Status", {"fields": ["is_host", "is_verified", "is_active"]}),
        ("Permissions", {"fields": ["is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["date_joined", "last_login", "updated_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]}),
    ]
