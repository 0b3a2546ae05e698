"""The administration site keeps each administrator inside their bureau.

Every ModelAdmin and inline of Linju derives from `BureauScopedAdmin`: its lists, its change, delete
and history pages, the choices of its foreign keys (villages, towns, staff) and the related filters
of its lists are narrowed with `scope_to_bureau` (scoping.py), which knows how each table reaches its
bureau. A row of another bureau answers as a missing row does. The bureau of a row is never edited
by a bureau's administrator: it is shown, and set to their own on save. Only a platform
administrator (a superuser of no bureau) sees every bureau and may set the bureau of a member of
staff, a town or a service point (`bureau_editable = True` on those admins).

Tables every bureau shares (the catalogue, the calendar, the districts) are seen whole.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404

from .scoping import bureau_path_of, is_platform_admin, scope_to_bureau


def _has_bureau_field(model) -> bool:
    return bureau_path_of(model) == "bureau"


class BureauScopedMixin:
    """The narrowing itself, for ModelAdmin and inline alike."""

    # may a platform administrator set the `bureau` of a row here (staff, towns, service points)?
    bureau_editable = False

    def get_queryset(self, request):
        return scope_to_bureau(super().get_queryset(request), viewer=request.user)

    def _narrowed(self, request, db_field, kwargs):
        if "queryset" not in kwargs:
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
            if queryset is None:
                queryset = db_field.remote_field.model._default_manager.using(kwargs.get("using"))
            kwargs["queryset"] = scope_to_bureau(queryset, viewer=request.user)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **self._narrowed(request, db_field, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **self._narrowed(request, db_field, kwargs)
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if _has_bureau_field(self.model) and "bureau" not in fields:
            if not (self.bureau_editable and is_platform_admin(request.user)):
                fields.append("bureau")
        return fields


class BureauScopedAdmin(BureauScopedMixin, admin.ModelAdmin):
    """A ModelAdmin that stays in its administrator's bureau (see the module's docstring)."""

    def save_model(self, request, obj, form, change):
        if _has_bureau_field(self.model) and not is_platform_admin(request.user):
            obj.bureau_id = request.user.bureau_id
        super().save_model(request, obj, form, change)

    def get_list_filter(self, request):
        """A related filter offers only the values the administrator's own rows hold."""
        filters = super().get_list_filter(request)
        if is_platform_admin(request.user):
            return filters
        return [self._related_only(name) for name in filters]

    def _related_only(self, name):
        if not isinstance(name, str):
            return name
        model = self.model
        for part in name.split("__"):
            field = model._meta.get_field(part)
            if not field.is_relation:
                return name
            model = field.related_model
        return (name, admin.RelatedOnlyFieldListFilter)

    def _require_in_scope(self, request, object_id) -> None:
        if is_platform_admin(request.user) or bureau_path_of(self.model) is None:
            return
        try:
            found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            found = False
        if not found:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        # a kept history (simple_history) answers from its own table, past the narrowed queryset
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)


class BureauScopedTabularInline(BureauScopedMixin, admin.TabularInline):
    """An inline that lists and offers only its administrator's bureau's rows."""


class PlatformOnlyAdmin(BureauScopedAdmin):
    """A table of the platform itself (log-in attempts of every bureau's staff): a platform
    administrator's alone; a bureau's administrator neither sees nor opens it."""

    def has_module_permission(self, request):
        return is_platform_admin(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_platform_admin(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_platform_admin(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_platform_admin(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_platform_admin(request.user) and super().has_delete_permission(request, obj)


def rescope_registered(site, models, base) -> None:
    """Register again, under `base`, the admins a library registered for `models` (django-axes, auth's
    groups), so that every admin of the site is narrowed as Linju's own are."""
    for model in models:
        if model in site._registry:
            registered = type(site._registry[model])
            site.unregister(model)
            site.register(model, type(registered.__name__, (base, registered), {"__module__": __name__}))
