"""The case most tests start from: 代 of 荆山村 (`served.dai`) applying for UI-002 in 永新镇, either at
the town station's counter or at the 升平 booth. Any field of the intake can be given to change it;
`case_at_*` take the case as 永新镇's cadre (`served.cadre`) unless told otherwise. `case_taken` and
`case_moved` do the same on fixed days of November 2026, for tests that count working days."""

import datetime

from linju.cases.models import Case
from linju.cases.services import Intake, case_accept, case_transition
from linju.conftest_world import ServedTowns, at


def counter_intake(served: ServedTowns, **fields) -> Intake:
    return Intake(
        **{"item_code": "UI-002", "channel": "counter", "service_point_code": "station-yx"}
        | {"applicant_id": served.dai.pk}
        | fields
    )


def booth_intake(served: ServedTowns, **fields) -> Intake:
    return Intake(
        **{"item_code": "UI-002", "channel": "booth", "market_code": "market-shengping"}
        | {"applicant_id": served.dai.pk}
        | fields
    )


def case_at_counter(
    served: ServedTowns, *, actor=None, now: datetime.datetime | None = None, **fields
) -> Case:
    return case_accept(actor=actor or served.cadre, intake=counter_intake(served, **fields), now=now)


def case_at_booth(served: ServedTowns, *, actor=None, now: datetime.datetime | None = None, **fields) -> Case:
    return case_accept(actor=actor or served.cadre, intake=booth_intake(served, **fields), now=now)


def case_taken(
    served: ServedTowns, *, item: str = "UI-002", actor=None, now: datetime.datetime | None = None, **fields
) -> Case:
    """A case of `item` at 永新镇's counter, taken on Wednesday 25 November 2026 (or `now`)."""
    return case_at_counter(served, actor=actor, now=now or at(2026, 11, 25), item_code=item, **fields)


def case_moved(
    served: ServedTowns,
    case: Case,
    action: str,
    *,
    actor=None,
    now: datetime.datetime | None = None,
    **options,
) -> Case:
    """`case` moved by `action` as 永新镇's cadre (or `actor`) on Thursday 26 November 2026 (or `now`)."""
    return case_transition(
        actor=actor or served.cadre, number=case.number, action=action, now=now or at(2026, 11, 26), **options
    )
