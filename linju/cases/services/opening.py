"""Opening a case, recorded in the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from linju.audit.events import case_opened_event
from linju.core.request_context import RequestContext

from ..models import Case
from ..selectors import case_get_for_viewer, with_timeline

if TYPE_CHECKING:
    from linju.accounts.models import User


def case_open(
    *, viewer: User, number: str, what: str, context: RequestContext, timeline: bool = False
) -> Case:
    """Open a case (its page, a paper, its record over the API): the viewer's towns only, and recorded
    in the audit log like a resident's record, since a case names its applicant. The record is one
    insert, committed by itself (no transaction around it: a hot path, and nothing to roll back)."""

    case = case_get_for_viewer(viewer=viewer, number=number)
    case_opened_event(actor=viewer, case=case, what=what, context=context)
    return with_timeline(case) if timeline else case
