"""A bundle case's papers: its receipt (受理回执, every part with its own promised date and the office
that finishes it), its one final notice (办结通知, every part's outcome) and, for each partner
office's part, the dispatch slip (送达单) that goes with its papers. Built from the bundle case alone,
so the page and the PDF job make the same document, as a case's papers are."""

from __future__ import annotations

import segno
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.core.pdf import Paper, public_url, register_paper

from .bundle_selectors import with_parts
from .models import BundleCase, Case, PartnerDispatch
from .promises import case_promise
from .services.bundle_follow import bundle_promise_sentence, outcome_words

BUNDLE_PAPERS = {  # paper: (template, title)
    "bundle-receipt": ("cases/papers/bundle_receipt.html", _("Receipt")),
    "bundle-answer": ("cases/papers/bundle_answer.html", _("Notice of the answers")),
}


def bundle_paper(bundle_case: BundleCase, paper: str) -> Paper | None:
    """The paper of the bundle case as it stands, or None (no final notice before every part is
    answered)."""
    if paper == "bundle-answer" and bundle_case.status != BundleCase.Status.FINISHED:
        return None
    template, title = BUNDLE_PAPERS[paper]
    bundle_case = with_parts(bundle_case) if not hasattr(bundle_case, "part_list") else bundle_case
    status_url = public_url(reverse("status") + f"?number={bundle_case.number}")
    rows = [
        {
            "part": part,
            "promise": case_promise(part),
            "outcome": outcome_words(part) if part.status in Case.CLOSED else "",
        }
        for part in bundle_case.part_list
    ]
    return Paper(
        template="cases/papers/pdf.html",
        context={
            "case": bundle_case,
            "paper": paper,
            "title": title,
            "body": template,
            "rows": rows,
            "bundle_promise": bundle_promise_sentence(bundle_case.part_list),
            "status_url": status_url,
            "qr_svg": segno.make(status_url, error="m").svg_inline(scale=3),
            "where_to_ask": bundle_case.taken_at_point
            or bundle_case.town.service_points.filter(kind="town_station").first(),
            "printed_at": timezone.localtime(bundle_case.updated_at),
        },
        folder=f"cases/{bundle_case.number}/{paper}",
        filename=f"{paper}-{bundle_case.number}.pdf",
        title=f"{title} {bundle_case.number}",
    )


def _build(paper: str):
    def build(number: str) -> Paper | None:
        # a worker's read: the page that asked for the paper checked the viewer's towns
        bundle_case = (
            BundleCase.objects.select_related("bundle", "town__bureau", "applicant", "version")
            .filter(number=number)
            .first()
        )
        return bundle_paper(bundle_case, paper) if bundle_case is not None else None

    return build


def dispatch_slip(number: str) -> Paper | None:
    """送达单: the slip that goes with a partner office's part and its papers, by the part's number;
    None when the part was not sent."""
    dispatch = (
        PartnerDispatch.objects.select_related(
            "case__bundle__bundle", "case__applicant", "case__town__bureau", "partner"
        )
        .filter(case__number=number)
        .first()
    )
    if dispatch is None:
        return None
    part = dispatch.case
    status_url = public_url(reverse("status") + f"?number={part.bundle.number}")
    title = _("Dispatch slip (送达单)")
    return Paper(
        template="cases/papers/pdf.html",
        context={
            "case": part,
            "dispatch": dispatch,
            "title": title,
            "body": "cases/papers/bundle_dispatch.html",
            "status_url": status_url,
            "qr_svg": segno.make(status_url, error="m").svg_inline(scale=3),
            "printed_at": timezone.localtime(dispatch.sent_at),
        },
        folder=f"cases/{part.number}/bundle-dispatch",
        filename=f"dispatch-{part.number}.pdf",
        title=f"{title} {part.number}",
    )


def register_bundle_papers() -> None:
    for paper in BUNDLE_PAPERS:
        register_paper(paper, _build(paper))
    register_paper("bundle-dispatch", dispatch_slip)
