"""The public self-check (`/self-check/`), with the nearest place for each step it lists: the
answer is eligibility's, the places are `where`'s, and only the portal may combine them (as the
item page does). The village is the one the resident chose on a public page (a cookie); without
one, each step links to its item's page, which asks for the village first."""

from __future__ import annotations

from dataclasses import replace

from django.views.decorators.http import require_http_methods

from linju.access.guards import public
from linju.catalog.bundles import Offered, bundles_with_items
from linju.core.errors import DomainError
from linju.eligibility.services import SelfCheckAnswer
from linju.eligibility.views import self_check_page
from linju.geo.selectors import remembered_village

from .where import where_answer


def _village(request):
    """The resident's remembered village, read once a request (both hooks ask for it)."""
    if not hasattr(request, "_linju_village"):
        request._linju_village = remembered_village(request)
    return request._linju_village


def bundles_for(request, answers: list[SelfCheckAnswer]) -> list[Offered]:
    """The bundles (一件事) with a part doing an item the answers name or one of their steps: of the
    bureau of the resident's village, or of every bureau before one is chosen. Held: no query."""
    codes = {answer.item.code for answer in answers}
    codes |= {step.item_code for answer in answers for step in answer.steps if step.item_code}
    village = _village(request)
    return bundles_with_items(codes=codes, bureau_id=village.town.bureau_id if village else None)


def nearest_places(request, answers: list[SelfCheckAnswer]) -> list[SelfCheckAnswer]:
    """Each step that an item does, with the place nearest the resident's village that takes that
    item (the first of `where`'s answer for it); one answer per item, whichever rules name it."""
    village = _village(request)
    codes = {step.item_code for answer in answers for step in answer.steps if step.item_code}
    if village is None or not codes:
        return answers
    nearest = {}
    for code in sorted(codes):
        try:
            places = where_answer(item_code=code, village_code=village.code)["places"]
        except DomainError:  # an item not offered today: the step's own words still say what to do
            continue
        if places:
            nearest[code] = places[0] | {"village": f"{village.town.name}{village.name}"}
    return [
        replace(answer, steps=[replace(step, nearest=nearest.get(step.item_code)) for step in answer.steps])
        for answer in answers
    ]


@public
@require_http_methods(["GET", "POST"])
def self_check(request):
    """Public, no log-in, nothing stored."""
    return self_check_page(request, places_for_steps=nearest_places, bundles_for=bundles_for)
