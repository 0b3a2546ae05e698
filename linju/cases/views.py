from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linju.access.capabilities import can, require
from linju.access.guards import needs, public
from linju.audit.views import start_export
from linju.core.errors import DomainError, NotFound
from linju.core.feedback import add_form_errors, flash_error
from linju.core.limits import rate_limited
from linju.core.pdf import pdf_response
from linju.core.request_context import request_context
from linju.people.masking import mask_phone

from . import papers, rating_selectors, selectors, services
from .forms import (
    AppealDecideForm,
    AppealForm,
    CallbackCallForm,
    CallbackDoneForm,
    CallbackRectifyForm,
    ExtensionAskForm,
    ExtensionDecideForm,
    FinishForm,
    FixRatingForm,
    FollowUpCloseForm,
    PhoneRatingForm,
    RatingCodeAskForm,
    RatingForm,
    StatusLookupForm,
    TransitionForm,
)
from .jinbao_selectors import goes_to_jinbao
from .models import Extension, Rating
from .promises import case_promise

PAGE_SIZE = 30


@needs("case.read")
@login_required
@require_GET
def case_list(request):
    work_list = request.GET.get("list", "")
    if work_list not in selectors.WORK_LISTS:
        work_list = ""
    filters = selectors.list_filters(request.GET)
    cases = selectors.case_list(viewer=request.user, work_list=work_list or None, **filters)
    kept_query = request.GET.copy()
    kept_query.pop("page", None)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_people(page.object_list, viewer=request.user)
    context = {
        "page": page,
        "query": kept_query.urlencode(),
        "filtered": any(filters.values()),
        "counts": selectors.work_counts(viewer=request.user),
        "work_list": work_list,
        "today": timezone.localdate(),
        "follow_ups": selectors.follow_up_list(viewer=request.user) if work_list == "follow_ups" else [],
    }
    return render(request, "cases/list.html", context)


@needs("personal.export")
@login_required
@require_POST
def case_export(request):
    """The list as shown (same work list and filters) as a spreadsheet, built by a worker; names
    and ID numbers masked; the export is recorded."""
    keys = ("list", "town", "item", "channel", "taken", "closed", "late")
    return start_export(request, "cases", {key: request.POST.get(key, "") for key in keys})


@needs("case.read")
@login_required
@require_GET
def case_detail(request, number: str):
    try:
        case = services.case_open(
            viewer=request.user, number=number, what="page", context=request_context(request)
        )
    except NotFound:  # a bundle case's number (一件事): its own page, or the same 404
        services.bundle_case_get_for_viewer(viewer=request.user, number=number)
        return redirect("cases:bundle", number=number)
    people = selectors.case_people(viewer=request.user, case=case)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "people": people,
            "events": case.events.select_related("actor"),
            "actions": services.allowed_actions(case, request.user),
            "rating": Rating.objects.filter(case=case).select_related("callback").first(),
            "finish_form": FinishForm(),
            "finisher": services.finishing_office(case),
            "promise": case_promise(case),
            "extensions": case.extensions.select_related("asked_by", "decided_by"),
            "photos": case.photos.all() if people.personal else [],
            "extension_form": ExtensionAskForm()
            if case.is_open and can(request.user, "case.extend")
            else None,
            "may_decide": can(request.user, "case.extend_approve"),
            "jinbao": people.personal and can(request.user, "jinbao.sheet") and goes_to_jinbao(case),
        },
    )


