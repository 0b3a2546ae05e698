"""The case most tests start from: 代 of 荆山村 (`served.dai`) applying for UI-002 in 永新镇, either at
the town station's counter or at the 升平 booth. Any field of the intake can be given to change it;
`case_at_*` take the case as 永新镇's cadre (`served.cadre`) unless told otherwise."""

import datetime

from linju.cases.models import Case
from linju.cases.services import Intake, case_accept
from linju.conftest_world import ServedTowns


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
