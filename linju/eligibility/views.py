import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linju.access.guards import needs, public
from linju.access.scoping import towns_for_viewer
from linju.audit.views import start_export
from linju.core.enqueue import enqueue
from linju.core.errors import DomainError, NotFound
from linju.core.feedback import add_form_errors, flash_error
from linju.core.limits import rate_limited
from linju.geo.selectors import town_directory
from linju.outreach.models import HomeTask
from linju.outreach.services import home_task_create
from linju.people.shown import reads_people

from . import selectors, services
from .forms import SelfCheckForm, SelfCheckTextForm
from .models import DiscoveryRun
from .rules import FACTS, RuleError, parse_rule
from .tasks import run_discovery


def self_check_page(request, *, places_for_steps=None, bundles_for=None):
    """Public, no log-in, nothing stored. `places_for_steps(request, answers)` gives each step its
    nearest place (the portal, which knows places, passes it; eligibility cannot ask for them);
    `bundles_for(request, answers)` the bundles (一件事) that do the answers' items together."""
    form = SelfCheckForm(request.POST or None)
    answers, bundles = None, []
    if request.method == "POST" and form.is_valid():
        try:
            answers = services.self_check(
                answers={k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            )
        except DomainError as error:
            add_form_errors(form, error)
        else:
            if places_for_steps is not None:
                answers = places_for_steps(request, answers)
            if bundles_for is not None:
                bundles = bundles_for(request, answers)
    return render(
        request,
        "eligibility/self_check.html",
        {
            "form": form,
            "answers": answers,
            "bundles": bundles,
            "show_bureau": len({offered.bundle.bureau_id for offered in bundles}) > 1,
            "text_form": SelfCheckTextForm(
                initial={
                    "items": ",".join(a.item.code for a in answers or []),
                    "steps": ",".join(f"{a.item.code}:{s.condition}" for a in answers or [] for s in a.steps),
                }
            ),
            "towns": town_directory(),
        },
        status=400 if form.errors else 200,
    )


@public
@require_POST
def self_check_text(request):
    """Public: the items the self-check found, sent to the resident's own phone (a few an hour from
    one address; three a day to one phone)."""
    form = SelfCheckTextForm(request.POST)
    status, error, sent = 200, "", ""
    # fails closed: without a count, anyone could have texts sent to a phone not theirs
    if rate_limited(request, group="self-check-text", key="ip", rate="5/h", fail_open=False):
        status, error = 429, _("Too many texts from here: try again in an hour.")
    elif not form.is_valid():
        status, error = 400, " ".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        try:
            sent = services.self_check_text(
                phone=form.cleaned_data["phone"],
                town_code=form.cleaned_data["town"],
                item_codes=form.cleaned_data["items"],
                step_keys=form.cleaned_data["steps"],
            )
        except DomainError as failure:
            status, error = (429 if failure.code == "rate_limited" else failure.status), failure.text()
    return render(request, "eligibility/self_check_text.html", {"error": error, "sent": sent}, status=status)


@needs("figures.read")
@login_required
@require_GET
def discovery(request):
    services.discovery_runs_fail_silent()  # a run whose worker died shows as stopped, not "running"
    runs = selectors.latest_runs(viewer=request.user)
    village = request.GET.get("village") or None
    by_name = reads_people(request.user)  # else the counts per village and item: no names
    hits, counts = [], []
    for run in runs:  # one run a town for a cadre, else one: 300 people (or lists) at most
        if run.status == DiscoveryRun.Status.DONE and len(hits) + len(counts) < 300:
            if by_name:
                hits += selectors.discovery_entries(
                    viewer=request.user, run=run, village_code=village, limit=300 - len(hits)
                )
            else:
                counts += selectors.discovery_counts(
                    viewer=request.user, run=run, village_code=village, limit=300 - len(counts)
                )
    return render(
        request,
        "eligibility/discovery.html",
        {
            "runs": runs,
            "waiting": any(
                r.status in (DiscoveryRun.Status.QUEUED, DiscoveryRun.Status.RUNNING) for r in runs
            ),
            "hits": hits,
            "counts": counts,
            # who is on a step's list (失业登记) may apply for more once it is taken: say so
            "after_steps": selectors.items_after_steps(item_codes={h.item.code for h in hits}),
            "village": village,
            "towns": towns_for_viewer(request.user).order_by("code"),
        },
    )


@needs("discovery.run")
@login_required
@require_POST
def discovery_start(request):
    town = request.POST.get("town") or None
    try:  # all my towns: one job a town for a cadre, each on whichever worker is free
        runs = (
            [services.discovery_start(actor=request.user, town_code=town)]
            if town
            else services.discovery_fan_out(actor=request.user)
        )
    except DomainError as error:
        flash_error(request, error)
    else:
        for run in runs:
            enqueue(run_discovery, run.pk, record=False)  # refused: the sweep queues it
    return redirect("eligibility:discovery")


@needs("personal.export")
@login_required
@require_POST
def discovery_export(request, run_id: int):
    if selectors.finished_run(viewer=request.user, run_id=run_id) is None:
        messages.error(request, _("No finished run to export."))
        return redirect("eligibility:discovery")
    return start_export(
        request, "discovery", {"run": str(run_id), "village": request.POST.get("village", "")}
    )


@needs("outreach.work")
@login_required
@require_POST
def hit_to_home_task(request, list_id: int, resident_id: int):
    entry = selectors.discovery_entry(viewer=request.user, list_id=list_id, resident_id=resident_id)
    if entry is None:
        raise NotFound(_("No such entry."))
    try:
        home_task_create(
            actor=request.user,
            kind=HomeTask.Kind.OTHER,
            resident_id=entry.resident.pk,
            asked_via=HomeTask.AskedVia.DISCOVERY,
            due_date=timezone.localdate() + datetime.timedelta(days=14),
            item=entry.item,
        )
    except DomainError as error:
        flash_error(request, error)
    else:
        messages.success(
            request, _("Home task created: tell them about %(item)s.") % {"item": entry.item.name}
        )
    return redirect("eligibility:discovery")


@needs("rules.edit")
@login_required
@require_http_methods(["GET", "POST"])
def rule_trial(request):
    """Try a rule on sample residents of the viewer's towns before saving it. For those who write
    rules (administrators and district staff); names are shown masked: the point is the rule.

    The page opens on GET; a rule runs only on a POST with the CSRF token, so a link on another site
    cannot make a signed-in member of staff's browser run one."""
    # a link (the admin's "try it") fills the box; only the POST of the form runs the rule
    expression = (request.POST if request.method == "POST" else request.GET).get("expression", "")[:1000]
    rows, error = [], None
    if request.method == "POST" and expression.strip():
        try:
            rule = parse_rule(expression)
        except RuleError as problem:
            error = problem.text()
        else:
            rows = selectors.rule_trial(viewer=request.user, rule=rule)
    return render(
        request,
        "eligibility/trial.html",
        {"expression": expression, "rows": rows, "error": error, "fact_names": list(FACTS)},
    )
