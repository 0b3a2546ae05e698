from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render

from linju.access.capabilities import can
from linju.access.scoping import towns_for_viewer
from linju.cases.selectors import work_counts
from linju.geo.selectors import bureau_halls, town_directory
from linju.people.selectors import resident_list


def home(request):
    """Public: every town with its social-security station, and the bureaus' service halls."""
    return render(request, "core/home.html", {"towns": town_directory(), "halls": bureau_halls()})


@login_required
def staff_home(request):
    towns = towns_for_viewer(request.user).order_by("code")
    return render(
        request,
        "core/staff_home.html",
        {
            "towns": towns,
            "resident_count": resident_list(viewer=request.user).count(),
            "is_admin": can(request.user, "admin.site"),
            "counts": work_counts(viewer=request.user),
        },
    )


def page_not_found(request, exception=None):
    return render(request, "core/error.html", {"status": 404, "message": None}, status=404)


def healthz(request):
    """Liveness for load balancers and monitors: answers without touching the database."""
    return JsonResponse({"ok": True})
