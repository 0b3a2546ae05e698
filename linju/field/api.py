"""The field app's day of data, fetched while there is signal."""

from ninja import Router

from linju.accounts.auth import staff_auth

from .selectors import field_bundle

router = Router(tags=["field"], auth=staff_auth)


@router.get("/field/bundle", summary="The field app's day: catalogue, calendar, places, booths, home tasks")
def bundle(request):
    return field_bundle(viewer=request.user)
