from ninja import Router, Schema

from linju.core.declared import public

from . import selectors

router = Router(tags=["geo"])


class StationOut(Schema):
    code: str
    name: str
    address: str
    phone: str
    opening_hours: str
    is_synthetic: bool


class TownOut(Schema):
    code: str
    name: str
    bureau: str
    village_count: int
    station: StationOut | None

    @staticmethod
    def resolve_bureau(obj) -> str:
        return obj.bureau.short_name

    @staticmethod
    def resolve_station(obj):
        return obj.stations[0] if obj.stations else None


class VillageOut(Schema):
    code: str
    name: str
    full_name: str


@router.get("/towns", response=list[TownOut], summary="Towns and their social-security stations (public)")
@public
def list_towns(request):
    return selectors.town_directory()


@router.get("/towns/{code}/villages", response=list[VillageOut], summary="Villages of a town (public)")
@public
def list_villages(request, code: str):
    return selectors.village_list_for_town(town_code=code)
