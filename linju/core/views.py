from django.http import JsonResponse
from django.shortcuts import render

from linju.core.declared import public


def page_not_found(request, exception=None):
    return render(request, "core/error.html", {"status": 404, "message": None}, status=404)


@public
def healthz(request):
    """Liveness for load balancers and monitors: answers without touching the database."""
    return JsonResponse({"ok": True})
