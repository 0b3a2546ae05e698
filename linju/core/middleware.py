"""Middleware: the guard on what comes in, and domain errors raised below a view as plain pages."""

import logging
import time

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from .errors import DomainError, error_body, outage_errors, unavailable
from .text import MAX_JSON_DEPTH, has_hidden_characters, is_json_type, json_depth, parse_json_body

JSON_PATHS = ("/api/", "/open311/")
logger = logging.getLogger("linju.requests")


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class Refused(Exception):
    def __init__(self, status: int, code: str, message) -> None:
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


def _hidden_characters() -> Refused:
    return Refused(
        400, "hidden_characters", _("The text holds hidden control characters. Type it again without them.")
    )


class InputGuardMiddleware:
    """Every request's address, query and body are looked at before any view or service sees them,
    whatever the body's content type, and refused in plain words (a 4xx, never a 500) when they hold
    hidden characters (linju/core/text.py), nest too deeply, are not UTF-8 or are too large.

    What the guard reads is what the rest reads: a form through Django's own parse (request.POST); a
    JSON body (application/json, or a +json type) decoded and parsed by the one function the API's
    parser uses (linju.core.text.parse_json_body). The API parses nothing else: any other body sent
    to it is a 415 here. Elsewhere no view reads such a body; it is looked at all the same, as UTF-8
    text."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            self._check(request)
        except RequestDataTooBig:
            return self._refuse(
                request, 413, "too_large", _("The request is too large. Send less at a time.")
            )
        except Refused as refused:
            return self._refuse(request, refused.status, refused.code, refused.message)
        return self.get_response(request)

    @classmethod
    def _check(cls, request) -> None:
        if has_hidden_characters(request.path_info) or any(
            has_hidden_characters(k) or has_hidden_characters(v) for k, v in request.GET.lists()
        ):
            raise _hidden_characters()
        content_type = request.content_type or ""
        if content_type in FORM_TYPES:
            # Django reads a form only from a POST (a PUT's form is read by no one: the API's parser
            # takes JSON only). Reading it here leaves the parsed form for the view.
            if request.method != "POST":
                return
            try:
                fields = request.POST  # (and the files: the parse reads both)
            except MultiPartParserError:
                raise Refused(
                    400, "unreadable_form", _("The form could not be read. Send it again from the page.")
                ) from None
            # (an uploaded file's name has had its unprintable characters dropped by Django's parser)
            if any(has_hidden_characters(k) or has_hidden_characters(v) for k, v in fields.lists()):
                raise _hidden_characters()
            return
        raw = request.body  # RequestDataTooBig over the limit
        if not raw:
            return
        if is_json_type(content_type):
            cls._check_json(raw)
        elif request.path.startswith("/api/"):
            raise Refused(
                415,
                "unsupported_media_type",
                _("Send the request as JSON, with the header Content-Type: application/json."),
            )
        else:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise cls._not_utf8() from None
            if has_hidden_characters(text):
                raise _hidden_characters()

    @classmethod
    def _check_json(cls, raw: bytes) -> None:
        if json_depth(raw) > MAX_JSON_DEPTH:
            raise Refused(
                400,
                "too_deep",
                _("The request nests lists or objects too deeply to be read: send the documented fields."),
            )
        try:
            body = parse_json_body(raw)
        except UnicodeDecodeError:
            raise cls._not_utf8() from None
        except ValueError:
            return  # not JSON: nothing can read it, and the API says so in its own words
        if has_hidden_characters(body):
            raise _hidden_characters()

    @staticmethod
    def _not_utf8() -> Refused:
        return Refused(400, "not_utf8", _("The request is not text in UTF-8. Send it in UTF-8."))

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
