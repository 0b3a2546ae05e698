"""Admin pieces shared by the apps."""

from django.contrib import admin


class HeldTableAdmin(admin.ModelAdmin):
    """An admin for a table every process holds (linju/core/versioned.py): each change made here says so,
    through `held_changed = staticmethod(<the app's function>)`."""

    held_changed = None

    def _changed(self) -> None:
        self.held_changed()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self._changed()
