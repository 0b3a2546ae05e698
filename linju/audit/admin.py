from django.contrib import admin

from linju.access.admin_scope import BureauScopedAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(BureauScopedAdmin):
    list_display = ["created_at", "actor", "action", "object_type", "object_label", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor__username", "object_label", "object_id"]
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
