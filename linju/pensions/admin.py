from django.contrib import admin

from linju.access.admin_scope import BureauScopedAdmin

from .models import FormerRetirementAge, RetirementNotice


@admin.register(FormerRetirementAge)
class FormerRetirementAgeAdmin(BureauScopedAdmin):
    list_display = ("resident", "former_age", "basis", "recorded_by", "updated_at")
    list_filter = ("former_age",)
    raw_id_fields = ("resident", "recorded_by")


@admin.register(RetirementNotice)
class RetirementNoticeAdmin(BureauScopedAdmin):
    list_display = ("resident", "retirement_month", "created_at")
    raw_id_fields = ("resident",)
