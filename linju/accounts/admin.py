from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from linju.access.admin_scope import BureauScopedAdmin, PlatformOnlyAdmin, rescope_registered

from .models import User


@admin.register(User)
class StaffAdmin(BureauScopedAdmin, UserAdmin):
    bureau_editable = True  # a platform administrator places staff in their bureau
    list_display = ["username", "display_name", "role", "bureau", "is_active", "last_login"]
    list_filter = ["role", "bureau", "is_active"]
    filter_horizontal = ["towns", "groups", "user_permissions"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Linju"), {"fields": ["display_name", "role", "bureau", "towns"]}),
    ]
    # a member of staff belongs to a bureau from the start (a bureau's administrator: their own)
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (_("Linju"), {"fields": ["display_name", "role", "bureau"]}),
    ]


# the libraries' own admins, narrowed as Linju's: groups are shared, log-in records the platform's
rescope_registered(admin.site, [Group], BureauScopedAdmin)
rescope_registered(admin.site, [AccessAttempt, AccessLog, AccessFailureLog], PlatformOnlyAdmin)
