"""After a named 差评 (国办发〔2019〕51号): the callback (回访核实) by a named person, due in
LINJU_CALLBACK_WORKING_DAYS working days on the bureau's calendar; the rectification — fixed at once
(立行立改), listed with a deadline (限期整改) or explained (解释说明) — whose result is texted to the
resident with a link to rate the fix (满意, 基本满意, 不满意) and sent to the province; and the rated
staff member's appeal (申诉复核), decided by someone else."""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.access.roles import ADMIN, STAFF
from linju.access.scoping import cadres_serving
from linju.accounts.models import User
from linju.audit.events import resident_unmasked_event
from linju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from linju.core.request_context import RequestContext
from linju.notify.sms import send_sms
from linju.people.models import Resident
from linju.workdays.selectors import add_working_days

from ..models import Appeal, Case, FollowUp, Rating
from .common import text_recipients
from .province import tell_province_of_rectification

if TYPE_CHECKING:
    from collections.abc import Iterable

CALLBACK_DAYS_MAX = 15  # the national text's outer bound
MAX_TEXT = 2000


def callback_working_days() -> int:
    """The setting, held to 1–15 (a system check refuses anything else at start)."""
    return min(max(int(settings.LINJU_CALLBACK_WORKING_DAYS), 1), CALLBACK_DAYS_MAX)


def _role_users(bureau_id: int, roles: Iterable[str]):
    return User.objects.filter(bureau_id=bureau_id, role__in=list(roles), is_active=True).order_by("username")


def callback_person(*, town, bureau_id: int, rated: User | None) -> User | None:
    """Who calls back: a cadre of the town, else the district staff, else an administrator of the
    bureau — never the staff member rated while anyone else is there."""
    for people in (
        cadres_serving(town=town).filter(bureau_id=bureau_id),
        _role_users(bureau_id, [STAFF]),
        _role_users(bureau_id, [ADMIN]),
    ):
        chosen = people.exclude(pk=rated.pk).first() if rated is not None else people.first()
        if chosen is not None:
            return chosen
    return rated


def callback_open_within(
    *, rating: Rating, case: Case | None, subject: str, now: datetime.datetime | None = None
) -> FollowUp:
    """The callback a named 差评 opens, in the rating's transaction: a named person, a due date."""
    today = timezone.localdate(now) if now else timezone.localdate()
    person = callback_person(town=rating.town, bureau_id=rating.bureau_id, rated=rating.rated_staff)
    if person is None:
        raise RuntimeError(f"No staff in bureau {rating.bureau_id} to call back about {subject}.")
    return FollowUp.objects.create(
        bureau_id=rating.bureau_id,
        case=case,
        rating=rating,
        town=rating.town,
        reason=str(
            _("%(subject)s rated “%(level)s”: %(comment)s")
            % {"subject": subject, "level": rating.get_level_display(), "comment": rating.comment or "—"}
        ),
        assigned_to=person,
        due_on=add_working_days(today, callback_working_days()).date,
    )


def _callback_for_update(actor: User, follow_up_id: int) -> FollowUp:
    follow_up = (
        FollowUp.objects.select_for_update()
        .visible_to(actor)
        .filter(pk=follow_up_id, rating__isnull=False)
        .first()
    )
    if follow_up is None:
        raise NotFound(_("No such callback."))
    require(actor, "rating.callback", follow_up)
    return follow_up


def _said(value: str, field: str, message) -> str:
    value = " ".join(value.split()) if "\n" not in value else value.strip()
    if not value:
        raise DomainError(message, field=field)
    if len(value) > MAX_TEXT:
        raise DomainError(_("At most 2000 characters."), field=field)
    return value


def callback_record_call(
    *, actor: User, follow_up_id: int, resident_said: str, now: datetime.datetime | None = None
) -> FollowUp:
    """The callback made: when, by whom, and what the resident said."""
    said = _said(resident_said, "resident_said", _("Write what the resident said."))
    with transaction.atomic(durable=True):
        follow_up = _callback_for_update(actor, follow_up_id)
        if follow_up.status != FollowUp.Status.OPEN:
            raise Conflict(_("This callback has already been recorded."), code="already_called")
        follow_up.status = FollowUp.Status.CALLED
        follow_up.called_at = now or timezone.now()
        follow_up.called_by = actor
        follow_up.resident_said = said
        follow_up.save()
    return follow_up


