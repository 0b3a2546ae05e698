"""Writes for outreach: booth plans and booth days, consultations, village visits, home tasks,
pension certification, leaders' visits and the texts before a booth, one module each. Each checks
the viewer's towns. Every public name is importable from here, as callers have always imported it.

Each public write that changes state is one durable transaction (`transaction.atomic(durable=True)`):
it commits when it returns, and a caller cannot fold it into a larger transaction that might still
roll it back after its texts went out. The texts and jobs of a write (a case's texts, a booth's
public answers built afresh) are queued on commit. Where one write is made of others (a phone
request's case and home task), the parts are the private `_` functions, called inside the one
transaction, and a case is taken or moved by the cases' `case_accept_within` / `case_move_within`;
the few writes that are not transactions say why in their docstrings."""

from .booths import (
    DEFAULT_BOOTH_LIMIT,
    MarketLoss,
    PlanResult,
    VillageLoss,
    booth_plan_generate,
    booth_session_create,
)
from .certification import (
    CERTIFICATION_NOTICE_DAYS,
    certification_home_tasks,
    certification_record,
    pensioner_certify,
)
from .certification_by_data import certification_by_data_run
from .consultations import (
    consultation_log,
    consultation_rate,
    consultation_to_case,
    counter_consultation_log,
    slip_code_clean,
)
from .home_tasks import (
    MAX_VISIT_DAYS_AHEAD,
    ItemToBring,
    PhoneRequest,
    PhoneTaken,
    home_certification_schedule,
    home_task_complete,
    home_task_create,
    home_task_create_within,
    home_tasks_to_bring_items,
    phone_request_take,
)
from .leaders import leader_visit_record
from .signs import sign_of_life_record
from .texts import (
    REMINDER_PURPOSE,
    STOP_WORDS,
    booth_reminder_opt_in,
    booth_reminder_stop,
    booth_reminders_send,
    booth_reminders_withdraw_by_phone,
    sms_reply_received,
)
from .visits import MAX_HOUSEHOLDS_MET, NeedIn, visit_record

__all__ = [
    "CERTIFICATION_NOTICE_DAYS",
    "DEFAULT_BOOTH_LIMIT",
    "MAX_HOUSEHOLDS_MET",
    "MAX_VISIT_DAYS_AHEAD",
    "REMINDER_PURPOSE",
    "STOP_WORDS",
    "ItemToBring",
    "MarketLoss",
    "NeedIn",
    "PhoneRequest",
    "PhoneTaken",
    "PlanResult",
    "VillageLoss",
    "booth_plan_generate",
    "booth_reminder_opt_in",
    "booth_reminder_stop",
    "booth_reminders_send",
    "booth_reminders_withdraw_by_phone",
    "booth_session_create",
    "certification_by_data_run",
    "certification_home_tasks",
    "certification_record",
    "consultation_log",
    "consultation_rate",
    "slip_code_clean",
    "consultation_to_case",
    "counter_consultation_log",
    "home_certification_schedule",
    "home_task_complete",
    "home_task_create",
    "home_task_create_within",
    "home_tasks_to_bring_items",
    "leader_visit_record",
    "pensioner_certify",
    "phone_request_take",
    "sign_of_life_record",
    "sms_reply_received",
    "visit_record",
]
