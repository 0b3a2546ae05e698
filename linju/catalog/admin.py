from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from linju.access.admin_scope import BureauScopedAdmin, BureauScopedTabularInline
from linju.core.admin import HeldTableAdmin

from .bundles import bundles_changed, version_form
from .models import (
    Bundle,
    BundlePart,
    BundleVersion,
    Category,
    Delegation,
    FormQuestion,
    ItemAlias,
    ItemQuestion,
    Material,
    PartnerOffice,
    ServiceItem,
    item_channel_choices,
)
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


class ItemQuestionInline(BureauScopedTabularInline):
    """The questions the item's form asks: a bundle's merged form asks each of them once."""

    model = ItemQuestion
    extra = 1
    fields = ["question", "required", "position"]
    autocomplete_fields = ["question"]


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
    inlines = [ItemAliasInline, MaterialInline, ItemQuestionInline, DelegationInline]


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


@admin.register(FormQuestion)
class FormQuestionAdmin(CatalogueAdmin):
    """The questions application forms ask, one row for each thing asked: items name them, and a
    bundle's merged form asks each once."""

    list_display = ["code", "text", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "text", "text_en"]


class BundleTableAdmin(BureauScopedAdmin, HeldTableAdmin, SimpleHistoryAdmin):
    """Every change made here is a change of the bundles every process holds."""

    held_changed = staticmethod(bundles_changed)


@admin.register(PartnerOffice)
class PartnerOfficeAdmin(BundleTableAdmin):
    """The offices of other departments that finish parts of bundles: their contact, and how the
    bureau sends them a part and its papers (送达)."""

    bureau_editable = True  # a platform administrator says whose office it is
    list_display = ["name", "department", "phone", "delivery", "active", "is_synthetic"]
    list_filter = ["department", "delivery", "active", "is_synthetic"]
    search_fields = ["code", "name", "name_en", "contact_person"]


class VersionsFormSet(forms.BaseInlineFormSet):
    """The versions typed together never overlap one another (each is checked against those saved
    by BundleVersion.clean)."""

    def clean(self) -> None:
        super().clean()
        spans = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("valid_from"):
                continue
            spans.append((data["valid_from"], data.get("valid_to")))
        spans.sort()
        for (_start, end), (next_start, _next_end) in zip(spans, spans[1:], strict=False):
            if end is None or end >= next_start:
                raise ValidationError(
                    _("Two versions of the bundle overlap: end one before the next begins.")
                )


class BundleVersionInline(BureauScopedTabularInline):
    """The bundle's dated versions; open one to choose its parts."""

    model = BundleVersion
    formset = VersionsFormSet
    extra = 1
    fields = ["valid_from", "valid_to", "note"]
    show_change_link = True


@admin.register(Bundle)
class BundleAdmin(BundleTableAdmin):
    """一件事: named here with its dated versions; each version's parts are chosen on its own page."""

    bureau_editable = True  # a platform administrator says whose bundle it is
    list_display = ["code", "name", "bureau", "is_example"]
    list_filter = ["is_example"]
    search_fields = ["code", "name", "name_en", "keywords"]
    fields = [
        "bureau",
        "code",
        "name",
        "name_en",
        "description",
        "description_en",
        "keywords",
        "opens_months_before_retirement",
        "is_example",
    ]
    inlines = [BundleVersionInline]


class PartsFormSet(forms.BaseInlineFormSet):
    """A version is a bundle: two parts or more, exactly one of them the lead (where it is taken)."""

    def clean(self) -> None:
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        if len(kept) < 2:
            raise ValidationError(_("A bundle joins two items or more: add its parts."))
        leads = sum(1 for data in kept if data.get("is_lead"))
        if leads != 1:
            raise ValidationError(
                _("Mark exactly one part as the lead: the bundle is taken where it is taken.")
            )


class BundlePartInline(BureauScopedTabularInline):
    model = BundlePart
    formset = PartsFormSet
    extra = 3
    fields = ["item", "partner", "is_lead", "position", "note"]
    autocomplete_fields = ["item"]


class BundleVersionForm(forms.ModelForm):
    class Meta:
        model = BundleVersion
        fields = ["bundle", "valid_from", "valid_to", "note"]
        labels = {"bundle": _("bundle (一件事)")}


@admin.register(BundleVersion)
class BundleVersionAdmin(BundleTableAdmin):
    """The parts of a bundle from a date; beside them, the one form and the one list of papers their
    items make together, each asked once, with the items that need it."""

    form = BundleVersionForm
    list_display = ["bundle", "valid_from", "valid_to", "note"]
    list_select_related = ["bundle"]
    search_fields = ["bundle__code", "bundle__name"]
    fields = ["bundle", "valid_from", "valid_to", "note", "merged_form"]
    readonly_fields = ["merged_form"]
    inlines = [BundlePartInline]

    @admin.display(description=_("one form, one set of papers"))
    def merged_form(self, obj: BundleVersion):
        if obj is None or obj.pk is None:
            return _("Saved with its parts, the merged form shows here.")
        questions, materials = version_form(obj)

        def needs(items) -> str:
            return "、".join(item.name for item in items)

        return format_html(
            "<p><strong>{}</strong></p><ul>{}</ul><p><strong>{}</strong></p><ul>{}</ul>",
            _("Questions, each asked once"),
            format_html_join("", "<li>{} — {}</li>", ((q.question.text, needs(q.items)) for q in questions))
            or format_html("<li>{}</li>", _("none")),
            _("Papers, each asked once"),
            format_html_join("", "<li>{} — {}</li>", ((m.name, needs(m.items)) for m in materials))
            or format_html("<li>{}</li>", _("none")),
        )
