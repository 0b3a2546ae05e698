"""What the case services share: materials cleaned, the moment of an offline intake, a case's texts
queued for after the commit, its timeline's rows, and the office that finishes it."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from linju.catalog.acceptance import finishes_at_station
from linju.catalog.selectors import district_hall_of, station_for
from linju.core.errors import DomainError, NotFound
from linju.geo.models import ServicePoint
from linju.notify.sms import send_sms

from ..models import Case, CaseEvent
from ..promises import case_promise, promise_sentence

if TYPE_CHECKING:
    from linju.accounts.models import User


MAX_MATERIALS = 30


OFFLINE_DAYS = 7  # how long ago a request taken offline may have been taken
CLOCK_SKEW = datetime.timedelta(minutes=5)


def _clean_materials(values: list[str], field_name: str) -> list[str]:
    cleaned = [" ".join(str(v).split())[:120] for v in values if str(v).strip()]
    if len(cleaned) > MAX_MATERIALS:
        raise DomainError(_("At most 30 materials."), field=field_name)
    return cleaned


def offline_moment(moment: datetime.datetime, now: datetime.datetime | None = None) -> datetime.datetime:
    """The moment a device took something offline, checked: within the last week, not ahead of now."""
    now = timezone.localtime(now or timezone.now())
    if timezone.is_naive(moment):
        raise DomainError(
            _("Give the moment with its time zone, like 2026-11-25T09:30:00+08:00."), field="taken_at"
        )
    if not now - datetime.timedelta(days=OFFLINE_DAYS) <= moment <= now + CLOCK_SKEW:
        raise DomainError(
            _("A request taken offline is sent within 7 days, and not dated ahead of now."), field="taken_at"
        )
    return timezone.localtime(min(moment, now))


def text_recipients(case: Case) -> list[str]:
    """The phones that get a case's texts: the one the applicant gave for this case (never the
    register's, which may be old or someone else's) and the agent's, each where they agreed."""
    phones = []
    if case.texts_to_applicant and case.applicant_phone:
        phones.append(case.applicant_phone)
    if case.texts_to_agent and case.agent_phone and case.agent_phone not in phones:
        phones.append(case.agent_phone)
    return phones


def _sms(
    case: Case, purpose: str, message, template: str = "", *, version: int | None = None, **params
) -> None:
    """Queue the case's text message for after the commit, in Chinese, to each who agreed to them.
    `template`: the gateway's template for this wording (linju/notify/purposes.py), when the purpose
    has several; `version`: of the move it reports, the case's own by default."""
    phones = text_recipients(case)
    if not phones:  # nobody agreed to texts, or gave a phone: nothing to put in words or send
        return
    number = case.number
    bureau_id = case.bureau_id
    # one text per move of the case: the version names the move, so a retry never sends it again
    reference = f"{number}@{version or case.version}"

    def send() -> None:
        with translation.override("zh-hans"):
            values = {"number": number, **{key: str(value) for key, value in params.items()}}
            text = str(message) % values
        for phone in phones:
            send_sms(
                bureau_id=bureau_id,
                phone=phone,
                text=text,
                purpose=purpose,
                reference=reference,
                params=values,
                template=template,
            )

    transaction.on_commit(send, robust=True)  # logged if it fails; the commit's other callbacks still run


_lazy_promise_sentence = lazy(promise_sentence, str)  # made once: `lazy` builds a class each call


def _promise_text(case: Case):
    """The case's promise as a sentence for its texts, written in the language the text is sent in."""
    return _lazy_promise_sentence(case_promise(case), finishing_office_name(case))


def _event_row(
    case: Case,
    action: str,
    actor: User | None,
    from_status: str,
    *,
    at: datetime.datetime,
    to_status: str = "",
    note: str = "",
    **detail,
) -> CaseEvent:
    """One step of the case's timeline, not yet saved (`to_status`: the case's status by default)."""
    return CaseEvent(
        bureau_id=case.bureau_id,
        case=case,
        action=action,
        from_status=from_status,
        to_status=to_status or case.status,
        actor=actor,
        created_at=at,
        note=note,
        detail=detail,
    )


def _event(case: Case, action: str, actor: User | None, from_status: str, *, at: datetime.datetime, **kwargs):
    event = _event_row(case, action, actor, from_status, at=at, **kwargs)
    event.save()
    return event


def _station_finishes(case: Case) -> bool:
    return finishes_at_station(case.item, case.town, case.accepted_at.date())


def _forwardable(case: Case) -> bool:
    """A station's case goes to the district (代办) when the station does not finish the item."""
    return case.level == Case.Level.TOWN and not _station_finishes(case)


def finishing_office(case: Case) -> ServicePoint | None:
    """The office that will finish the case (and answers for it): the town's station for an item
    delegated to it, otherwise the district's service hall. Held in the process: no query."""
    if case.level == Case.Level.TOWN and _station_finishes(case):
        return station_for(case.town)
    try:
        return district_hall_of(case.town)
    except NotFound:
        return None


def finishing_office_name(case: Case) -> str:
    office = finishing_office(case)
    return office.name if office is not None else str(case.town.bureau.name)