@needs(*services.MOVE_CAPABILITIES)
@login_required
@require_POST
def case_transition(request, number: str):
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return redirect("cases:detail", number=number)
    data = form.cleaned_data
    outcome = None
    if data["action"] == "finish":
        finish = FinishForm(request.POST, request.FILES)
        if not finish.is_valid():
            for errors in finish.errors.values():
                messages.error(request, " ".join(errors))
            return redirect("cases:detail", number=number)
        f = finish.cleaned_data
        outcome = services.Outcome(
            kind=f["outcome"],
            detail=f["outcome_detail"],
            rule=f["outcome_rule"],
            amount=f["amount"],
            period=f["period"],
            document=f["document"],
            hand_over=f["hand_over"],
        )
    return _back_to_the_case(
        request,
        number,
        lambda: services.case_transition(
            actor=request.user,
            number=number,
            action=data["action"],
            note=data["note"],
            missing=[m.strip() for m in data["missing"].splitlines() if m.strip()],
            reason=data["reason"],
            outcome=outcome,
            expected_version=data["version"],
        ),
    )


SAVED = _("Saved.")


def _back_to_the_case(request, number: str, write, done=SAVED):
    """Do a write of the case page's, say how it went in plain words, and show the case again."""
    try:
        write()
    except DomainError as error:
        flash_error(request, error)
    else:
        messages.success(request, done)
    return redirect("cases:detail", number=number)


@needs("case.extend")
@login_required
@require_POST
def extension_ask(request, number: str):
    form = ExtensionAskForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how many working days more (1 to 30) and why."))
        return redirect("cases:detail", number=number)
    return _back_to_the_case(
        request,
        number,
        lambda: services.extension_ask(actor=request.user, number=number, **form.cleaned_data),
        _("Asked: a colleague or your leader approves it."),
    )


@needs("case.extend_approve")
@login_required
@require_POST
def extension_decide(request, number: str, extension_id: int):
    form = ExtensionDecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return redirect("cases:detail", number=number)
    return _back_to_the_case(
        request,
        number,
        lambda: services.extension_decide(
            actor=request.user, extension_id=extension_id, number=number, **form.cleaned_data
        ),
    )


@needs("case.papers_unmask")
@login_required
@require_GET
def case_decision(request, number: str):
    """The decision attached on finishing (PDF or photo): opened as an unmasking, and recorded so."""
    paper = services.case_paper_unmask(viewer=request.user, number=number, context=request_context(request))
    response = FileResponse(paper.open("rb"), as_attachment=False)
    response["Cache-Control"] = "private, no-store"
    return response


@needs("case.papers_unmask")
@login_required
@require_GET
def case_photo(request, number: str, photo_id: int):
    """A photo of a paper: opened as an unmasking by staff who may see the case, recorded; never public."""
    paper = services.case_paper_unmask(
        viewer=request.user, number=number, photo_id=photo_id, context=request_context(request)
    )
    response = FileResponse(paper.open("rb"), as_attachment=False)
    response["Cache-Control"] = "private, no-store"
    return response


@needs("case.follow_up")
@login_required
@require_POST
def follow_up_close(request, follow_up_id: int):
    require(request.user, "case.follow_up")  # a refusal is the page's 403, not a message on the list
    form = FollowUpCloseForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_close(
                actor=request.user, follow_up_id=follow_up_id, answer=form.cleaned_data["answer"]
            )
        except DomainError as error:
            flash_error(request, error)
    return redirect(f"{reverse('cases:list')}?list=follow_ups")


PDF_ROUTES = {
    "receipt": "cases:receipt-pdf",
    "notice": "cases:notice-pdf",
    "return": "cases:return-notice-pdf",
}
NO_PAPER = {
    "notice": _("Nothing is missing for this case: there is no one-time notice."),
    "return": _("This case was not returned: there is no notice of return."),
}


@needs("person.read")  # the papers handed to the person carry their name
@login_required
@require_GET
def case_paper(request, number: str, paper: str, as_pdf: bool = False):
    """A paper of the case as a page, or its PDF (built by a huey job: linju.core.pdf)."""
    case = services.case_open(
        viewer=request.user, number=number, what=paper, context=request_context(request)
    )
    document = papers.case_paper(case, paper)
    if document is None:
        raise NotFound(NO_PAPER[paper])
    if as_pdf:
        return pdf_response(request, papers.paper_kind(paper), case.number, document)
    context = document.context | {"pdf_url": reverse(PDF_ROUTES[paper], args=[case.number])}
    if paper == "receipt" and document.context["promise"].paused:
        context["notice_url"] = reverse("cases:notice", args=[case.number])
    return render(request, "cases/papers/page.html", context)


