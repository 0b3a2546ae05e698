import datetime

from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from linju.core.declared import public
from linju.core.errors import DomainError
from linju.core.periods import check_served_date

from .selectors import add_working_days

router = Router(tags=["calendar"])
MAX_ADD = 3650


class WorkdaysQuery(Schema):
    start: datetime.date = Field(..., alias="from")
    add: int = 0


class DeadlineOut(Schema):
    date: datetime.date
    estimated: bool


@router.get(
    "/calendar/workdays", response=DeadlineOut, summary="The Nth working day after a date (Chinese calendar)"
)
@public
def workdays(request, query: Query[WorkdaysQuery]):
    if not 0 <= query.add <= MAX_ADD:
        raise DomainError(_("add must be between 0 and %(max)d."), params={"max": MAX_ADD}, field="add")
    check_served_date(query.start, field="from")
    deadline = add_working_days(query.start, query.add)
    check_served_date(deadline.date, field="add")  # ten years after 2100-12-25 is past what we serve
    return deadline
