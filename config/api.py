"""The JSON API: one NinjaAPI, one router per app, every error mapped here and only here."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, RawPostDataException
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from linju.cases.api import ratings as ratings_router
from linju.cases.api import router as cases_router
from linju.cases.jinbao_api import router as jinbao_router
from linju.catalog.api import router as catalog_router
from linju.consent.api import router as consent_router
from linju.core.errors import DomainError, error_body, errors_by_field, outage_errors, unavailable
from linju.core.text import is_json_type, parse_json_body
from linju.eligibility.api import router as eligibility_router
from linju.field.api import router as field_router
from linju.geo.api import router as geo_router
from linju.gigs.api import router as gigs_router
from linju.gigs.pay_api import router as gigs_pay_router
from linju.identity.api import router as identity_router
from linju.jobs.api import router as jobs_router
from linju.offers.api import router as offers_router
from linju.offers.sms_api import router as sms_router
from linju.outreach.api import public as markets_router
from linju.outreach.api import router as outreach_router
from linju.pensions.api import router as pensions_router
from linju.people.api import router as people_router
from linju.planning.api import router as planning_router
from linju.portal.api import router as portal_router
from linju.portal.api import staff as intake_router
from linju.workdays.api import router as workdays_router


class ReadableJSONRenderer(JSONRenderer):
    """Chinese as characters, not \\u escapes: readable with curl, and smaller on a weak signal."""

    json_dumps_params = {"ensure_ascii": False}


class BodyNotAnObject(ValueError):
    pass


class BodyNotJSON(ValueError):
    pass


class ObjectBodyParser(Parser):
    """A JSON body is an object: every operation that takes one declares a Schema of named fields.
    A list, a string or a number in its place is refused (422, see http_error) instead of read as
    "no answers". Only a body sent as JSON is parsed, and as the input guard read it (UTF-8, through
    the same function): a body of another type is one the guard did not read as JSON (415)."""

    def parse_body(self, request):
        if not is_json_type(request.content_type):
            raise BodyNotJSON
        data = parse_json_body(request.body)
        if not isinstance(data, dict):
            raise BodyNotAnObject  # django-ninja turns a parser's error into a 400 "cannot parse"
        return data


api = NinjaAPI(
    renderer=ReadableJSONRenderer(),
    parser=ObjectBodyParser(),
    title="Linju 邻居 API",
    version="1",
    description="綦江区人力社保服务平台 · Qijiang HR and social security services",
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/geo", geo_router)
api.add_router("/people", people_router)
api.add_router("/identity", identity_router)
api.add_router("", catalog_router)
api.add_router("", portal_router)
api.add_router("", intake_router)
api.add_router("", field_router)
api.add_router("", workdays_router)
api.add_router("", cases_router)
api.add_router("", jinbao_router)
api.add_router("", ratings_router)
api.add_router("", markets_router)
api.add_router("", outreach_router)
api.add_router("", sms_router)
api.add_router("", jobs_router)
api.add_router("", gigs_router)
api.add_router("", eligibility_router)
api.add_router("", offers_router)
api.add_router("", consent_router)
api.add_router("", pensions_router)
api.add_router("", gigs_pay_router)
api.add_router("", planning_router)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    errors = errors_by_field(exc)
    if list(errors) == ["__all__"]:
        errors = None  # the message says it all
    return api.create_response(request, error_body(exc.code, exc, errors), status=exc.status)


def outage(request, exc: Exception):
    """The shared cache or the queue did not answer where the request could not do without it: 503
    in plain words, with when to try again (never an HTML 500)."""
    error = unavailable()
    response = api.create_response(request, error_body(error.code, error), status=error.status)
    response["Retry-After"] = str(error.retry_after)
    return response


for _outage in outage_errors():
    api.add_exception_handler(_outage, outage)


HTTP_ERROR_MESSAGES = {
    400: _("The request could not be read: send JSON with the documented fields."),
    403: _("You may not do this."),
    405: _("This address does not accept this method."),
    429: _("Too many requests: wait a moment and try again."),
}


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, BodyNotAnObject):
        return api.create_response(
            request,
            error_body(
                "invalid_request",
                _("Send a JSON object with the documented fields, not a list or a single value."),
                {
                    "__all__": [
                        _("Send a JSON object with the documented fields, not a list or a single value.")
                    ]
                },
            ),
            status=422,
        )
    if isinstance(exc.__cause__, BodyNotJSON):
        return not_json(request, exc)
    message = HTTP_ERROR_MESSAGES.get(exc.status_code, _("The request was refused."))
    return api.create_response(
        request, error_body(f"http_{exc.status_code}", message), status=exc.status_code
    )


@api.exception_handler(RawPostDataException)  # a form (read by the guard) where JSON is expected
def not_json(request, exc):
    return api.create_response(
        request,
        error_body(
            "unsupported_media_type",
            _("Send the request as JSON, with the header Content-Type: application/json."),
        ),
        status=415,
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, error_body("not_found", _("Not found.")), status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, error_body("unauthenticated", _("Please log in first.")), status=401)


@api.exception_handler(DjangoValidationError)
def django_validation_error(request, exc: DjangoValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(
        request, error_body("invalid", _("Some values are not valid."), errors), status=400
    )


# Plain words for the pydantic error types people actually meet; others keep pydantic's English.
VALIDATION_MESSAGES = {
    "missing": _("This value is required."),
    "date_parsing": _("Use a date like 2026-11-25."),
    "date_from_datetime_parsing": _("Use a date like 2026-11-25."),
    "date_from_datetime_inexact": _("Use a date like 2026-11-25."),
    "datetime_parsing": _("Use a date and time like 2026-11-25T09:30."),
    "datetime_from_date_parsing": _("Use a date and time like 2026-11-25T09:30."),
    "int_parsing": _("Enter a whole number."),
    "string_type": _("Enter text."),
    "bool_parsing": _("Enter true or false."),
    "string_too_long": _("This text is too long."),
}


@api.exception_handler(NinjaValidationError)
def request_validation_error(request, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        location = [str(p) for p in item.get("loc", []) if p not in ("body", "query", "path", "payload")]
        message = VALIDATION_MESSAGES.get(item.get("type", ""), item.get("msg", ""))
        errors.setdefault(".".join(location) or "__all__", []).append(str(message))
    return api.create_response(
        request,
        error_body(
            "invalid_request", _("The request is missing a value or has one of the wrong kind."), errors
        ),
        status=422,
    )