# steps the resident's page leaves out: their own rating, and what is staff's business until decided
PRIVATE_EVENTS = ("rate", "extend_ask", "extend_no")


def _rate_limited(request) -> bool:
    # fails closed: the four digits are all that stands between a stranger and a timeline
    return rate_limited(
        request, group="status-lookup", key="ip", rate=settings.STATUS_LOOKUP_RATE, fail_open=False
    )


@public
@require_http_methods(["GET", "POST"])
def status_lookup(request):
    """Public: case number + last 4 digits of the phone → the timeline, no personal data."""
    form = StatusLookupForm(request.POST or None, initial={"number": request.GET.get("number", "")[:20]})
    context = {"form": form}
    status = 200
    if request.method == "POST":
        if _rate_limited(request):
            context["error"] = _("Too many look-ups from here. Please wait a minute and try again.")
            status = 429
        elif form.is_valid():
            try:
                case = services.case_status_lookup(**form.cleaned_data)
            except NotFound as not_a_case:
                try:  # a bundle case's number (一件事): the bundle first, then its parts
                    bundle_case = services.bundle_status_lookup(**form.cleaned_data)
                except DomainError:
                    context["error"] = not_a_case.text()
                    status = not_a_case.status
                else:
                    return render(request, "cases/bundle_status.html", {"bundle_case": bundle_case})
            except DomainError as error:
                context["error"] = error.text()
                status = error.status
            else:
                context |= {
                    "case": case,
                    "events": case.events.exclude(action__in=PRIVATE_EVENTS),
                    "rating": getattr(case, "rating", None),
                    "finisher": services.finishing_office(case),
                    "promise": case_promise(case),
                    "extensions": case.extensions.filter(status=Extension.Status.APPROVED),
                }
                context["rating_form"] = RatingForm(initial=form.cleaned_data)
    return render(request, "cases/status.html", context, status=status)


def staff_refusal(request):
    """The 403 page for a rating posted from a staff session or with a staff key (both languages),
    or None for a resident."""
    try:
        services.staff_refused(
            signed_in=request.user.is_authenticated, with_key="HTTP_AUTHORIZATION" in request.META
        )
    except DomainError as error:
        chinese, english = services.both_languages(error)
        return render(
            request, "core/error.html", {"status": 403, "message": f"{chinese} {english}"}, status=403
        )
    return None


def _rating_rate_limited(request) -> bool:
    return rate_limited(request, group="rating", key="ip", rate=settings.RATING_RATE, fail_open=False)


TOO_MANY = _("Too many tries from here. Please wait a while and try again.")


@public
@require_POST
def status_rate(request):
    refused = staff_refusal(request)
    if refused is not None:
        return refused
    form = RatingForm(request.POST)
    if _rate_limited(request):
        return render(
            request,
            "cases/status.html",
            {
                "form": StatusLookupForm(),
                "error": _("Too many look-ups from here. Please wait a minute and try again."),
            },
            status=429,
        )
    if not form.is_valid():
        return render(
            request,
            "cases/status.html",
            {"form": StatusLookupForm(request.POST), "error": _("Choose one of the five levels.")},
            status=400,
        )
    try:
        services.case_rate_by_resident(**form.cleaned_data)
    except DomainError as error:
        return render(
            request,
            "cases/status.html",
            {"form": StatusLookupForm(request.POST), "error": error.text()},
            status=error.status,
        )
    return render(request, "cases/status.html", {"form": StatusLookupForm(), "thanks": True})


