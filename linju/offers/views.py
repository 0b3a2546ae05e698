"""The second look (二次确认): a run's new offers by town and item, approved or held one group at a
time, or all those in the viewer's towns at once. Server-rendered forms, no script."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from linju.access.guards import needs
from linju.core.errors import DomainError
from linju.core.feedback import flash_error
from linju.core.request_context import request_context

from . import selectors
from .forms import ApprovalForm
from .models import Offer
from .services.approval import offer_groups_seen, offers_approve, offers_hold


@needs("offer.read")
@login_required
@require_GET
def approvals(request):
    awaiting = selectors.offer_groups(viewer=request.user)
    held = selectors.offer_groups(viewer=request.user, statuses=(Offer.Status.HELD,))
    offer_groups_seen(viewer=request.user, groups=awaiting + held, context=request_context(request))
    return render(
        request,
        "offers/approvals.html",
        {
            "awaiting": awaiting,
            "held": held,
            "waiting": sum(group.count for group in awaiting),
        },
    )


@needs("offer.approve")
@login_required
@require_POST
def approve(request):
    form = ApprovalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a group of offers to approve or hold."))
        return redirect("offers:approvals")
    town, item = form.cleaned_data["town"], form.cleaned_data["item"]
    try:
        if form.cleaned_data["action"] == "approve":
            count = offers_approve(
                actor=request.user, town_code=town, item_code=item, held=form.cleaned_data["held"]
            )
            messages.success(request, _("%(count)d offers approved: they go out now.") % {"count": count})
        else:
            count = offers_hold(actor=request.user, town_code=town, item_code=item)
            messages.success(request, _("%(count)d offers held back: nothing is sent.") % {"count": count})
    except DomainError as error:
        flash_error(request, error)
    return redirect("offers:approvals")
