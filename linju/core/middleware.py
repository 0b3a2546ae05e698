"""Middleware: the guard on what comes in, and domain errors raised below a view as plain pages."""

import json
import logging
import time

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from .errors import DomainError, error_body, outage_errors, unavailable
from .text import MAX_JSON_DEPTH, has_hidden_characters, json_depth

JSON_PATHS = ("/api/", "/open311/")
logger = logging.getLogger("linju.requests")


class TooDeep(Exception):
    """A JSON body nested deeper than any of Linju's."""


class InputGuardMiddleware:
    """Every request's query, form fields and JSON body are refused (400, in plain words) when they
    hold hidden control characters; a body over the size limit on the API is answered in JSON (413),
    not with an HTML page. One place, before any view or service sees the input."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            hidden = self._hidden(request)
        except RequestDataTooBig:
            return self._refuse(
                request, 413, "too_large", _("The request is too large. Send less at a time.")
            )
        except TooDeep:
            return self._refuse(
                request,
                400,
                "too_deep",
                _("The request nests lists or objects too deeply to be read: send the documented fields."),
            )
        if hidden:
            return self._refuse(
                request,
                400,
                "hidden_characters",
                _("The text holds hidden control characters. Type it again without them."),
            )
        return self.get_response(request)

    @staticmethod
    def _hidden(request) -> bool:
        if any(has_hidden_characters(k) or has_hidden_characters(v) for k, v in request.GET.lists()):
            return True
        if request.method in ("POST", "PUT", "PATCH"):
            content_type = request.content_type or ""
            if content_type == "application/json":
                if json_depth(request.body or b"") > MAX_JSON_DEPTH:
                    raise TooDeep
                try:
                    body = json.loads(request.body or b"null")
                except ValueError:
                    return False  # not JSON: the API says so in its own words
                return has_hidden_characters(body)
            # (the JSON API reads its body as JSON: reading a form here would consume the stream it
            # needs; its forms-in-JSON are checked above)
            if content_type in ("application/x-www-form-urlencoded", "multipart/form-data") and not (
                request.path.startswith("/api/")
            ):
                return any(
                    has_hidden_characters(k) or has_hidden_characters(v) for k, v in request.POST.lists()
                )
        return False

    @staticmethod
    def _refuse(request, status: int, code: str, message):
        if request.path.startswith(JSON_PATHS):
            return JsonResponse(
                error_body(code, message), status=status, json_dumps_params={"ensure_ascii": False}
            )
        return render(request, "core/error.html", {"status": status, "message": message}, status=status)


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, outage_errors()):  # the cache or the queue did not answer: 503
            logger.warning("%s answered 503: %r", request.path, exception)
            error = unavailable()
            if request.path.startswith(JSON_PATHS):
                response = JsonResponse(
                    error_body(error.code, error),
                    status=error.status,
                    json_dumps_params={"ensure_ascii": False},
                )
            else:
                response = render(
                    request,
                    "core/error.html",
                    {"status": error.status, "message": error.text()},
                    status=error.status,
                )
            response["Retry-After"] = str(error.retry_after)
            return response
        if isinstance(exception, DomainError) and not request.path.startswith("/api/"):
            return render(
                request,
                "core/error.html",
                {"status": exception.status, "message": exception.text()},
                status=exception.status,
            )
        return None


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy on every page: the public pages run no script at all; staff pages
    and the admin only Linju's own files (HTMX, ECharts, their small modules); no page may be framed,
    post elsewhere or load objects. The API's interactive docs page is left as django-ninja builds it."""

    COMMON = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
    SCRIPTED = ("/staff/", "/admin/", "/accounts/", "/field/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" in response or request.path.startswith("/api/v1/docs"):
            return response
        scripts = "'self'" if request.path.startswith(self.SCRIPTED) else "'none'"
        response["Content-Security-Policy"] = f"{self.COMMON}; script-src {scripts}"
        return response


class SessionIdleExpiryMiddleware:
    """A signed-in session ends SESSION_COOKIE_AGE (a working day) after its last use. Saving the
    session on every request would cost a write per page; it is moved on at most every TOUCH_SECONDS,
    so the end is right to within that."""

    TOUCH_SECONDS = 600

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get("_touched", 0) >= self.TOUCH_SECONDS:
                session["_touched"] = now  # modified: saved with a new expiry at the end of the request
        return self.get_response(request)


PERSONAL_PATHS = ("/staff/", "/field/", "/status/", "/admin/", "/accounts/")


class PersonalNoStoreMiddleware:
    """A page, paper or API answer that may hold personal data is kept by no cache, the browser's
    or a proxy's: staff pages and papers, the field app, a resident's status look-up, and any API
    answer to someone signed in or holding a key. Public pages and public API answers stay
    cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self._personal(request) and "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _personal(request) -> bool:
        if request.path.startswith(PERSONAL_PATHS):
            return True
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        return request.path.startswith(JSON_PATHS) and (signed_in or "Authorization" in request.headers)
