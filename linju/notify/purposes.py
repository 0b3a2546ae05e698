"""The texts Linju sends, each a template registered with the SMS provider, and its variables.

Chinese SMS providers send only texts made from a template they approved, with named variables
(Aliyun: `${number}`). Each key here is one such template: the key in LINJU_SMS_TEMPLATES that names
its code at the provider, and the variables `send_sms` passes (`params`). A purpose whose texts read
differently (a granted or a refused case) has one template per wording. The words of each template
are the Chinese of its message (locale/zh_Hans), with `%(name)s` written `${name}`.
"""

TEMPLATES: dict[str, tuple[str, ...]] = {
    # cases (linju/cases/services/)
    "accepted": ("number", "item", "promise"),
    "suspended": ("number", "missing"),
    "suspended_promise": ("number", "missing", "promise"),
    "suspended_at_station": ("number", "station", "missing", "promise"),
    "finished": ("number", "item", "answer", "what", "collect", "link"),
    "finished_granted": ("number", "item", "what", "collect", "link"),
    "finished_refused": ("number", "item", "reason", "rule", "link"),
    "returned": ("number", "reason"),
    "extended": ("number", "reason", "date"),
    "redated": ("number", "date"),
    "reopened": ("number", "promise"),
    # an agent (代办人) applied for the person: the person is told on the phone the bureau holds
    "agent_filed": ("number", "item", "agent"),
    "due_soon": ("count", "numbers"),
    # 好差评: the code to rate by phone, and a rectification's result with the link to rate the fix
    "rating_code": ("number", "code"),
    "rectified": ("subject", "way", "what", "link"),
    # bundle cases (一件事): accepted with their promise, and the one answer of every part
    "bundle_accepted": ("number", "bundle", "parts", "promise"),
    "bundle_finished": ("number", "bundle", "outcomes", "link"),
    # jobs
    "referral": ("name", "title", "employer", "low", "high", "where", "ask", "questions"),
    "referral_follow_up": ("count", "names"),
    # gigs (linju/gigs): the dispatch slip (派工单) texted to the worker, with the link where they say
    # the work is done and what was paid (the printed slip's). A new wording is a template of its own,
    # approved anew: it replaced `gig_slip`, the slip without the link (docs/sms.md)
    "gig_slip_link": ("name", "work", "where", "when", "pay", "ask", "link"),
    # outreach
    "booth_reminder": ("day", "market", "items", "phone"),
    # eligibility
    "self_check": ("items", "where", "url"),
    # offers (免申即享): the first text and its one reminder
    "offer": ("offer", "link"),
    "offer_reminder": ("offer", "date", "link"),
    # granted on the data alone: what was granted and until when to object
    "offer_granted": ("item", "what", "date", "link"),
    # the audit log failed its nightly check (linju/audit/chain.py): to the bureau's administrators
    "audit_alert": ("count", "event"),
    # a person's own page (我的): the code that opens it
    "my_page_code": ("code", "minutes"),
    # retirement (linju/pensions): a year before the statutory retirement month
    "retirement_ahead": ("month", "age", "opens", "link"),
}


def params_problem(template: str, params: dict | None) -> str:
    """What is wrong with a text's template and variables for the provider, or "" when nothing."""
    if template not in TEMPLATES:
        return f"no template {template!r} in linju/notify/purposes.py"
    wanted, given = set(TEMPLATES[template]), set(params or {})
    if wanted != given:
        return f"template {template!r} takes {sorted(wanted)}, was given {sorted(given)}"
    return ""
