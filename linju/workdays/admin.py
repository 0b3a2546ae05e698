from django.contrib import admin

from linju.access.admin_scope import BureauScopedAdmin
from linju.core.admin import HeldTableAdmin

from .models import Holiday, ScheduleYear
from .selectors import calendar_changed


@admin.register(Holiday)
class HolidayAdmin(BureauScopedAdmin, HeldTableAdmin):
    held_changed = staticmethod(calendar_changed)
    list_display = ["date", "name", "kind", "source"]
    list_filter = ["kind", "source"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        obj.source = Holiday.Source.MANUAL
        super().save_model(request, obj, form, change)


@admin.register(ScheduleYear)
class ScheduleYearAdmin(BureauScopedAdmin, HeldTableAdmin):
    held_changed = staticmethod(calendar_changed)
    list_display = ["year", "source"]
