"""After a case: the resident's rating (online or by phone), and the follow-up a poor rating opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.core.errors import Conflict, DomainError, NotFound

from ..models import Case, CaseEvent, FollowUp, Rating
from ..selectors import case_get_for_viewer
from .status import case_status_lookup

if TYPE_CHECKING:
    from linju.accounts.models import User


def _record_rating(case: Case, *, level: int, comment: str, source: str, actor: User | None) -> Rating:
    if level not in Rating.Level.values:
        raise DomainError(_("Choose one of the five levels."), field="level")
    if case.status != Case.Status.FINISHED:
        raise Conflict(_("Only a finished case can be rated."), code="not_finished")
    if Rating.objects.filter(case=case).exists():
        raise Conflict(_("This case has already been rated. Thank you."), code="already_rated")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                bureau_id=case.bureau_id,
                case=case,
                level=level,
                comment=comment.strip()[:500],
                source=source,
                recorded_by=actor,
            )
    except IntegrityError:
        raise Conflict(_("This case has already been rated. Thank you."), code="already_rated") from None
    CaseEvent.objects.create(
        bureau_id=case.bureau_id,
        case=case,
        action=CaseEvent.Action.RATE,
        from_status=case.status,
        to_status=case.status,
        actor=actor,
        detail={"level": level},
    )
    if rating.unsatisfied:
        FollowUp.objects.create(
            bureau_id=case.bureau_id,
            case=case,
            town=case.town,
            reason=str(
                _("Rated “%(level)s”: %(comment)s")
                % {"level": rating.get_level_display(), "comment": rating.comment or "—"}
            ),
        )
    return rating


def case_rate_by_resident(*, number: str, phone_last4: str, level: int, comment: str = "") -> Rating:
    """A rating the resident gives on the status page, behind the look-up's guard. Each rating and
    follow-up here is one durable transaction (the rating's own insert a savepoint inside it)."""
    with transaction.atomic(durable=True):
        case = case_status_lookup(number=number, phone_last4=phone_last4)  # the same guard as the look-up
        case = Case.objects.select_for_update().get(pk=case.pk)
        return _record_rating(case, level=level, comment=comment, source=Rating.Source.RESIDENT, actor=None)


def case_rate_by_phone(*, actor: User, number: str, level: int, comment: str = "") -> Rating:
    """A rating a resident gave by phone, recorded by the staff who called: staff's work."""
    require(actor, "case.rate_by_phone")
    with transaction.atomic(durable=True):
        case = case_get_for_viewer(viewer=actor, number=number, for_update=True)
        return _record_rating(case, level=level, comment=comment, source=Rating.Source.PHONE, actor=actor)


def follow_up_close(*, actor: User, follow_up_id: int, answer: str) -> FollowUp:
    """Answer a resident's complaint after a poor rating: staff's and cadres' work, in their towns."""

    require(actor, "case.follow_up")
    with transaction.atomic(durable=True):
        follow_up = FollowUp.objects.select_for_update().visible_to(actor).filter(pk=follow_up_id).first()
        if follow_up is None:
            raise NotFound(_("No such follow-up."))
        if not answer.strip():
            raise DomainError(_("Write what was done about it."), field="answer")
        follow_up.status = FollowUp.Status.CLOSED
        follow_up.answer = answer.strip()
        follow_up.closed_by = actor
        follow_up.closed_at = timezone.now()
        follow_up.save()
    return follow_up
