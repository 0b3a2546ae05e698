from django.contrib import admin

from linju.access.admin_scope import BureauScopedAdmin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(BureauScopedAdmin):
    list_display = ["created_at", "purpose", "reference", "status", "error_code", "backend"]
    list_filter = ["purpose", "status", "backend"]
    search_fields = ["reference", "provider_id"]
    exclude = ["phone"]
    readonly_fields = [
        "created_at",
        "text",
        "purpose",
        "reference",
        "backend",
        "status",
        "error",
        "error_code",
        "template",
        "params",
        "retry_at",
        "provider_id",
        "attempts",
        "reported_at",
    ]

    def has_add_permission(self, request):
        return False
