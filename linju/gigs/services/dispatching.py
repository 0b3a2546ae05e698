"""派工: a cadre sends a signed-in worker to a gig, in the published order (linju/gigs/ordering.py).

The dispatch keeps the place the worker held and why; each worker ahead of them who was not sent
keeps why they were passed over (the cadre says, one reason for all or one each). A worker may be sent
to several short gigs on a day when their hours do not overlap; the hard rules are never broken. The
slip (where, when, pay, whom to ask) is printed (a half page, linju/core/pdf) or texted on commit."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.core.errors import Conflict, DomainError, NotFound
from linju.core.pdf import papers_ahead
from linju.notify.sms import can_receive_texts, send_sms

from .. import ordering
from ..models import Dispatch, Gig, GigWorker, PassedOver
from ..selectors import candidate_rows, days_words, gig_facts, pay_words
from .pay import pay_link

if TYPE_CHECKING:
    from linju.accounts.models import User

SLIP = "gig-slip"

# why a worker ahead in the order was not sent: said by the cadre, one of these or in their words
PASS_OVER_REASONS = {
    "absent": _("not here when called"),
    "declined": _("did not want this gig"),
    "no_answer": _("did not answer the phone"),
    "employer": _("the employer asked for someone who had worked for them before"),
}


def pass_over_words(reason: str) -> str:
    """A reason's words in Chinese (what is kept), from its code or as the cadre typed it."""
    reason = " ".join(str(reason or "").split())[:200]
    if reason in PASS_OVER_REASONS:
        with translation.override("zh-hans"):
            return str(PASS_OVER_REASONS[reason])
    return reason


def _refusal_for(gig: Gig, worker_id: int, facts: list[ordering.WorkerFacts]) -> DomainError:
    mine = next((f for f in facts if f.id == worker_id), None)
    if mine is None:
        return Conflict(
            _("This worker has not signed in today: only the signed-in are sent."), code="not_signed_in"
        )
    failed = ordering.exclusions(gig_facts(gig), mine)
    return Conflict(
        _("This worker may not be sent to this gig: %(why)s."),
        params={"why": "、".join(ordering.exclusion_words(reason) for reason in failed)},
        code="hard_rule",
    )


@transaction.atomic(durable=True)
def gig_dispatch(
    *,
    actor: User,
    gig_id: int,
    worker_id: int,
    passed_over: dict[int, str] | None = None,
    others: str = "",
    text_slip: bool = True,
    day: datetime.date | None = None,
) -> Dispatch:
    """Send the worker to the gig. `passed_over`: the reason (a code of PASS_OVER_REASONS or words)
    for each worker ahead who is not sent, by worker id; `others`: the reason for those not named.
    The gig and the worker are locked: two cadres sending at once send within the headcount, and a
    worker is never sent to two gigs at the same hours."""
    require(actor, "gig.dispatch")
    day = day or timezone.localdate()
    gig = (
        Gig.objects.select_for_update(of=("self",))
        .visible_to(actor)
        .select_related("work_type", "village__town", "market", "service_point")
        .filter(pk=gig_id)
        .first()
    )
    if gig is None:
        raise NotFound(_("No such gig."))
    if gig.status != Gig.Status.OPEN:
        raise Conflict(
            _("This gig is %(status)s: nobody more is sent."),
            params={"status": Gig.Status(gig.status).label},
            code="gig_not_open",
        )
    if gig.ends_on < day:
        raise Conflict(_("This gig is over."), code="gig_over")
    worker = GigWorker.objects.select_for_update().filter(pk=worker_id, bureau_id=gig.bureau_id).first()
    if worker is None:
        raise NotFound(_("No such gig worker."), field="worker_id")
    sent = {
        d.worker_id: d
        for d in gig.dispatches.exclude(status=Dispatch.Status.CANCELLED).only("worker_id", "position")
    }
    if worker.pk in sent:
        raise Conflict(_("This worker is already sent to this gig."), code="already_sent")
    if len(sent) >= gig.headcount:
        raise Conflict(_("Every place of this gig is taken."), code="gig_full")
    rows, signed = candidate_rows(viewer=actor, gig=gig, day=day, language="zh-hans")
    row = next((r for r in rows if r.worker_id == worker.pk), None)
    if row is None:
        raise _refusal_for(gig, worker.pk, signed.facts)
    ahead = [r for r in rows if r.position < row.position and r.worker_id not in sent]
    given = {int(k): v for k, v in (passed_over or {}).items()}
    reasons = {r.worker_id: pass_over_words(given.get(r.worker_id) or others) for r in ahead}
    unexplained = [r for r in ahead if not reasons[r.worker_id]]
    if unexplained:
        raise DomainError(
            _("Say why those ahead in the order are not sent (places %(places)s)."),
            params={"places": "、".join(str(r.position) for r in unexplained)},
            field="passed_over",
            code="passed_over_unexplained",
        )
    phone = worker.resident.phone if text_slip else ""
    dispatch = Dispatch.objects.create(
        bureau_id=gig.bureau_id,
        gig=gig,
        worker=worker,
        sign_in=row.sign_in,
        position=row.position,
        reasons=row.reasons,
        dispatched_by=actor,
        slip_texted=can_receive_texts(phone),
    )
    PassedOver.objects.bulk_create(
        PassedOver(
            bureau_id=gig.bureau_id,
            dispatch=dispatch,
            worker_id=r.worker_id,
            position=r.position,
            reason=reasons[r.worker_id],
        )
        for r in ahead
    )
    if len(sent) + 1 >= gig.headcount:
        gig.status = Gig.Status.FILLED
        gig.save(update_fields=["status", "updated_at"])
    if dispatch.slip_texted:
        _text_slip(dispatch, gig, worker, phone)
    papers_ahead(SLIP, [str(dispatch.pk)])
    return dispatch


# the provider's template of the texted slip: its wording with the pay link (the printed slip's), a
# template of its own as every new wording is (linju/notify/purposes.py)
SLIP_TEMPLATE = "gig_slip_link"


def slip_params(dispatch: Dispatch, gig: Gig, worker: GigWorker) -> dict[str, str]:
    """The slip's variables in Chinese: what, where, when, pay, whom to ask, and the link where the
    worker says the work is done and what was paid (the printed slip's)."""
    with translation.override("zh-hans"):
        return {
            "name": worker.resident.name,
            "work": gig.title,
            "where": f"{gig.village.town.name}{gig.village.name}{gig.address}",
            "when": f"{days_words(gig)} {gig.start_time:%H:%M}–{gig.end_time:%H:%M}",
            "pay": pay_words(gig),
            "ask": f"{gig.contact_name} {gig.contact_phone}",
            "link": pay_link(dispatch),
        }


def slip_text(params: dict[str, str]) -> str:
    with translation.override("zh-hans"):
        return (
            str(
                _(
                    "[Qijiang HRSS] %(name)s, you are sent to work: %(work)s. Where: %(where)s. "
                    "When: %(when)s. Pay: %(pay)s. On arrival ask %(ask)s. "
                    "When it is done, say what you were paid: %(link)s"
                )
            )
            % params
        )


def _text_slip(dispatch: Dispatch, gig: Gig, worker: GigWorker, phone: str) -> None:
    params = slip_params(dispatch, gig, worker)
    text = slip_text(params)
    bureau_id, reference = dispatch.bureau_id, f"gig-slip:{dispatch.pk}"
    transaction.on_commit(
        lambda: send_sms(
            bureau_id=bureau_id,
            phone=phone,
            text=text,
            purpose="gig_slip",
            template=SLIP_TEMPLATE,
            reference=reference,
            params=params,
        ),
        robust=True,
    )
