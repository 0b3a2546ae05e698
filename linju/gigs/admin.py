"""The gig market in the administration site: the district's list of kinds of work (shared by the
bureaus). Gigs, workers and dispatches are changed on the pages and the API, whose services check
the rules."""

from django.contrib import admin

from linju.access.admin_scope import BureauScopedAdmin

from .models import WorkType


@admin.register(WorkType)
class WorkTypeAdmin(BureauScopedAdmin):
    list_display = ["code", "name", "name_en", "heavy"]
    search_fields = ["code", "name"]
