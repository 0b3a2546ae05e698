"""Writes for outreach: booth plans and booth days, consultations, village visits, home tasks,
pension certification, leaders' visits and the texts before a booth, one module each. Each checks
the viewer's towns. Every public name is importable from here, as callers have always imported it."""

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
from .consultations import consultation_log, consultation_to_case
from .home_tasks import (
    MAX_VISIT_DAYS_AHEAD,
    PhoneRequest,
    PhoneTaken,
    home_certification_schedule,
    home_task_complete,
    home_task_create,
    phone_request_take,
)
from .leaders import leader_visit_record
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
    "certification_home_tasks",
    "certification_record",
    "consultation_log",
    "consultation_to_case",
    "home_certification_schedule",
    "home_task_complete",
    "home_task_create",
    "leader_visit_record",
    "pensioner_certify",
    "phone_request_take",
    "sms_reply_received",
    "visit_record",
]
