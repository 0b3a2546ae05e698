from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from linju.access.admin_scope import BureauScopedAdmin

from .models import DiscoveryRun, EligibilityRule
from .reruns import rule_mark_if_changed


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(BureauScopedAdmin, SimpleHistoryAdmin):
    """Edits keep a history; the rule is checked on save and can be tried on sample residents first."""

    list_display = ["item", "description", "valid_from", "valid_to", "is_example", "try_it"]
    list_filter = ["is_example"]
    search_fields = ["item__name", "item__code", "description", "expression"]
    readonly_fields = ["try_it"]

    def save_model(self, request, obj, form, change):
        # an offered rule whose matches may have changed runs again tonight (reruns.py)
        rule_mark_if_changed(rule=obj)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("Try it"))
    def try_it(self, obj):
        url = reverse("eligibility:trial")
        return format_html(
            '<a href="{}?expression={}" target="_blank">{}</a>',
            url,
            obj.expression if obj and obj.pk else "",
            _("try on sample residents"),
        )


@admin.register(DiscoveryRun)
class DiscoveryRunAdmin(BureauScopedAdmin):
    list_display = [
        "created_at",
        "started_by",
        "town",
        "status",
        "rules_done",
        "rules_total",
        "residents",
        "hits",
    ]
    readonly_fields = list_display + ["error", "finished_at"]

    def has_add_permission(self, request):
        return False
