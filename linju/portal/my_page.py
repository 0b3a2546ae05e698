"""A person's own page (我的), on the public site: asked for with the phone the bureau holds and the
last four characters of the ID number, opened with the code texted to that phone, theirs for 30
minutes in this browser's session. Works without script; every form is a plain POST."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from linju.access.guards import public
from linju.consent.models import ConsentPurpose
from linju.consent.services import authorisation_withdraw_by_person, consent_withdraw_by_person
from linju.consent.services.my_page import MyPagePass, my_page_code_check, my_page_code_send
from linju.core.errors import DomainError
from linju.core.limits import rate_limited
from linju.core.widgets import PHONE_WORDS, PhoneInput

from .mine import my_page_read

SESSION_KEY = "linju_my_page"
SENT = _(
    "If the bureau holds this phone for you, a code is on its way to it. Type it below; it works for "
    "10 minutes."
)


LAST4_WORDS = {
    "required": _("Write the last four characters of your ID number."),
    "min_length": _("Write exactly four characters: the last four of your ID number."),
    "max_length": _("Write exactly four characters: the last four of your ID number."),
}


class AskForm(forms.Form):
    phone = forms.CharField(
        label=_("Your mobile phone"),
        max_length=20,
        error_messages=PHONE_WORDS,
        widget=PhoneInput(),
    )
    last4 = forms.CharField(
        label=_("Last four characters of your ID number"),
        max_length=4,
        min_length=4,
        error_messages=LAST4_WORDS,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class CodeForm(forms.Form):
    phone = forms.CharField(max_length=20, widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("The code in the text"),
        max_length=6,
        min_length=6,
        error_messages={
            "required": _("Write the 6-digit code from the text."),
            "min_length": _("The code in the text has 6 digits."),
            "max_length": _("The code in the text has 6 digits."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def opened(request) -> MyPagePass | None:
    """The page's pass held in this session, while it lasts."""
    held = request.session.get(SESSION_KEY)
    if not held:
        return None
    until = datetime.datetime.fromisoformat(held["until"])
    if until <= timezone.now():
        request.session.pop(SESSION_KEY, None)
        return None
    return MyPagePass(resident_ids=tuple(held["residents"]), until=until)


def _too_many(request, group: str) -> bool:
    # fails closed: without a count, anyone could send texts to a phone, or guess codes
    return rate_limited(request, group=group, key="ip", rate="10/h", fail_open=False)


def _ask_page(request, *, ask=None, code=None, notice="", error="", status=200):
    return render(
        request,
        "portal/my_ask.html",
        {"ask": ask or AskForm(), "code_form": code, "notice": notice, "error": error},
        status=status,
    )


@public
@require_http_methods(["GET"])
def my_page(request):
    """The page itself while the session holds its pass; else the form that asks for a code."""
    held = opened(request)
    if held is None:
        return _ask_page(request)
    return render(
        request,
        "portal/my_page.html",
        {"page": my_page_read(opened=held), "until": held.until, "purposes": ConsentPurpose},
    )


@public
@require_POST
def my_code(request):
    """Text a code: the same answer whether or not the phone is known."""
    ask = AskForm(request.POST)
    if _too_many(request, "my-page-code"):
        return _ask_page(
            request, ask=ask, error=_("Too many codes asked from here: try again in an hour."), status=429
        )
    if not ask.is_valid():
        return _ask_page(request, ask=ask, status=400)
    try:
        my_page_code_send(phone=ask.cleaned_data["phone"], last4=ask.cleaned_data["last4"])
    except DomainError as error:
        return _ask_page(request, ask=ask, error=error.text(), status=error.status)
    code = CodeForm(initial={"phone": ask.cleaned_data["phone"]})
    return _ask_page(request, code=code, notice=SENT)


@public
@require_POST
def my_code_check(request):
    """The code typed: the page opens for 30 minutes in this session (a new session key)."""
    code = CodeForm(request.POST)
    if _too_many(request, "my-page-check"):
        return _ask_page(
            request, code=code, error=_("Too many tries from here: try again in an hour."), status=429
        )
    if not code.is_valid():
        return _ask_page(request, code=code, status=400)
    try:
        held = my_page_code_check(phone=code.cleaned_data["phone"], code=code.cleaned_data["code"])
    except DomainError as error:
        return _ask_page(request, code=code, error=error.text(), status=error.status)
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"residents": list(held.resident_ids), "until": held.until.isoformat()}
    return redirect("my-page")


@public
@require_POST
def my_page_leave(request):
    request.session.pop(SESSION_KEY, None)
    return redirect("my-page")


def _withdrawn(request, do, done: str) -> object:
    """A withdrawal, only once confirmed (the page's confirm step posts `confirm`; nothing is done
    without it), then the page again with what was done said."""
    held = opened(request)
    if held is None or request.POST.get("confirm") != "yes":
        return redirect("my-page")
    try:
        do(held)
    except DomainError as error:
        return render(
            request,
            "portal/my_page.html",
            {"page": my_page_read(opened=held), "until": held.until, "error": error.text()},
            status=error.status,
        )
    messages.success(request, done)
    return redirect("my-page")


@public
@require_POST
def my_authorisation_withdraw(request, authorisation_id: int):
    """Withdraw an authorisation given, or step down from one received: the person's own only."""
    return _withdrawn(
        request,
        lambda held: authorisation_withdraw_by_person(
            resident_ids=list(held.resident_ids), authorisation_id=authorisation_id
        ),
        _("Withdrawn (已撤回): the authorisation is no longer in force."),
    )


@public
@require_POST
def my_consent_withdraw(request, resident_id: int, purpose: str):
    """Withdraw a consent in force: a withdrawal appended to its receipts."""
    return _withdrawn(
        request,
        lambda held: consent_withdraw_by_person(
            resident_ids=list(held.resident_ids), resident_id=resident_id, purpose=purpose[:20]
        ),
        _("Withdrawn (已撤回): the bureau no longer processes your data for this."),
    )
