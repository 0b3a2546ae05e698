from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from linju.access.admin_scope import BureauScopedAdmin, PlatformOnlyAdmin, rescope_registered

from .models import User


class BureauRequired:
    """A member of staff belongs to a bureau: the form says so before the database refuses it."""

    def clean(self):
        cleaned = super().clean()
        if "bureau" in self.fields and not cleaned.get("bureau"):
            if not cleaned.get("is_superuser", self.instance.is_superuser):
                self.add_error(
                    "bureau",
                    _("Choose the bureau this person works for: only a platform superuser has none."),
                )
        return cleaned


class StaffCreationForm(BureauRequired, AdminUserCreationForm):
    pass


class StaffChangeForm(BureauRequired, UserChangeForm):
    pass


@admin.register(User)
class StaffAdmin(BureauScopedAdmin, UserAdmin):
    bureau_editable = True  # a platform administrator places staff in their bureau
    form = StaffChangeForm
    add_form = StaffCreationForm
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

# the second factor's devices are kept by their holders (/accounts/two-factor/) and the command
# `two_factor` (set up, or removed for a lost phone), not edited here: the site would show their keys
for _device in (TOTPDevice, StaticDevice):
    if _device in admin.site._registry:
        admin.site.unregister(_device)
