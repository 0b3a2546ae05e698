"""A bundle case follows its parts: 送达 to partner offices, its state, and its one answer.

Every move of a part (`moves._move`, whatever the door) calls `bundle_follow` inside the move's own
transaction, after the part is saved: the bundle case's row is locked (after the part's: always in
that order, so two parts moved at once wait for each other and never deadlock), its parts' statuses
are read as they now stand, and

- a partner office's part whose papers are complete (at intake, or resumed after 补正) is sent to
  the office with them (`PartnerDispatch`, once per part); finishing the part records the office's
  answer on it;
- the bundle case is finished, with the time, when no part is open any more (each finished or
  returned); it is open again if a part is reopened;
- when it is finished, its one final notice (a paper listing every part's outcome) and its one text
  are queued, under the lock, so they go once however the last parts were finished.

A part's own answer (finished or returned) sends no text of its own: the bundle's final text is the
one answer. Its other texts (补正 lists, extensions) go as a single case's do."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from linju.catalog.models import BundlePart, PartnerOffice
from linju.core.pdf import papers_ahead
from linju.notify.sms import send_sms

from ..models import BundleCase, Case, PartnerDispatch
from .common import text_recipients

if TYPE_CHECKING:
    from linju.accounts.models import User

# the moves that answer a part: the bundle's final text says them, not a text of the part's own
PART_ANSWERS = frozenset({"finish", "return"})
OUTCOMES_LENGTH = 300  # the outcomes as the final text lists them


def dispatch_within(
    *, actor: User, parts: list[Case], partners: dict[int, PartnerOffice | None], now: datetime.datetime
) -> list[PartnerDispatch]:
    """送达: partners' parts sent to their offices with the papers handed in for them, inside the
    caller's transaction (the intake's, or a part's move). One row per part: the office, how it was
    sent and where, the papers, when and by whom."""
    rows = [
        PartnerDispatch(
            bureau_id=part.bureau_id,
            case=part,
            partner=partners[part.item_id],
            delivery=partners[part.item_id].delivery,
            sent_to=(partners[part.item_id].delivery_address or partners[part.item_id].address)[:200],
            papers=list(part.materials_received),
            sent_at=now,
            sent_by=actor,
        )
        for part in parts
        if partners.get(part.item_id) is not None
    ]
    if rows:
        PartnerDispatch.objects.bulk_create(rows)
        for row in rows:
            row.case.dispatch = row  # the part answers with it, read no more
        papers_ahead("bundle-dispatch", [row.case.number for row in rows])
    return rows


def bundle_follow(case: Case, *, actor: User | None, action: str, now: datetime.datetime) -> BundleCase:
    """After a part's move, in its transaction: send a partner's part whose papers are now complete,
    record a partner's answer, and let the bundle case's state follow its parts (see the module)."""
    bundle_case = BundleCase.objects.select_for_update().select_related("bundle").get(pk=case.bundle_id)
    member = (
        BundlePart.objects.filter(version_id=bundle_case.version_id, item_id=case.item_id)
        .select_related("partner")
        .first()
    )
    partner = member.partner if member is not None else None
    if partner is not None:
        dispatch = PartnerDispatch.objects.filter(case=case).first()
        if dispatch is None and case.is_open and actor is not None:
            dispatch_within(actor=actor, parts=[case], partners={case.item_id: partner}, now=now)
        elif dispatch is not None and action == "finish":
            dispatch.answered_at, dispatch.answer = now, case.outcome
            dispatch.save(update_fields=["answered_at", "answer"])
    open_parts = Case.objects.filter(bundle_id=bundle_case.pk).exclude(status__in=Case.CLOSED).exists()
    if not open_parts and bundle_case.status == BundleCase.Status.OPEN:
        bundle_case.status, bundle_case.closed_at = BundleCase.Status.FINISHED, now
        bundle_case.save(update_fields=["status", "closed_at", "updated_at"])
        papers_ahead("bundle-answer", [bundle_case.number])
        send_bundle_text(
            bundle_case, "finished", parts=list(bundle_case.parts.select_related("item").order_by("id"))
        )
    elif open_parts and bundle_case.status == BundleCase.Status.FINISHED:
        bundle_case.status, bundle_case.closed_at = BundleCase.Status.OPEN, None
        bundle_case.save(update_fields=["status", "closed_at", "updated_at"])
    return bundle_case


def bundle_promise_sentence(parts: list[Case]) -> str:
    """The bundle's promise in one sentence, in the active language: the day its last part is
    answered, or, while parts wait for papers, how long they take once the papers are complete."""
    running = [p for p in parts if p.status != Case.Status.SUSPENDED and p.status not in Case.CLOSED]
    waiting = [p for p in parts if p.status == Case.Status.SUSPENDED]
    last = max((p.promised_date for p in running), default=None)
    if waiting:
        days = max(p.remaining_days or 0 for p in waiting)
        if last is not None:
            return str(
                _(
                    "The parts waiting for materials are answered within %(days)s working days of their "
                    "being complete; the others by %(date)s."
                )
                % {"days": days, "date": last.strftime("%Y-%m-%d")}
            )
        return str(
            _("Every part is answered within %(days)s working days of the missing materials being complete.")
            % {"days": days}
        )
    if last is None:
        return str(_("Every part is answered."))
    return str(_("Every part is answered by %(date)s.") % {"date": last.strftime("%Y-%m-%d")})


def outcome_words(part: Case) -> str:
    """A part's outcome in a few words, as the final notice and its text say it."""
    if part.status == Case.Status.RETURNED:
        return str(_("returned: %(reason)s") % {"reason": part.return_reason[:60]})
    if part.outcome == Case.Outcome.GRANTED:
        words = str(_("granted"))
        if part.outcome_amount is not None:
            words += str(_(", %(amount)s yuan") % {"amount": f"{part.outcome_amount:,.2f}"})
        return words
    if part.outcome == Case.Outcome.REFUSED:
        return str(_("not granted: %(reason)s") % {"reason": part.outcome_detail[:60]})
    return part.outcome_detail[:60]


