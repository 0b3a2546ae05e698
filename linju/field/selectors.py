"""What the field app keeps on the cadre's phone for a day without signal: the catalogue, the
working-day calendar for the coming months, the places of the towns they serve, their booths and
home tasks for today and tomorrow, and the offers (免申即享) waiting for an answer in the villages
those booths serve and those visits go to. Scoped like every other read, and small: no whole ID
number, no phone number, nothing about residents beyond the people the cadre is going to meet."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from linju.access.capabilities import can, require
from linju.access.scoping import towns_for_viewer
from linju.catalog.acceptance import (
    ACCEPTED,
    Offer,
    PlaceKind,
    Verdict,
    offer,
    promised_days,
    ways_to_hand_in,
)
from linju.catalog.bundles import bundle_list
from linju.catalog.models import Material
from linju.catalog.selectors import item_list
from linju.geo.models import MarketPlace

# an offer to a resident (免申即享), not the catalogue's Offer: what a place takes
from linju.offers.models import Offer as ResidentOffer
from linju.outreach.models import BoothSession, HomeTask
from linju.people.masking import mask_id_number
from linju.people.models import Resident
from linju.portal.intake import intake_places
from linju.workdays.selectors import calendar

if TYPE_CHECKING:
    from linju.accounts.models import User

CALENDAR_BEFORE_DAYS = 14
CALENDAR_AHEAD_DAYS = 200
MAX_RESIDENTS = 3000  # a few villages' people; the bundle stays well under 1 MB
MAX_OFFERS = 2000  # the offers of a few villages, as many as a market day's booth may meet
# the offers a cadre may hear an answer to: sent and not answered yet, or the resident asked for a
# cadre to come (their yes or no at the door is still to be recorded)
FIELD_OFFERS = (ResidentOffer.Status.OPEN, ResidentOffer.Status.HELP)


def _calendar(today: datetime.date) -> dict:
    """The adjusted days (holidays, and weekend days worked) around today; weekends the device knows."""
    held = calendar()
    start = today - datetime.timedelta(days=CALENDAR_BEFORE_DAYS)
    end = today + datetime.timedelta(days=CALENDAR_AHEAD_DAYS)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "exceptions": {
            day.isoformat(): kind for day, kind in sorted(held.exceptions.items()) if start <= day <= end
        },
        "known_years": sorted(y for y in held.known_years if start.year <= y <= end.year),
    }


# the places of the field, by the prefix of their form value, as the rule of acceptance names them
FIELD_PLACES = {"point": PlaceKind.STATION, "market": PlaceKind.BOOTH, "village": PlaceKind.VILLAGE}


def _taken_at(code: str, towns: list, offers: dict[tuple[str, str], Offer]) -> dict[str, dict[str, str]]:
    """{town code: {place prefix: "finish" or "forward"}} for one item; refused places left out."""
    taken: dict[str, dict[str, str]] = {}
    for town in towns:
        for prefix in FIELD_PLACES:
            said = offers[(town.code, prefix)].verdicts[code]
            if said in ACCEPTED:
                taken.setdefault(town.code, {})[prefix] = said.value
    return taken


def field_bundle(*, viewer: User, today: datetime.date | None = None) -> dict:
    """The day's data for the field app, with a version that changes when any of it does."""
    require(viewer, "case.accept")
    today = today or timezone.localdate()
    materials: dict[int, list[dict]] = {}
    for item_id, name, required in Material.objects.order_by("item_id", "position", "id").values_list(
        "item_id", "name", "required"
    ):
        materials.setdefault(item_id, []).append({"name": name, "required": required})
    served = list(towns_for_viewer(viewer).order_by("code"))
    # what each kind of place of each town does with each item today: the rule intake applies
    # (finish, forward; refused ones left out), by the places' own prefixes (point:, market:, village:)
    offers = {
        (town.code, prefix): offer(kind=kind, town=town, on_date=today)
        for town in served
        for prefix, kind in FIELD_PLACES.items()
    }
    items = [
        {
            "code": item.code,
            "name": item.name,
            "time_limit_days": item.time_limit_days,
            # the working days promised where the place sends it on to the district (the rule of
            # acceptance's promise: never on the spot); where it is finished, `time_limit_days`
            "days_forwarded": promised_days(item, Verdict.FORWARD),
            "channels": ways_to_hand_in(item),
            "hall_only": item.hall_only,
            "hall_only_reason": item.hall_only_reason,
            "materials": materials.get(item.pk, []),
            "at": _taken_at(item.code, served, offers),
        }
        for item in item_list(on_date=today)
    ]
    towns = [{"code": town.code, "name": town.name} for town in served]
    bundles = _bundles(viewer=viewer, today=today, towns=served, offers=offers)
    # the stations, booths and villages the cadre serves (not the district hall: this is for the field)
    places = [
        {"value": p.value, "name": p.name, "channel": p.channel, "town": p.town}
        for p in intake_places(viewer=viewer, with_halls=False)
    ]
    soon = today + datetime.timedelta(days=1)
    booth_days = list(
        BoothSession.objects.filter(staff=viewer, date__range=(today, soon))
        .exclude(status="cancelled")
        .select_related("market")
        .order_by("date", "pk")
    )
    booths = [
        {"id": b.pk, "date": b.date.isoformat(), "market": f"market:{b.market.code}", "name": b.market.name}
        for b in booth_days
    ]
    tasks = [
        {
            "id": t.pk,
            "kind": t.get_kind_display(),
            "due": t.due_date.isoformat(),
            "resident": t.resident.name,
            "id_number": t.resident.masked_id_number,
            "village": f"village:{t.resident.village.code}",
            "village_name": t.resident.village.name,
            "address": t.address,
            "item": t.item.name if t.item_id else "",
        }
        for t in HomeTask.objects.filter(assigned_to=viewer, status=HomeTask.Status.OPEN, due_date__lte=soon)
        .visible_to(viewer)
        .select_related("resident__village", "item")
        .order_by("due_date", "pk")
    ]
    # the people of the villages the cadre visits today and tomorrow, as intake needs them: a name
    # and a masked number to choose by (the case is taken by their record, never by a typed number)
    visited = {t["village"].split(":", 1)[1] for t in tasks}
    residents = [
        {"id": r.pk, "name": r.name, "id_number": r.masked_id_number, "village": r.village.code}
        for r in Resident.objects.filter(village__code__in=visited)
        .visible_to(viewer)
        .select_related("village")
        .order_by("village__code", "name_initials", "pk")[:MAX_RESIDENTS]
    ]
    offers, offer_words = _offers_to_answer(
        viewer=viewer, visited=visited, markets={b.market_id for b in booth_days}
    )
    data = {
        "user": viewer.pk,
        "date": today.isoformat(),
        "items": items,
        "bundles": bundles,
        "calendar": _calendar(today),
        "towns": towns,
        "places": places,
        "booths": booths,
        "home_tasks": tasks,
        "residents": residents,
        "offers": offers,
        "offer_words": offer_words,
    }
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return {"version": digest[:16], **data}


