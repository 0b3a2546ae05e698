"""The public retirement calculator (a GET form: no log-in, no script, nothing stored) and the
cadres' roster of the people of their towns who reach retirement within twelve months."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from linju.access.guards import needs, public
from linju.catalog.bundles import retirement_opens_months
from linju.core.errors import DomainError, errors_by_field
from linju.core.feedback import flash_error
from linju.core.request_context import request_context
from linju.geo.models import Town
from linju.geo.selectors import remembered_village, towns_held

from .calculator import (
    BIRTH_FIRST,
    BIRTH_LAST,
    age_words,
    applications_open,
    month_text,
    month_words,
    retirement_for,
    years_words,
)
from .law import FORMER_AGES, Retirement, month_index
from .selectors import ROSTER_MONTHS, retirement_roster
from .services import former_age_record, retirement_roster_seen

FORMER_AGE_CHOICES = {
    60: _("Man (former retirement age 60)"),
    50: _("Woman, formerly retiring at 50 (workers)"),
    55: _("Woman, formerly retiring at 55 (cadres, managerial or technical posts)"),
}


def application_sentence(r: Retirement, *, town: Town | None, this_month: tuple[int, int]) -> str:
    """When the resident may apply, as their town's bureau sets it (`applications_open`): the one
    setting intake applies."""
    if town is None:
        return _("Choose your town to see from when you can apply for retirement there.")
    months = retirement_opens_months(bureau_id=town.bureau_id)
    opens = applications_open(r, bureau_id=town.bureau_id)
    if months is None or opens is None:
        return _("You can apply for retirement at your station at any time, all at once.")
    if month_index(*opens) > month_index(*this_month):
        if months == 0:
            return _(
                "From %(month)s, the month you retire, you can apply for retirement at your station, all at once."
            ) % {"month": month_words(opens)}
        return ngettext(
            "From %(month)s, %(count)d month before, you can apply for retirement at your station, all at once.",
            "From %(month)s, %(count)d months before, you can apply for retirement at your station, all at once.",
            months,
        ) % {"month": month_words(opens), "count": months}
    if months == 0:
        return _("You can apply for retirement at your station now, all at once.")
    return ngettext(
        "Applications open %(count)d month before: you can apply for retirement at your station now, all at once.",
        "Applications open %(count)d months before: you can apply for retirement at your station now, all at once.",
        months,
    ) % {"count": months}


def sentences(r: Retirement, *, town: Town | None, this_month: tuple[int, int]) -> list[str]:
    """The answer in plain sentences, the most important first."""
    values = {"age": age_words(r.age), "month": month_words(r.month)}
    if r.affected:
        said = [_("Your statutory retirement age is %(age)s: you can retire in %(month)s.") % values]
        said.append(
            _("That is %(delay)d months later than the former age of %(former)d.")
            % {"delay": r.delay, "former": r.former_age}
        )
    else:
        said = [
            _(
                "The new law does not change your retirement: your statutory retirement age is %(age)s, in %(month)s."
            )
            % values
        ]
    if month_index(*r.month) < month_index(*this_month):
        said.append(_("That month has passed. If you have not retired yet, ask at your station."))
        return said
    said.append(
        _("To be paid a pension every month, you need at least %(years)s of contributions by then.")
        % {"years": years_words(r.min_contribution)}
    )
    if r.earliest_age < r.age:
        said.append(
            _(
                "With the minimum contributions paid you may choose to retire earlier, from %(month)s "
                "(at %(age)s; at least %(years)s of contributions that year): at most three years "
                "early, and never before the former age."
            )
            % {
                "month": month_words(r.earliest_month),
                "age": age_words(r.earliest_age),
                "years": years_words(r.earliest_min_contribution),
            }
        )
    else:
        said.append(_("You cannot retire earlier than this: it is your former retirement age."))
    said.append(
        _(
            "If your employer agrees, you may also retire later, up to %(month)s (at %(age)s): at most three years."
        )
        % {"month": month_words(r.latest_month), "age": age_words(r.latest_age)}
    )
    said.append(application_sentence(r, town=town, this_month=this_month))
    return said


@public
@require_GET
def calculator(request):
    """When do I retire? Birth month and former age in, the answer in sentences out."""
    today = timezone.localdate()
    asked = "birth" in request.GET or "former_age" in request.GET
    birth, former = request.GET.get("birth", "")[:20], request.GET.get("former_age", "")[:3]
    if "town" in request.GET:
        town_code = request.GET.get("town", "")[:12]
    else:  # the village chosen on another public page, if any, says the town
        village = remembered_village(request)
        town_code = village.town.code if village else ""
    answer, errors = None, {}
    if asked:
        try:
            retirement, town = retirement_for(birth=birth, former_age=former, town=town_code)
            answer = {
                "sentences": sentences(retirement, town=town, this_month=(today.year, today.month)),
                "retirement": retirement,
                "headline": month_words(retirement.month),
            }
        except DomainError as error:
            errors = errors_by_field(error)
    return render(
        request,
        "pensions/calculator.html",
        {
            "answer": answer,
            "errors": errors,
            "birth": birth,
            "former": former,
            "town": town_code,
            "towns": sorted(towns_held(), key=lambda t: (t.bureau_id, t.code)),  # by bureau
            "choices": [(str(age), FORMER_AGE_CHOICES[age]) for age in (60, 50, 55) if age in FORMER_AGES],
            "first": month_text(BIRTH_FIRST),
            "last": month_text(BIRTH_LAST),
        },
        status=400 if errors else 200,
    )


@needs("retirement.roster")
@login_required
@require_GET
def roster(request):
    """Who of the viewer's towns reaches the statutory retirement age this month or in the next
    twelve, town by town (names and ID numbers masked; the people shown are recorded as seen)."""
    town = request.GET.get("town", "")[:12]
    towns = retirement_roster(viewer=request.user, town_code=town)
    retirement_roster_seen(viewer=request.user, towns=towns, context=request_context(request))
    return render(
        request,
        "pensions/roster.html",
        {
            "towns": towns,
            "shown": next((t for t in towns if t.shown), None),
            "months": ROSTER_MONTHS,
        },
    )


@needs("resident.register")
@login_required
@require_POST
def former_age(request, resident_id: int):
    """From the roster: a woman's former retirement age is 55 (a cadre, a managerial or technical
    post), or back to 50."""
    town = request.POST.get("town", "")[:12]
    try:
        former_age_record(
            actor=request.user,
            resident_id=resident_id,
            former_age=int(request.POST.get("former_age", "0")[:3] or 0),
            basis=request.POST.get("basis", "")[:100],
        )
        messages.success(request, _("Former retirement age recorded."))
    except (DomainError, ValueError) as error:
        if isinstance(error, DomainError):
            flash_error(request, error)
        else:
            messages.error(request, _("The former retirement age must be 60 (men), 55 or 50 (women)."))
    return redirect(f"{reverse('pensions:roster')}?town={town}")
