from django.contrib import admin

from linju.access.admin_scope import BureauScopedAdmin

from .models import Authorisation, ConsentRecord, VillageHelper


@admin.register(VillageHelper)
class VillageHelperAdmin(BureauScopedAdmin):
    """The register of each village's helpers (代办员), kept by the bureau."""

    list_display = ["name", "village", "active"]
    list_filter = ["active"]
    raw_id_fields = ["village"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        obj.bureau_id = obj.village.town.bureau_id  # a helper belongs to their village's bureau
        super().save_model(request, obj, form, change)


@admin.register(Authorisation)
class AuthorisationAdmin(BureauScopedAdmin):
    """Read here; given and withdrawn through the services (intake, the API, the person's page)."""

    list_display = [
        "principal",
        "agent_kind",
        "masked_agent_id_number",
        "all_items",
        "valid_from",
        "valid_until",
        "status",
    ]
    list_filter = ["status", "agent_kind"]
    exclude = ["agent_id_number", "agent_phone"]
    readonly_fields = ["masked_agent_id_number", "masked_agent_phone"]
    raw_id_fields = ["principal", "agent_resident", "helper", "cadre", "taken_by", "withdrawn_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(BureauScopedAdmin):
    """Receipts are appended by the services and never changed."""

    list_display = ["resident", "purpose", "decision", "method", "recorded_at"]
    list_filter = ["purpose", "decision"]
    raw_id_fields = ["resident", "taken_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