def _bundles(*, viewer: User, today: datetime.date, towns: list, offers: dict) -> list[dict]:
    """The bundles (一件事) of the cadre's bureau offered today, as the field app takes them: taken
    where their lead part is taken (`at`, as an item's), each part with its item, the partner office
    that finishes it (or none: the bureau's own, finished here or at the district as its item says),
    its working days (a partner's with the days its papers take to get there), and the one list of
    papers, each saying which parts' items need it. Held: no query."""
    held = []
    for offered in bundle_list(on_date=today, bureau_id=viewer.bureau_id):
        lead = offered.held.lead or offered.held.parts[0]
        held.append(
            {
                "code": offered.code,
                "name": offered.bundle.name,
                "at": _taken_at(lead.item.code, towns, offers),
                "parts": [
                    {
                        "item": part.item.code,
                        "name": part.item.name,
                        "partner": part.partner.name if part.partner_id else "",
                        "days": part.item.time_limit_days
                        + (part.partner.delivery_days if part.partner_id else 0),
                    }
                    for part in offered.held.parts
                ],
                "materials": [
                    {"name": m.name, "required": m.required, "items": [item.code for item in m.items]}
                    for m in offered.held.materials
                ],
            }
        )
    return held


def _offers_to_answer(*, viewer: User, visited: set[str], markets: set[int]) -> tuple[list[dict], dict]:
    """The offers waiting for an answer of the residents of the villages the cadre visits (their home
    tasks' villages, by code) and of those the markets of their booths serve: each with the person as
    the rest of the bundle names them (name, masked number) and the rule's wording once per rule.
    One query, none when the cadre goes nowhere."""
    if not (visited or markets) or not can(viewer, "offer.answer"):
        return [], {}
    served_by_booths = MarketPlace.villages.through.objects.filter(marketplace_id__in=markets).values(
        "village_id"
    )
    rows = (
        ResidentOffer.objects.filter(status__in=FIELD_OFFERS)
        .filter(Q(village__code__in=visited) | Q(village_id__in=served_by_booths))
        .visible_to(viewer)
        .order_by("village__code", "resident__name_initials", "pk")
        .values_list(
            "pk",
            "status",
            "expires_on",
            "village__code",
            "village__name",
            "item__code",
            "item__name",
            "resident__name",
            "resident__id_number",
            "rule_id",
            "rule__offer_zh",
            "rule__offer_en",
        )[:MAX_OFFERS]
    )
    offers, words = [], {}
    for pk, status, expires, village, village_name, item, item_name, name, number, rule, zh, en in rows:
        offers.append(
            {
                "id": pk,
                "status": status,
                "expires_on": expires.isoformat() if expires else None,
                "village": f"village:{village}",
                "village_name": village_name,
                "item": item,
                "item_name": item_name,
                "resident": name,
                "id_number": mask_id_number(number),
                "rule": rule,
            }
        )
        words[str(rule)] = {"zh": zh, "en": en}
    return offers, words