@public
@require_http_methods(["GET", "POST"])
def rate_by_phone(request):
    """Rate a finished case from one's own phone: ask for a code (texted to the phone the bureau
    holds; the same answer whether or not the number is known), then type it back with the rating."""
    asked_for = "".join(request.GET.get("number", "").split())[:20]
    context = {
        "ask": RatingCodeAskForm(initial={"number": asked_for}),
        "rate": PhoneRatingForm(),
        "staff": request.user.is_authenticated,
    }
    status = 200
    if request.method == "POST":
        refused = staff_refusal(request)
        if refused is not None:
            return refused
        if _rating_rate_limited(request):
            context["error"], status = TOO_MANY, 429
        elif request.POST.get("step") == "ask":
            ask = RatingCodeAskForm(request.POST)
            context["ask"] = ask
            if ask.is_valid():
                if services.rating_code_send(**ask.cleaned_data) == services.ALREADY_RATED:
                    context["rated"] = ask.cleaned_data["number"]
                else:
                    context["asked"] = True
                    context["rate"] = PhoneRatingForm(initial={"number": ask.cleaned_data["number"]})
            else:
                status = 400
        else:
            rate = PhoneRatingForm(request.POST)
            context["rate"], context["asked"] = rate, True
            if rate.is_valid():
                try:
                    services.case_rate_by_phone(**rate.cleaned_data)
                except DomainError as error:
                    context["error"], status = error.text(), error.status
                else:
                    return render(request, "cases/rate_phone.html", {"thanks": True})
            else:
                status = 400
    return render(request, "cases/rate_phone.html", context, status=status)


@public
@require_http_methods(["GET", "POST"])
def fix_rate(request, token: str):
    """The resident rates the fix from the texted link: three big answers."""
    form = FixRatingForm(request.POST or None)
    context = {"form": form, "token": token, "staff": request.user.is_authenticated}
    status = 200
    if request.method == "POST":
        refused = staff_refusal(request)
        if refused is not None:
            return refused
        if _rating_rate_limited(request):
            context["error"], status = TOO_MANY, 429
        elif form.is_valid():
            try:
                services.fix_rate(token=token, level=form.cleaned_data["level"])
            except DomainError as error:
                context["error"], status = error.text(), error.status
            else:
                context["thanks"] = True
        else:
            status = 400
    return render(request, "cases/rate_fix.html", context, status=status)


@public
@require_GET
def ratings_public(request):
    """好差评, month by month, by town and item: numbers only, no names."""
    rows = rating_selectors.public_monthly_figures()
    return render(request, "cases/ratings_public.html", {"months": rating_selectors.months_of(rows)})


# staff: callbacks, rectifications and appeals


@needs("case.read")
@login_required
@require_GET
def callback_list(request):
    which = request.GET.get("list", "open")
    if which not in rating_selectors.CALLBACK_LISTS:
        which = "open"
    rows = rating_selectors.callbacks(viewer=request.user, which=which)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = (
        rating_selectors.ratings_of_my_work(viewer=request.user) if can(request.user, "rating.appeal") else []
    )
    return render(
        request,
        "cases/callbacks.html",
        {
            "page": page,
            "which": which,
            "lists": rating_selectors.CALLBACK_LISTS,
            "overdue_by_town": rating_selectors.overdue_callbacks_by_town(viewer=request.user),
            "appeals": rating_selectors.appeals_waiting(viewer=request.user)
            if can(request.user, "rating.appeal_decide")
            else [],
            "mine": mine,
            # the appeal offered where the service takes it: a 差评 not set aside
            "appealable": {rating.pk for rating in mine if services.rating_appealable(rating)},
            "appeal_form": AppealForm(),
            "decide_form": AppealDecideForm(),
            "today": timezone.localdate(),
        },
    )


# each step's form on the page: the status the callback must be in for it, and its form
CALLBACK_STEPS = {
    "call_form": ("open", CallbackCallForm),
    "rectify_form": ("called", CallbackRectifyForm),
    "done_form": ("rectifying", CallbackDoneForm),
}


