from django.contrib import admin

from linju.access.admin_scope import BureauScopedAdmin, BureauScopedTabularInline

from .models import Appeal, Case, CaseEvent, FollowUp, Rating


class CaseEventInline(BureauScopedTabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(BureauScopedAdmin):
    """Read-only: cases move only through their transitions (the case page or the API)."""

    list_display = ["number", "item", "town", "channel", "status", "promised_date", "taken_by"]
    list_filter = ["status", "channel", "level", "town__bureau"]
    search_fields = ["number"]
    list_select_related = ["item", "town", "taken_by"]
    inlines = [CaseEventInline]
    exclude = ["applicant", "idempotency_key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rating)
class RatingAdmin(BureauScopedAdmin):
    list_display = [
        "case",
        "consultation",
        "town",
        "level",
        "source",
        "rated_staff",
        "set_aside_at",
        "created_at",
    ]
    list_filter = ["level", "source", "named"]

    def has_add_permission(self, request):
        return False  # only the resident rates: staff never add one, here or anywhere

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Appeal)
class AppealAdmin(BureauScopedAdmin):
    list_display = ["rating", "appellant", "ground", "status", "decided_by", "decided_at"]
    list_filter = ["status", "ground"]

    def has_add_permission(self, request):
        return False  # filed and decided on the staff pages, where someone else decides

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(BureauScopedAdmin):
    list_display = ["case", "town", "status", "assigned_to", "due_on", "created_at", "closed_at"]
    list_filter = ["status", "town"]

    def has_add_permission(self, request):
        return False  # follow-ups come from unsatisfied ratings and complaints
