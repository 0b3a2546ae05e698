"""Elder mode (长辈模式), after the national guidance on services for the elderly (国办发〔2020〕45号):
large text (20 px and more), high contrast, large tap targets, one column, and the phone number of
the nearest station on every page. A switch on every page, a form (no script), remembered in a
cookie for a year.

The nearest station is the one of the village the resident chose (the item page remembers it);
before a village is chosen, the bureaus' service halls, with a link to choose one."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import SimpleLazyObject

from linju.geo.selectors import bureau_halls, remembered_village, station_of

ELDER_COOKIE = "linju_elder"
ELDER_COOKIE_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Phone:
    name: str
    phone: str


def elder_mode_on(request) -> bool:
    return request.COOKIES.get(ELDER_COOKIE) == "1"


def phones_to_call(request) -> list[Phone]:
    """The station of the resident's village, or else the service halls (one query either way)."""
    village = remembered_village(request)
    if village is not None:
        station = station_of(town_id=village.town_id)
        if station is not None:
            return [Phone(name=station.name, phone=station.phone)]
    return [Phone(name=hall.name, phone=hall.phone) for hall in bureau_halls()]


def elder(request) -> dict:
    """Context processor: whether the page is in elder mode, and (only then, and only when a page
    shows them) the phones to call."""
    on = elder_mode_on(request)
    return {
        "elder_mode": on,
        "elder_phones": SimpleLazyObject(lambda: phones_to_call(request)) if on else [],
    }
