from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from linju.access.admin_scope import BureauScopedAdmin, BureauScopedTabularInline
from linju.core.admin import HeldTableAdmin

from .models import Category, Delegation, ItemAlias, Material, ServiceItem, item_channel_choices
from .selectors import catalogue_changed


class ServiceItemForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("channels that may accept it"),
        choices=item_channel_choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ServiceItem
        fields = [
            "code",
            "category",
            "name",
            "description",
            "eligibility",
            "keywords",
            "time_limit_days",
            "legal_basis",
            "fee",
            "channels",
            "default_level",
            "valid_from",
            "valid_to",
            "is_example",
        ]


class ItemAliasInline(BureauScopedTabularInline):
    """The names people use for the item (俗称, former names, a report's words): the search finds the
    item by them as by its name."""

    model = ItemAlias
    extra = 1
    fields = ["name", "kind"]


class MaterialInline(BureauScopedTabularInline):
    model = Material
    extra = 1


class DelegationInline(BureauScopedTabularInline):
    model = Delegation
    extra = 0
    fields = ["town", "mode", "valid_from", "valid_to", "note"]
    autocomplete_fields = ["town"]


class CatalogueAdmin(BureauScopedAdmin, HeldTableAdmin, SimpleHistoryAdmin):
    """Every change made here is a change of the catalogue every process holds."""

    held_changed = staticmethod(catalogue_changed)


@admin.register(Category)
class CategoryAdmin(CatalogueAdmin):
    list_display = ["code", "name", "position"]


@admin.register(ServiceItem)
class ServiceItemAdmin(CatalogueAdmin):
    form = ServiceItemForm
    list_display = ["code", "name", "category", "time_limit_days", "valid_from", "valid_to", "is_example"]
    list_filter = ["category", "default_level", "is_example"]
    search_fields = ["code", "name", "keywords", "aliases__name"]
    inlines = [ItemAliasInline, MaterialInline, DelegationInline]


@admin.register(ItemAlias)
class ItemAliasAdmin(CatalogueAdmin):
    """Every name people use, across the catalogue (each item's page lists its own)."""

    list_display = ["name", "item", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "item__name", "item__code"]
    autocomplete_fields = ["item"]
    list_select_related = ["item"]


@admin.register(Delegation)
class DelegationAdmin(CatalogueAdmin):
    """Overlaps are refused by Delegation.clean(), which the admin form runs."""

    list_display = ["item", "town", "mode", "valid_from", "valid_to", "is_example"]
    list_filter = ["mode", "town", "is_example"]
    search_fields = ["item__name", "item__code", "town__name"]
    autocomplete_fields = ["item", "town"]
    list_select_related = ["item", "town"]
