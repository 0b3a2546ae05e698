from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ["username", "display_name", "role", "bureau", "is_active", "last_login"]
    list_filter = ["role", "bureau", "is_active"]
    filter_horizontal = ["towns", "groups", "user_permissions"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Linju"), {"fields": ["display_name", "role", "bureau", "towns"]}),
    ]
