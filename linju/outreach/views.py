import datetime
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linju.access.capabilities import can
from linju.access.guards import needs, public, signed_in
from linju.access.scoping import towns_for_viewer
from linju.cases.views import staff_refusal
from linju.catalog.selectors import item_list
from linju.core.errors import DomainError, NotFound
from linju.core.feedback import flash_error
from linju.core.limits import rate_limited
from linju.core.periods import parse_year
from linju.geo.models import Village
from linju.geo.selectors import (
    VILLAGE_COOKIE,
    VILLAGE_COOKIE_AGE,
    town_directory,
    town_get,
    village_list_for_town,
)
from linju.gigs.selectors import gigs_at_market
from linju.jobs.selectors import employer_list
from linju.people.selectors import resident_get_for_viewer

from . import calendar_feed, selectors, services
from .forms import (
    CertifyForm,
    CompleteTaskForm,
    ConsultationForm,
    CounterConsultationForm,
    HomeVisitForm,
    LeaderVisitForm,
    SlipRatingForm,
    VisitForm,
)
from .models import BoothReminder, StaffOutreach


def _month(value: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(f"{value}-01") if value else timezone.localdate().replace(day=1)
    except ValueError:
        return timezone.localdate().replace(day=1)


@signed_in
@login_required
@require_GET
def hub(request):
    today = timezone.localdate()
    mine = selectors.booth_list(viewer=request.user, mine=True).filter(date__gte=today)[:8]
    return render(
        request,
        "outreach/hub.html",
        {
            "booths": mine,
            "today": today,
            "tasks": selectors.home_task_list(viewer=request.user)[:5]
            if can(request.user, "person.read")
            else [],
        },
    )


@signed_in
@login_required
@require_http_methods(["GET", "POST"])
def booths(request):
    month = _month(request.POST.get("month") or request.GET.get("month"))
    result = None
    if request.method == "POST":
        try:
            result = services.booth_plan_generate(actor=request.user, month=month)
        except DomainError as error:
            flash_error(request, error)
    return render(
        request,
        "outreach/booths.html",
        {
            "booths": selectors.booth_list(viewer=request.user, month=month),
            "month": month,
            "result": result,
            "planning_towns": selectors.towns_planning_booths(viewer=request.user),
        },
    )


@signed_in
@login_required
@require_http_methods(["GET", "POST"])
def booth(request, booth_id: int):
    session = selectors.booth_get_for_viewer(viewer=request.user, booth_id=booth_id)
    items = selectors.booth_offer(
        booth=session
    ).accepted  # every item the booth takes, not only those featured
    form = ConsultationForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            logged = services.consultation_log(
                actor=request.user,
                booth_id=session.pk,
                item_code=form.cleaned_data["item_code"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            flash_error(request, error)
        else:
            url = reverse("outreach:booth", kwargs={"booth_id": session.pk})
            return redirect(f"{url}?slip={logged.slip_code}#slip")
    return render(
        request,
        "outreach/booth.html",
        {
            "booth": session,
            "form": form,
            "slip": selectors.slip_get_for_viewer(viewer=request.user, code=request.GET.get("slip", "")),
            "rate_address": _rate_address(),
            "items": items,
            "work": selectors.booth_work(viewer=request.user, booth=session),
            # the market day's gigs, posted and handed out at the booth (linju/gigs)
            "booth_gigs": gigs_at_market(market=session.market, day=session.date),
            "gig_place": f"market:{session.market.code}",
            "today": timezone.localdate(),
        },
    )


def _rate_address() -> str:
    """Where a person rates a visit with their slip's code: printed on the slip, short to type."""
    return settings.LINJU_PUBLIC_URL + reverse("rate-slip")


def _resident_at_counter(request):
    """The person the question is logged for, when the form or their record's link names them."""
    raw = (request.POST.get("resident_id") if request.method == "POST" else request.GET.get("resident")) or ""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        return None
    return resident_get_for_viewer(viewer=request.user, resident_id=int(raw))


@needs("outreach.work")
@login_required
@require_http_methods(["GET", "POST"])
def counter(request):
    """A question answered at a counter (a township station's, the district hall's) with no case:
    logged in a few taps, then its slip, with the code and the address the person rates the visit
    at (一次一评), as a booth's. The form's key logs it once however often it is sent."""
    counters = selectors.counters_for_viewer(viewer=request.user)
    chosen = (request.POST.get("service_point_code") or request.GET.get("point") or "")[:40]
    point = next((p for p in counters if p.code == chosen), counters[0] if counters else None)
    resident = _resident_at_counter(request)
    form = CounterConsultationForm(
        request.POST or None,
        counters=counters,
        items=item_list(),
        initial={
            "service_point_code": point.code if point else "",
            "resident_id": resident.pk if resident else None,
            "idempotency_key": uuid.uuid4().hex,
        },
    )
    error, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                logged = services.counter_consultation_log(actor=request.user, **form.cleaned_data)
            except DomainError as refused:
                error, status = refused.text(), refused.status
            else:
                url = reverse("outreach:counter")
                return redirect(f"{url}?point={logged.service_point.code}&slip={logged.slip_code}#slip")
        else:
            status = 400
    return render(
        request,
        "outreach/counter.html",
        {
            "form": form,
            "point": point,
            "resident": resident,
            "error": error,
            "slip": selectors.slip_get_for_viewer(viewer=request.user, code=request.GET.get("slip", "")),
            "rate_address": _rate_address(),
            "answered": selectors.counter_answered_today(viewer=request.user, point=point) if point else [],
        },
        status=status,
    )


@needs("figures.read")
@login_required
@require_GET
def coverage(request):
    rows = selectors.visit_coverage(viewer=request.user, town_code=request.GET.get("town") or None)
    counts = {
        state: sum(1 for r in rows if r.state == state) for state in ("overdue", "never", "due_soon", "ok")
    }
    return render(
        request,
        "outreach/coverage.html",
        {
            "rows": rows,
            "counts": counts,
            "towns": towns_for_viewer(request.user).order_by("code"),
            "town": request.GET.get("town", ""),
        },
    )


@needs("outreach.work")
@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request):
    villages = Village.objects.select_related("town").order_by("code").visible_to(request.user)
    form = VisitForm(
        request.POST or None,
        villages=villages,
        initial={"date": timezone.localdate(), "village_code": request.GET.get("village", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        needs = [
            services.NeedIn(
                description=data[f"need_{i}"],
                outcome=data[f"outcome_{i}"] or "closed",
                due_date=data[f"due_{i}"],
            )
            for i in range(form.NEED_ROWS)
            if data[f"need_{i}"].strip()
        ]
        try:
            services.visit_record(
                actor=request.user,
                village_code=data["village_code"],
                day=data["date"],
                cadre_ids=[request.user.pk],
                households_met=data["households_met"],
                notes=data["notes"],
                needs=needs,
            )
        except DomainError as error:
            flash_error(request, error)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("outreach:coverage")
    return render(request, "outreach/visit_new.html", {"form": form})


@needs("person.read")
@login_required
@require_GET
def home_tasks(request):
    return render(
        request,
        "outreach/home_tasks.html",
        {"tasks": selectors.home_task_list(viewer=request.user), "form": CompleteTaskForm()},
    )


@needs("outreach.work")
@login_required
@require_POST
def home_task_complete(request, task_id: int):
    form = CompleteTaskForm(request.POST)
    if form.is_valid():
        try:
            services.home_task_complete(
                actor=request.user, task_id=task_id, result=form.cleaned_data["result"]
            )
        except DomainError as error:
            flash_error(request, error)
        else:
            messages.success(request, _("Done."))
    return redirect("outreach:home-tasks")


@needs("person.read")
@login_required
@require_GET
def roster(request):
    year = parse_year(request.GET.get("year"))
    village = request.GET.get("village") or None
    rows = (
        selectors.certification_roster(viewer=request.user, year=year, village_code=village)
        if village
        else []
    )
    villages = (
        Village.objects.select_related("town")
        .filter(residents__pensioner__isnull=False)
        .distinct()
        .order_by("code")
        .visible_to(request.user)
    )
    return render(
        request,
        "outreach/roster.html",
        {
            "rows": rows,
            "summary": {
                "done": sum(1 for r in rows if r.certification),
                "data": sum(1 for r in rows if r.certification and r.certification.method == "data"),
                "left": sum(1 for r in rows if not r.certification),
            },
            "year": year,
            "village": village,
            "villages": villages,
            "form": CertifyForm(),
            "visit_form": HomeVisitForm(
                initial={"visit_date": timezone.localdate() + datetime.timedelta(days=3)}
            ),
        },
    )


@needs("outreach.certify")
@login_required
@require_POST
def certify(request, pensioner_id: int):
    """A refusal (a leader) is a 403 in the row's words, a pensioner not of the viewer's towns a 404."""
    form = CertifyForm(request.POST)
    year = parse_year(request.POST.get("year"))
    certification = services.pensioner_certify(
        actor=request.user,
        pensioner_id=pensioner_id,
        year=year,
        method=form.cleaned_data["method"] if form.is_valid() else "",
    )
    messages.success(request, _("Certified."))
    village = certification.pensioner.resident.village.code
    return redirect(f"{reverse('outreach:roster')}?year={year}&village={village}")


@needs("outreach.certify_by_data")
@login_required
@require_POST
def certify_by_data(request):
    """Staff or a cadre, one press: this year's pensioners of their towns with a sign of life in the
    year are certified by data (the nightly job does the same for every bureau)."""
    year = parse_year(request.POST.get("year"))
    village = request.POST.get("village", "")[:20]
    run = services.certification_by_data_run(actor=request.user, year=year)
    messages.success(
        request,
        _("Certified by data: %(certified)d of %(checked)d pensioners not yet certified for %(year)d.")
        % {"certified": run.certified, "checked": run.pensioners_checked, "year": year},
    )
    return redirect(f"{reverse('outreach:roster')}?year={year}&village={village}")


@needs("outreach.certify")
@login_required
@require_POST
def home_visit(request, pensioner_id: int):
    """From the roster, one step: cannot travel, and a cadre comes on the day chosen."""
    form = HomeVisitForm(request.POST)
    year = parse_year(request.POST.get("year"))
    village = request.POST.get("village", "")[:20]
    if not form.is_valid():
        messages.error(request, _("Choose the day of the home visit."))
    else:
        try:
            task = services.home_certification_schedule(
                actor=request.user,
                pensioner_id=pensioner_id,
                year=year,
                visit_date=form.cleaned_data["visit_date"],
            )
        except DomainError as error:
            flash_error(request, error)
        else:
            messages.success(
                request,
                _("Home certification on %(date)s by %(cadre)s.")
                % {"date": task.due_date.isoformat(), "cadre": task.assigned_to},
            )
    return redirect(f"{reverse('outreach:roster')}?year={year}&village={village}")


@needs("figures.read")
@login_required
@require_http_methods(["GET", "POST"])
def leaders(request):
    towns = towns_for_viewer(request.user).order_by("code")
    form = LeaderVisitForm(
        request.POST or None,
        towns=towns,
        employers=employer_list(viewer=request.user),
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.leader_visit_record(
                actor=request.user,
                kind=data["kind"],
                day=data["date"],
                town_code=data["town_code"],
                findings=data["findings"],
                enterprise=data["enterprise"],
                follow_up=data["follow_up"],
                follow_up_due=data["follow_up_due"],
            )
        except DomainError as error:
            flash_error(request, error)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("outreach:leaders")
    return render(
        request,
        "outreach/leaders.html",
        {
            "progress": selectors.leader_progress(viewer=request.user),
            "visits": selectors.leader_visit_list(viewer=request.user)[:30],
            "form": form,
        },
    )


@signed_in
@login_required
@require_GET
def my_calendar(request):
    settings, _created = StaffOutreach.objects.get_or_create(user=request.user)
    url = request.build_absolute_uri(reverse("staff-calendar", args=[settings.calendar_token]))
    return render(request, "outreach/calendar.html", {"url": url})


@public
@require_GET
def calendar_ics(request, token: str):
    settings = (
        StaffOutreach.objects.select_related("user")
        .filter(calendar_token=token, user__is_active=True)
        .first()
    )
    if settings is None:
        raise NotFound(_("No such calendar."))
    return HttpResponse(
        calendar_feed.staff_calendar(settings.user), content_type="text/calendar; charset=utf-8"
    )


@public
@require_GET
def village_index(request):
    """Public: find one's village (a town, then its villages; plain links, no script), for the page
    of the next booths near it."""
    town_code = request.GET.get("town", "")[:12]
    town = town_get(code=town_code) if town_code else None
    return render(
        request,
        "outreach/village_index.html",
        {
            "town": town,
            "towns": town_directory(),
            "villages": village_list_for_town(town_code=town.code) if town else [],
        },
    )


@public
@require_GET
def village_page(request, code: str):
    """Public: where the next booths near a village are, and its town's station. The village is
    remembered as the resident's (they chose it), so that every page, this one too, gives its
    station's phone in elder mode and the item pages answer for it."""
    village = Village.objects.select_related("town").filter(code=code).first()
    if village is None:
        raise NotFound(_("No village with code %(code)s."), params={"code": code})
    request.COOKIES[VILLAGE_COOKIE] = village.code  # this page already speaks for it
    response = render(
        request,
        "outreach/village.html",
        {
            "village": village,
            "town": town_get(code=village.town.code),
            "booths": [(b, selectors.booth_offer(booth=b)) for b in selectors.next_booths(village=village)],
        },
    )
    response.set_cookie(VILLAGE_COOKIE, village.code, max_age=VILLAGE_COOKIE_AGE, samesite="Lax")
    return response


@needs("person.read")
@login_required
@require_http_methods(["GET", "POST"])
def booth_reminder(request, resident_id: int):
    """A resident's texts the day before a booth: asked for (where, when, by whom heard) or stopped."""
    resident = resident_get_for_viewer(viewer=request.user, resident_id=resident_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "stop":
                services.booth_reminder_stop(actor=request.user, resident_id=resident.pk)
                messages.success(request, _("Booth texts stopped."))
            else:
                services.booth_reminder_opt_in(
                    actor=request.user, resident_id=resident.pk, channel=request.POST.get("channel", "")[:12]
                )
                messages.success(
                    request, _("Booth texts on: a text the day before each booth near the village.")
                )
        except DomainError as error:
            flash_error(request, error)
        return redirect("outreach:booth-reminder", resident_id=resident.pk)
    return render(
        request,
        "outreach/booth_reminder.html",
        {
            "resident": resident,
            "reminders": resident.booth_reminders.select_related("recorded_by").order_by("-opted_in_at"),
            "channels": BoothReminder.Channel.choices,
        },
    )


@public
@require_POST
def booth_reminders_stop_by_phone(request):
    """Public, on the status page: no more booth texts to this mobile. The same answer whether or not
    the number had asked for them; a few tries an hour from one address."""
    # fails open: the answer is the same for any number, and stopping one's texts must always work
    if rate_limited(request, group="booth-texts-stop", key="ip", rate="10/h", fail_open=True):
        return render(
            request,
            "outreach/booth_texts_stopped.html",
            {"error": _("Too many tries: wait an hour.")},
            status=429,
        )
    typed = request.POST.get("phone", "")[:20]
    try:
        services.booth_reminders_withdraw_by_phone(phone=typed, via=BoothReminder.Withdrawal.STATUS_PAGE)
    except DomainError as error:
        # the form again, the number as typed and the error beside it
        return render(
            request,
            "outreach/booth_texts_stopped.html",
            {"stop_error": error.text(), "stop_phone": typed},
            status=400,
        )
    return render(request, "outreach/booth_texts_stopped.html", {"error": ""})


@public
@require_http_methods(["GET", "POST"])
def rate_slip(request):
    """一次一评: the person rates a booth visit with the code on its slip (a resident only)."""
    form = SlipRatingForm(request.POST or None, initial={"slip_code": request.GET.get("code", "")[:12]})
    context = {"form": form, "staff": request.user.is_authenticated}
    status = 200
    if request.method == "POST":
        refused = staff_refusal(request)
        if refused is not None:
            return refused
        if rate_limited(request, group="rating", key="ip", rate=settings.RATING_RATE, fail_open=False):
            context["error"], status = _("Too many tries from here. Please wait a while and try again."), 429
        elif form.is_valid():
            try:
                services.consultation_rate(**form.cleaned_data)
            except DomainError as error:
                context["error"], status = error.text(), error.status
            else:
                return render(request, "outreach/rate_slip.html", {"thanks": True})
        else:
            status = 400
    return render(request, "outreach/rate_slip.html", context, status=status)