def _callback_page(request, follow_up, *, posted: tuple[str, object] | None = None, phone="", status=200):
    """The callback page: its steps' forms (a posted one kept as typed, errors beside its fields), and
    the phone to call masked, or whole once revealed (`phone`)."""
    may = can(request.user, "rating.callback", follow_up)
    forms_shown = {
        name: form_class() if may and follow_up.status == needed else None
        for name, (needed, form_class) in CALLBACK_STEPS.items()
    }
    if posted is not None:
        forms_shown[posted[0]] = posted[1]
    _resident, to_call = services.callback_phone(follow_up)
    return render(
        request,
        "cases/callback.html",
        {
            "callback": follow_up,
            "today": timezone.localdate(),
            "phone_masked": mask_phone(to_call) if to_call else "",
            "phone_whole": phone,
            "may_unmask": bool(to_call) and can(request.user, "resident.unmask"),
            **forms_shown,
        },
        status=status,
    )


@needs("case.read")
@login_required
@require_GET
def callback_detail(request, follow_up_id: int):
    follow_up = rating_selectors.callback_get(viewer=request.user, follow_up_id=follow_up_id)
    return _callback_page(request, follow_up)


@needs("resident.unmask")
@login_required
@require_POST
def callback_phone_unmask(request, follow_up_id: int):
    """The whole phone to call: revealed and recorded as the resident record's reveal is."""
    follow_up = rating_selectors.callback_get(viewer=request.user, follow_up_id=follow_up_id)
    phone = services.callback_phone_unmask(
        viewer=request.user, follow_up=follow_up, context=request_context(request)
    )
    return _callback_page(request, follow_up, phone=phone)


def _posted(request, form_class, act, said, **key) -> None:
    """A callback's or an appeal's form posted: the service acts on the cleaned fields, and the page
    says what came of it (saved, or the refusal in words); nothing changes when the form is incomplete."""
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return
    try:
        act(actor=request.user, **key, **form.cleaned_data)
    except DomainError as error:
        flash_error(request, error)
    else:
        messages.success(request, said)


def _callback_step(request, follow_up_id: int, name: str, step) -> object:
    """A step of a callback posted: saved, then the page; refused, the page again with the form as
    typed and each error beside its field (400)."""
    form = CALLBACK_STEPS[name][1](request.POST)
    if form.is_valid():
        try:
            step(actor=request.user, follow_up_id=follow_up_id, **form.cleaned_data)
        except DomainError as error:
            if error.status == 404:
                raise
            add_form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:callback", follow_up_id=follow_up_id)
    follow_up = rating_selectors.callback_get(viewer=request.user, follow_up_id=follow_up_id)
    return _callback_page(request, follow_up, posted=(name, form), status=400)


@needs("rating.callback")
@login_required
@require_POST
def callback_call(request, follow_up_id: int):
    return _callback_step(request, follow_up_id, "call_form", services.callback_record_call)


@needs("rating.callback")
@login_required
@require_POST
def callback_rectify(request, follow_up_id: int):
    return _callback_step(request, follow_up_id, "rectify_form", services.callback_rectify)


@needs("rating.callback")
@login_required
@require_POST
def callback_done(request, follow_up_id: int):
    return _callback_step(request, follow_up_id, "done_form", services.callback_rectified)


@needs("rating.appeal")
@login_required
@require_POST
def appeal_file(request, rating_id: int):
    said = _("Your appeal is recorded; someone else will decide it.")
    _posted(request, AppealForm, services.appeal_file, said, rating_id=rating_id)
    return redirect("cases:callbacks")


@needs("rating.appeal_decide")
@login_required
@require_POST
def appeal_decide(request, appeal_id: int):
    _posted(request, AppealDecideForm, services.appeal_decide, _("Saved."), appeal_id=appeal_id)
    return redirect("cases:callbacks")
