"""A case's papers: the receipt (受理回执), the one-time notice of missing materials (一次性告知书)
and the notice of return (退回通知). Each is one template and a context built from the case alone,
so that the page a cadre opens and the huey job that renders its PDF (linju.core.pdf) make the same
document. The step that makes a paper queues its PDF ahead (`paper_of_step`)."""

from __future__ import annotations

import segno
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.core.pdf import Paper, papers_ahead, public_url, register_paper

from .models import Case
from .promises import case_promise

PAPERS = {  # paper: (template, title)
    "receipt": ("cases/papers/receipt.html", _("Receipt")),
    "notice": ("cases/papers/notice.html", _("One-time notice of missing materials")),
    "return": ("cases/papers/return.html", _("Notice of return")),
}
# the paper a step hands the resident, queued as soon as the step is saved
PAPER_OF_STEP = {"accept": "receipt", "suspend": "notice", "send_back": "notice", "return": "return"}


def paper_kind(paper: str) -> str:
    return f"case-{paper}"


def case_paper(case: Case, paper: str) -> Paper | None:
    """The paper of this case as it stands, or None when the case has no such paper (nothing is
    missing, it was not returned)."""
    template, title = PAPERS[paper]
    status_url = public_url(reverse("status") + f"?number={case.number}")
    missing_event = case.events.filter(action__in=("suspend", "send_back")).order_by("-created_at").first()
    missing = case.materials_missing or (missing_event.detail.get("missing", []) if missing_event else [])
    suspended_on = case.suspended_on or (missing_event.created_at.date() if missing_event else None)
    if paper == "notice" and not (missing and suspended_on):
        return None
    if paper == "return" and case.status != Case.Status.RETURNED:
        return None
    # here, not at the top: cases.services imports this module (cases.papers <-> cases.services)
    from .services import finishing_office

    return Paper(
        template="cases/papers/pdf.html",
        context={
            "case": case,
            "paper": paper,
            "title": title,
            "body": template,
            "status_url": status_url,
            "qr_svg": segno.make(status_url, error="m").svg_inline(scale=3),
            "missing": missing,
            "suspended_on": suspended_on,
            "finisher": finishing_office(case),
            "promise": case_promise(case),
            "where_to_ask": case.taken_at_point
            or case.town.service_points.filter(kind="town_station").first(),
            # the time of the case version the paper shows: the same paper is the same document
            "printed_at": timezone.localtime(case.updated_at),
        },
        folder=f"cases/{case.number}/{paper}",
        filename=f"{paper}-{case.number}.pdf",
        title=f"{title} {case.number}",
    )


def _build(paper: str):
    def build(number: str) -> Paper | None:
        # a worker's read: the page that asked for the paper checked the viewer's towns
        case = Case.objects.select_related("item", "town__bureau", "applicant").filter(number=number).first()
        return case_paper(case, paper) if case is not None else None

    return build


def register_papers() -> None:
    for paper in PAPERS:
        register_paper(paper_kind(paper), _build(paper))


def paper_of_step(case: Case, action: str) -> None:
    """Queue the PDF of the paper this step hands the resident, once the step is saved."""
    if paper := PAPER_OF_STEP.get(action):
        papers_ahead(paper_kind(paper), [case.number])
