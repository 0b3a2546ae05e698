"""The public self-check (`/self-check/`), with the nearest place for each step it lists: the
answer is eligibility's, the places are `where`'s, and only the portal may combine them (as the
item page does). The village is the one the resident chose on a public page (a cookie); without
one, each step links to its item's page, which asks for the village first."""

from __future__ import annotations

from dataclasses import replace

from django.views.decorators.http import require_http_methods

from linju.access.guards import public
from linju.core.errors import DomainError
from linju.eligibility.services import SelfCheckAnswer
from linju.eligibility.views import self_check_page
from linju.geo.selectors import remembered_village

from .where import where_answer


def nearest_places(request, answers: list[SelfCheckAnswer]) -> list[SelfCheckAnswer]:
    """Each step that an item does, with the place nearest the resident's village that takes that
    item (the first of `where`'s answer for it); one answer per item, whichever rules name it."""
    village = remembered_village(request)
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
    return self_check_page(request, places_for_steps=nearest_places)
