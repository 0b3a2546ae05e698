from django.contrib import admin

from linju.access.admin_scope import BureauScopedAdmin

from .models import Household, Resident
from .selectors import resident_search_filter


@admin.register(Household)
class HouseholdAdmin(BureauScopedAdmin):
    list_display = ["number", "village", "bureau"]
    raw_id_fields = ["village"]
    search_fields = ["number"]
    readonly_fields = ["bureau"]

    def save_model(self, request, obj, form, change):
        obj.bureau_id = obj.village.town.bureau_id  # a household belongs to its village's bureau
        super().save_model(request, obj, form, change)


@admin.register(Resident)
class ResidentAdmin(BureauScopedAdmin):
    """Administrators see numbers masked here too; the audited record page is where they are unmasked."""

    list_display = ["name", "masked_id_number", "sex", "birth_date", "masked_phone", "village"]
    list_select_related = ["village"]
    search_fields = ["name"]  # the box is the staff's own (get_search_results)
    exclude = ["id_number", "phone", "name_initials", "name_pinyin", "id_last4"]
    readonly_fields = ["masked_id_number", "masked_phone", "birth_date", "sex"]
    raw_id_fields = ["village", "household"]

    def has_add_permission(self, request):
        return False  # registration goes through the validating service (staff pages and API)

    def get_search_results(self, request, queryset, search_term):
        """The staff's one search box (a name, initials, the last four of an ID number, a whole ID
        number or phone): the encrypted columns answer whole values through their blind indexes,
        never the admin's own "contains"."""
        return resident_search_filter(queryset, search_term), False
