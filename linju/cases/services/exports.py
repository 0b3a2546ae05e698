"""A case list as a spreadsheet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require_personal_export
from linju.audit.events import residents_exported_event
from linju.core.replica import replica_reads
from linju.core.request_context import RequestContext
from linju.core.xlsx import xlsx_bytes

from ..selectors import WORK_LISTS, case_list, list_filters

if TYPE_CHECKING:
    from linju.accounts.models import User


EXPORT_MAX_ROWS = 50_000


def cases_export_job(viewer: User, params: dict, context: RequestContext) -> tuple[bytes, int]:
    """The export job's builder (linju/audit/exports.py): a work list and the page's filters."""

    work_list = params.get("list")
    return cases_export_xlsx(
        viewer=viewer,
        work_list=work_list if work_list in WORK_LISTS else None,
        filters=list_filters(params),
        context=context,
    )


@replica_reads()  # read, then the audit record is written (on the primary) before the file leaves
def cases_export_xlsx(
    *, viewer: User, work_list: str | None, filters: dict, context: RequestContext
) -> tuple[bytes, int]:
    """A case list as a spreadsheet (ID numbers masked). It names residents, so it is recorded.
    No transaction: it reads (from the replica when there is one, which an open transaction would
    forbid), then writes one row, the audit record, a statement of its own."""

    require_personal_export(viewer)
    cases = case_list(viewer=viewer, work_list=work_list, **filters).select_related("applicant")
    content, count = xlsx_bytes(
        sheet=_("Cases"),
        header=(
            _("Number"),
            _("Item"),
            _("Town"),
            _("Channel"),
            _("Applicant"),
            _("ID number"),
            _("Accepted"),
            _("Promised"),
            _("Status"),
            _("Closed"),
        ),
        rows=(
            (
                c.number,
                c.item.name,
                c.town.name,
                str(c.get_channel_display()),
                c.applicant.name,
                c.applicant.masked_id_number,
                timezone.localtime(c.accepted_at).strftime("%Y-%m-%d %H:%M"),
                c.promised_date.isoformat(),
                str(c.get_status_display()),
                timezone.localtime(c.closed_at).strftime("%Y-%m-%d %H:%M") if c.closed_at else "",
            )
            for c in cases[:EXPORT_MAX_ROWS].iterator(chunk_size=2000)
        ),
    )
    residents_exported_event(
        actor=viewer,
        count=count,
        filters={"cases": work_list or "", **{k: str(v) for k, v in filters.items() if v}},
        file_format="xlsx",
        context=context,
    )
    return content, count
