"""The gig market's pages: the public list of the day's and the week's gigs (no script needed), and
staff's: the hub, posting, signing in, registering a worker, a gig with its candidates in the
published order and the dispatch, the slip as a half-page PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linju.access.guards import needs, public
from linju.core.errors import DomainError, NotFound
from linju.core.feedback import add_form_errors, flash_error
from linju.core.pdf import pdf_response
from linju.core.request_context import request_context
from linju.geo.models import Town

from . import selectors
from .forms import DispatchForm, GigForm, SignInForm, WorkerForm
from .services import dispatching, posting, signing_in
from .slips import slip_paper
from .wage_guide import below_guide_words


@public
@require_GET
def public_gigs(request):
    """零工 of the day and the coming week, per town and place: a form of links and a select, no script."""
    code = request.GET.get("town", "")[:12]
    town = Town.objects.filter(code=code).first() if code else None
    place = selectors.place_public(value=request.GET.get("place", "")) if request.GET.get("place") else None
    if place is not None:
        town = place.town
    gigs = list(selectors.gigs_public(town=town, place=place))
    return render(
        request,
        "gigs/public.html",
        {
            "days": selectors.by_day(gigs),
            "count": len(gigs),
            "today": timezone.localdate(),
            "towns": Town.objects.order_by("code"),
            "town": town,
            "place": place,
            "places": selectors.public_places(town=town) if town else [],
        },
    )


@needs("gig.post", "gig.sign_in", "gig.dispatch")
@login_required
@require_GET
def hub(request):
    today = timezone.localdate()
    return render(
        request,
        "gigs/hub.html",
        {
            "places": selectors.places_for_viewer(viewer=request.user),
            "today": today,
            "days": selectors.by_day(selectors.gig_list_for_viewer(viewer=request.user, first=today)),
        },
    )


@needs("gig.post")
@login_required
@require_http_methods(["GET", "POST"])
def gig_new(request):
    value = request.POST.get("place") or request.GET.get("place", "")
    place = selectors.place_for_viewer(viewer=request.user, value=value)
    form = GigForm(
        request.POST or None,
        initial={"place": place.value},
        work_types=selectors.work_type_list(),
        villages=selectors.villages_of_place(place),
    )
    if request.method == "POST" and form.is_valid():
        try:
            gig = posting.gig_post(actor=request.user, **form.service_arguments())
        except DomainError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("Posted: %(title)s.") % {"title": gig.title})
            if below := below_guide_words(gig):  # the cadre is told where they post, not later elsewhere
                messages.warning(request, below)
            return redirect("gigs:gig", gig_id=gig.pk)
    return render(
        request, "gigs/gig_new.html", {"form": form, "place": place}, status=400 if form.errors else 200
    )


@needs("gig.dispatch")
@login_required
@require_GET
def gig(request, gig_id: int):
    found = selectors.candidates_for_gig(viewer=request.user, gig_id=gig_id, context=request_context(request))
    first_open = next((r.position for r in found.rows if r.worker_id not in found.dispatched_ids), None)
    return render(
        request,
        "gigs/gig.html",
        {
            "found": found,
            "gig": found.gig,
            "pay": selectors.pay_words(found.gig),
            "first_open": first_open,
            "reasons": DispatchForm().fields["others"].choices,
        },
    )


@needs("gig.dispatch")
@login_required
@require_POST
def dispatch(request, gig_id: int):
    form = DispatchForm(request.POST)
    if not form.is_valid():
        raise NotFound(_("No such gig worker."))
    try:
        sent = dispatching.gig_dispatch(
            actor=request.user,
            gig_id=gig_id,
            worker_id=form.cleaned_data["worker"],
            others=form.reason(),
            text_slip=form.cleaned_data["text_slip"],
        )
    except DomainError as error:
        flash_error(request, error)
    else:
        messages.success(
            request,
            _("Sent (place %(position)d in the order). Print the slip or it goes by text.")
            % {"position": sent.position},
        )
    return redirect("gigs:gig", gig_id=gig_id)


@needs("gig.dispatch")
@login_required
@require_GET
def slip(request, dispatch_id: int):
    found = selectors.dispatch_get_for_viewer(viewer=request.user, dispatch_id=dispatch_id)
    return pdf_response(request, dispatching.SLIP, str(found.pk), slip_paper(found))


@needs("gig.sign_in")
@login_required
@require_http_methods(["GET", "POST"])
def sign_in(request):
    places = selectors.places_for_viewer(viewer=request.user)
    chosen = request.POST.get("place") or request.GET.get("place") or (places[0].value if places else "")
    form = SignInForm(request.POST or None, initial={"place": chosen}, places=places)
    answer = None
    if request.method == "POST" and form.is_valid():
        try:
            answer = signing_in.gig_sign_in(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_form_errors(form, error)
        else:
            form = SignInForm(initial={"place": chosen}, places=places)  # the next person
    place = next((p for p in places if p.value == chosen), None)
    today = timezone.localdate()
    signed = selectors.sign_ins_at(viewer=request.user, place=place, day=today) if place else []
    selectors.sign_ins_seen(viewer=request.user, sign_ins=signed, context=request_context(request))
    return render(
        request,
        "gigs/sign_in.html",
        {
            "form": form,
            "answer": answer,
            "place": place,
            "places": places,
            "signed": signed,
            "gigs": selectors.gig_list_for_viewer(viewer=request.user, place=place, first=today, days=0)
            if place
            else [],
        },
        status=400 if form.errors else 200,
    )


@needs("gig.worker")
@login_required
@require_http_methods(["GET", "POST"])
def worker_new(request):
    villages = selectors.villages_for_viewer(viewer=request.user)
    form = WorkerForm(request.POST or None, work_types=selectors.work_type_list(), villages=villages)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            resident = selectors.resident_by_id_number(viewer=request.user, id_number=data.pop("id_number"))
            seeker = getattr(resident, "job_seeker", None) if data.pop("from_seeker") else None
            if seeker is not None:
                worker = signing_in.gig_worker_from_seeker(actor=request.user, seeker_id=seeker.pk)
            else:
                worker = signing_in.gig_worker_register(actor=request.user, resident_id=resident.pk, **data)
        except DomainError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered for gigs: sign them in on the days they are free.")
                % {"name": worker.resident.name},
            )
            return redirect("gigs:sign-in")
    return render(request, "gigs/worker_new.html", {"form": form}, status=400 if form.errors else 200)