def send_bundle_text(
    bundle_case: BundleCase, which: str, *, parts: list[Case] | None = None, missing=()
) -> None:
    """Queue one of the bundle's texts for after the commit, in Chinese, to each who agreed to them:
    "accepted" (its number and promise), "missing" (every paper still needed, all at once),
    "finished" (every part's outcome and the status link). Each is sent once (the outbox's claim on
    its purpose, its reference and the phone)."""
    phones = text_recipients(bundle_case)  # the same fields as a case's: who agreed, and where
    number, bureau_id, name = bundle_case.number, bundle_case.bureau_id, bundle_case.bundle.name
    parts = parts or []

    def send() -> None:
        with translation.override("zh-hans"):
            if which == "accepted":
                purpose, reference = "bundle_accepted", f"{number}@1"
                message = _(
                    "[Qijiang HRSS] Your request “%(bundle)s” is accepted, number %(number)s, %(parts)s parts "
                    "in one. %(promise)s One text will bring every answer."
                )
                values = {"bundle": name, "parts": str(len(parts)), "promise": bundle_promise_sentence(parts)}
            elif which == "missing":
                purpose, reference = "suspended", f"{number}@1"
                message = _("[Qijiang HRSS] For request %(number)s please bring, all at once: %(missing)s.")
                values = {"missing": "、".join(missing)}
            else:
                purpose, reference = "bundle_finished", f"{number}@final"
                message = _(
                    "[Qijiang HRSS] Every part of “%(bundle)s” %(number)s is answered: %(outcomes)s. "
                    "Details and rating: %(link)s"
                )
                outcomes = "；".join(f"{p.item.name}：{outcome_words(p)}" for p in parts)
                link = f"{settings.LINJU_PUBLIC_URL}{reverse('status')}?number={number}"
                values = {"bundle": name, "outcomes": outcomes[:OUTCOMES_LENGTH], "link": link}
            values = {"number": number, **values}
            text = str(message) % values
        for phone in phones:
            send_sms(
                bureau_id=bureau_id,
                phone=phone,
                text=text,
                purpose=purpose,
                reference=reference,
                params=values,
            )

    transaction.on_commit(send, robust=True)