def callback_rectify(
    *,
    actor: User,
    follow_up_id: int,
    way: str,
    rectification: str,
    rectify_by: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> FollowUp:
    """The rectification decided after the call: fixed at once or explained (done now: the resident
    is told and the province too), or listed with a deadline (done later, `callback_rectified`)."""
    if way not in FollowUp.Way.values:
        raise DomainError(_("Choose how it is rectified."), field="way")
    what = _said(rectification, "rectification", _("Write what is done about it."))
    now = now or timezone.now()
    if way == FollowUp.Way.DEADLINE:
        if rectify_by is None:
            raise DomainError(_("Give the date it will be fixed by."), field="rectify_by")
        if rectify_by < timezone.localdate(now) or rectify_by > timezone.localdate(now) + datetime.timedelta(
            days=366
        ):
            raise DomainError(_("The deadline is a date from today to a year ahead."), field="rectify_by")
    with transaction.atomic(durable=True):
        follow_up = _callback_for_update(actor, follow_up_id)
        if follow_up.status != FollowUp.Status.CALLED:
            raise Conflict(
                _("Call the resident back first, then decide the rectification."), code="not_called"
            )
        follow_up.way = way
        follow_up.rectification = what
        follow_up.rectify_by = rectify_by if way == FollowUp.Way.DEADLINE else None
        if way == FollowUp.Way.DEADLINE:
            follow_up.status = FollowUp.Status.RECTIFYING
            follow_up.save()
        else:
            _rectified(follow_up, actor, now)
    return follow_up


def callback_rectified(
    *, actor: User, follow_up_id: int, rectification: str, now: datetime.datetime | None = None
) -> FollowUp:
    """A listed rectification done (by its deadline or late): the resident is told, the province too."""
    what = _said(rectification, "rectification", _("Write what was done about it."))
    with transaction.atomic(durable=True):
        follow_up = _callback_for_update(actor, follow_up_id)
        if follow_up.status != FollowUp.Status.RECTIFYING:
            raise Conflict(_("Only a listed rectification is finished here."), code="not_listed")
        follow_up.rectification = what
        _rectified(follow_up, actor, now or timezone.now())
    return follow_up


def callback_phone(follow_up: FollowUp) -> tuple[Resident | None, str]:
    """Whom a callback calls and on which phone: the case's applicant on the phone given with the
    case (else the register's), or a named booth visitor on the register's; (None, "") when unknown."""
    if follow_up.case_id is not None:
        case = follow_up.case
        return case.applicant, case.applicant_phone or case.applicant.phone
    consultation = follow_up.rating.consultation if follow_up.rating_id else None
    resident = consultation.resident if consultation is not None else None
    return resident, (resident.phone if resident is not None else "")


def callback_phone_unmask(*, viewer: User, follow_up: FollowUp, context: RequestContext) -> str:
    """The whole phone to call back, shown as the resident record shows it: by the same capability and
    recorded as the same event (`resident_unmasked_event`), so the person's own page lists it. The
    follow-up comes from `callback_get`, within the viewer's towns."""
    require(viewer, "resident.unmask")
    resident, phone = callback_phone(follow_up)
    if resident is None or not phone:
        raise NotFound(_("There is no phone to call for this callback."))
    resident_unmasked_event(actor=viewer, resident=resident, fields=["phone"], context=context)
    return phone


def _resident_phones(follow_up: FollowUp) -> list[str]:
    if follow_up.case_id is not None:
        return text_recipients(follow_up.case)
    resident = follow_up.rating.consultation.resident  # a named booth visit: the register's phone
    return [resident.phone] if resident is not None and resident.phone else []


def _rectified(follow_up: FollowUp, actor: User, now: datetime.datetime) -> None:
    follow_up.status = FollowUp.Status.RECTIFIED
    follow_up.rectified_at = now
    follow_up.rectified_by = actor
    follow_up.fix_token = secrets.token_urlsafe(12)
    follow_up.save()
    rating = follow_up.rating
    subject = follow_up.case.number if follow_up.case_id else rating.consultation.slip_code
    tell_province_of_rectification(follow_up, subject=subject)
    phones = _resident_phones(follow_up)
    bureau_id, token = follow_up.bureau_id, follow_up.fix_token
    way_label, what = follow_up.get_way_display, follow_up.rectification

    def send() -> None:
        link = f"{settings.LINJU_PUBLIC_URL.rstrip('/')}/rate/fix/{token}/"
        with translation.override("zh-hans"):
            values = {"subject": subject, "way": str(way_label()), "what": what[:200], "link": link}
            text = str(
                _(
                    "[Qijiang HRSS] About your rating of %(subject)s: %(way)s. %(what)s Please tell us how it was fixed: %(link)s"
                )
                % values
            )
        for phone in phones:
            send_sms(
                bureau_id=bureau_id,
                phone=phone,
                text=text,
                purpose="rectified",
                reference=f"{subject}:fix",
                params=values,
            )

    transaction.on_commit(send, robust=True)


def fix_rate(*, token: str, level: int, now: datetime.datetime | None = None) -> FollowUp:
    """The resident rates the fix from the texted link: 满意, 基本满意 or 不满意, once."""
    if level not in FollowUp.FixLevel.values:
        raise DomainError(_("Choose one of the three answers."), field="level")
    with transaction.atomic(durable=True):
        follow_up = (
            FollowUp.objects.select_for_update().filter(fix_token=token[:32]).first() if token else None
        )
        if follow_up is None:
            raise NotFound(_("This link is not known. Ask your station."))
        if follow_up.fix_level is not None:
            raise Conflict(_("You have already told us about this fix. Thank you."), code="already_rated")
        follow_up.fix_level = level
        follow_up.fix_rated_at = now or timezone.now()
        follow_up.save(update_fields=["fix_level", "fix_rated_at", "updated_at"])
    return follow_up


def rating_appealable(rating: Rating) -> bool:
    """A rating its staff member may appeal: a 差评 (the bottom two levels), the only ratings that can
    be mistaken or malicious against them, not yet set aside. The page offers the appeal by this and
    `appeal_file` refuses by it."""
    return rating.level <= Rating.Level.UNSATISFIED and rating.set_aside_at is None


def appeal_file(*, actor: User, rating_id: int, ground: str, reason: str) -> Appeal:
    """申诉: the staff member rated asks for a mistaken or malicious rating to be set aside."""
    require(actor, "rating.appeal")
    if ground not in Appeal.Ground.values:
        raise DomainError(_("Say why: mistaken or malicious."), field="ground")
    why = _said(reason, "reason", _("Write why the rating is mistaken or malicious."))
    with transaction.atomic(durable=True):
        rating = Rating.objects.select_for_update().filter(pk=rating_id, bureau_id=actor.bureau_id).first()
        if rating is None or rating.rated_staff_id != actor.pk:
            raise NotFound(_("No rating of your work with this number."))
        if rating.set_aside_at is not None:
            raise Conflict(_("This rating has already been set aside."), code="set_aside")
        if not rating_appealable(rating):
            raise Conflict(
                _("Only an unsatisfied or very unsatisfied rating (差评) can be appealed."), code="not_bad"
            )
        if Appeal.objects.filter(rating=rating, status=Appeal.Status.PENDING).exists():
            raise Conflict(_("An appeal against this rating is waiting for a decision."), code="pending")
        return Appeal.objects.create(
            bureau_id=rating.bureau_id, rating=rating, appellant=actor, ground=ground, reason=why
        )


def appeal_decide(
    *, actor: User, appeal_id: int, uphold: bool, decision: str, now: datetime.datetime | None = None
) -> Appeal:
    """申诉复核: decided by someone other than the appellant. Upheld, the rating is set aside (kept on
    record, out of the figures)."""
    why = _said(decision, "decision", _("Write the reason for the decision."))
    with transaction.atomic(durable=True):
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .visible_to(actor)
            .select_related("rating__town")
            .filter(pk=appeal_id)
            .first()
        )
        if appeal is None:
            raise NotFound(_("No such appeal."))
        require(actor, "rating.appeal_decide", appeal.rating)
        if appeal.appellant_id == actor.pk:
            raise PermissionDenied(_("Someone else decides an appeal: not the one who made it."))
        if appeal.status != Appeal.Status.PENDING:
            raise Conflict(_("This appeal has already been decided."), code="decided")
        now = now or timezone.now()
        appeal.status = Appeal.Status.UPHELD if uphold else Appeal.Status.REJECTED
        appeal.decided_by = actor
        appeal.decided_at = now
        appeal.decision = why
        appeal.save()
        if uphold:
            Rating.objects.filter(pk=appeal.rating_id).update(set_aside_at=now)
    return appeal


__all__ = [
    "CALLBACK_DAYS_MAX",
    "appeal_decide",
    "appeal_file",
    "callback_open_within",
    "callback_person",
    "callback_record_call",
    "callback_rectified",
    "callback_phone",
    "callback_phone_unmask",
    "callback_rectify",
    "rating_appealable",
    "callback_working_days",
    "fix_rate",
]
