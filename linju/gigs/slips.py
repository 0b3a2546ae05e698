"""The dispatch slip (派工单): a half page (A5) the cadre prints at the booth and hands the worker:
the work, where, when, pay and whom to ask. Built from the dispatch alone, so the page and the PDF
job make the same document (linju/core/pdf)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.core.pdf import Paper, register_paper

from .models import Dispatch
from .selectors import days_words, pay_words
from .services.dispatching import SLIP
from .services.pay import pay_link


def slip_paper(dispatch: Dispatch) -> Paper:
    gig = dispatch.gig
    title = _("Dispatch slip (派工单)")
    return Paper(
        template="gigs/slip_pdf.html",
        context={
            "dispatch": dispatch,
            "gig": gig,
            "title": title,
            "pay": pay_words(gig),
            "days": days_words(gig),
            "place": gig.market or gig.service_point,
            "printed_at": timezone.localtime(dispatch.created_at),
            "pay_link": pay_link(dispatch),  # the worker says there the work is done and what was paid
        },
        folder=f"gigs/dispatch-{dispatch.pk}",
        filename=f"gig-slip-{dispatch.pk}.pdf",
        title=f"{title} {dispatch.pk}",
    )


def _build(key: str) -> Paper | None:
    # a worker's read: the page that asked for the slip read the dispatch through the viewer's towns
    dispatch = (
        Dispatch.objects.select_related(
            "gig__work_type", "gig__village__town", "gig__market", "gig__service_point", "worker__resident"
        )
        .filter(pk=int(key) if key.isdigit() else 0)
        .first()
    )
    return slip_paper(dispatch) if dispatch is not None else None


def register_slips() -> None:
    register_paper(SLIP, _build)
