"""The pages of a bundle case (一件事) for staff: the bundle first, then its parts (each a case with
its own page), and its papers: the receipt, the final notice, a partner's part's dispatch slip."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from linju.access.guards import needs
from linju.core.errors import NotFound
from linju.core.pdf import pdf_response
from linju.core.request_context import request_context

from . import bundle_papers, services
from .services.bundle_follow import bundle_promise_sentence

_NOT_YET = _("Not every part is answered yet: the final notice comes with the last answer.")
_NOT_SENT = _("This part was not sent to a partner office.")
PAPER_ROUTES = {"bundle-receipt": "cases:bundle-receipt-pdf", "bundle-answer": "cases:bundle-answer-pdf"}


@needs("case.read")
@login_required
@require_GET
def bundle_detail(request, number: str):
    bundle_case = services.bundle_case_open(
        viewer=request.user, number=number, context=request_context(request)
    )
    return render(
        request,
        "cases/bundle_detail.html",
        {"bundle_case": bundle_case, "promise": bundle_promise_sentence(bundle_case.part_list)},
    )


@needs("person.read")  # the papers handed to the person carry their name
@login_required
@require_GET
def bundle_paper(request, number: str, paper: str, as_pdf: bool = False):
    bundle_case = services.bundle_case_open(
        viewer=request.user, number=number, context=request_context(request)
    )
    document = bundle_papers.bundle_paper(bundle_case, paper)
    if document is None:
        raise NotFound(_NOT_YET)
    if as_pdf:
        return pdf_response(request, paper, bundle_case.number, document)
    context = document.context | {"pdf_url": reverse(PAPER_ROUTES[paper], args=[bundle_case.number])}
    return render(request, "cases/papers/bundle_page.html", context)


@needs("person.read")
@login_required
@require_GET
def dispatch_slip(request, number: str):
    """The dispatch slip (送达单) of a partner office's part, as a PDF: read through the part's case."""
    part = services.case_open(
        viewer=request.user, number=number, what="dispatch", context=request_context(request)
    )
    document = bundle_papers.dispatch_slip(part.number)
    if document is None:
        raise NotFound(_NOT_SENT)
    return pdf_response(request, "bundle-dispatch", part.number, document)
