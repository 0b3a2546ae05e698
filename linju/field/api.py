"""The field app's day of data, fetched while there is signal."""

from ninja import Router

from linju.access.guards import needs
from linju.accounts.auth import staff_auth
from linju.core.request_context import request_context

from .services import field_bundle_hand_over

router = Router(tags=["field"], auth=staff_auth)


@router.get("/field/bundle", summary="The field app's day: catalogue, calendar, places, booths, home tasks")
@needs("case.accept")
def bundle(request):
    return field_bundle_hand_over(viewer=request.user, context=request_context(request))
