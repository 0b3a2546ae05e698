from django.contrib import admin

from linju.access.admin_scope import BureauScopedAdmin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(BureauScopedAdmin):
    list_display = ["created_at", "purpose", "reference", "status", "backend"]
    list_filter = ["purpose", "status"]
    search_fields = ["reference"]
    exclude = ["phone"]
    readonly_fields = ["created_at", "text", "purpose", "reference", "backend", "status", "error"]

    def has_add_permission(self, request):
        return False
