from django.contrib import admin

from linju.access.admin_scope import BureauScopedAdmin
from linju.access.scoping import is_platform_admin
from linju.core.admin import HeldTableAdmin

from .models import Bureau, District, MarketPlace, ServicePoint, Town, TravelTime, Village
from .selectors import places_changed


@admin.register(Bureau)
class BureauAdmin(BureauScopedAdmin, HeldTableAdmin):
    held_changed = staticmethod(places_changed)  # bureaus are held with the places (bureau_by_id)
    list_display = ["name", "short_name", "zone", "code"]

    def has_add_permission(self, request):
        return is_platform_admin(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return is_platform_admin(request.user) and super().has_delete_permission(request, obj)


@admin.register(District)
class DistrictAdmin(BureauScopedAdmin):
    list_display = ["code", "name"]


@admin.register(Town)
class TownAdmin(BureauScopedAdmin):
    bureau_editable = True  # a platform administrator places a town in its bureau
    list_display = ["code", "name", "bureau", "latitude", "longitude", "coordinates_synthetic"]
    list_filter = ["bureau"]
    search_fields = ["code", "name"]


@admin.register(Village)
class VillageAdmin(BureauScopedAdmin):
    list_display = ["code", "name", "town", "population"]
    list_editable = ["population"]  # entered head counts for planning; empty: the registry's count
    list_filter = ["town__bureau", "town"]
    search_fields = ["code", "name"]
    list_select_related = ["town"]


@admin.register(ServicePoint)
class ServicePointAdmin(BureauScopedAdmin, HeldTableAdmin):
    bureau_editable = True
    held_changed = staticmethod(places_changed)
    # the job services near home carry the provincial directory's fields (how run, village, main work)
    list_display = ["code", "name", "kind", "operator", "town", "village", "phone", "is_synthetic"]
    list_filter = ["kind", "operator", "bureau"]
    list_select_related = ["town", "village"]


@admin.register(MarketPlace)
class MarketPlaceAdmin(BureauScopedAdmin, HeldTableAdmin):
    held_changed = staticmethod(places_changed)
    list_display = ["code", "name", "kind", "town", "regular_booth", "is_synthetic"]
    list_filter = ["kind", "town__bureau"]
    filter_horizontal = ["villages"]
    list_select_related = ["town"]


@admin.register(TravelTime)
class TravelTimeAdmin(BureauScopedAdmin):
    list_display = ["village", "service_point", "market_place", "minutes", "mode", "source"]
    list_filter = ["source", "mode"]
    raw_id_fields = ["village", "service_point", "market_place"]
    list_select_related = ["village", "service_point", "market_place"]
