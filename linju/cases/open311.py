"""Open311 GeoReport v2 at /open311/v2/, so existing 311 clients can talk to Linju.

- service_code is a catalogue item's code; service_request_id is a case number.
- address_id is a village's 12-digit code; jurisdiction_id is a bureau (qijiang, wansheng).
- POST requests needs api_key (a staff API token); the request is taken online, in that staff
  member's towns. Applicant fields come as attributes (name, id_number) and the standard `phone`.
- A client on a weak signal may repeat a POST with the same `Idempotency-Key` header: one case.
- GET requests answers without a key, as the spec expects of read-only clients, with
  de-identified requests only: service, status, requested and expected dates, the town, the agency
  responsible; no name, ID number, phone, description or village, and an opaque id in place of the
  case number (numbers are sequential and open the status page with four digits). A key holder
  gets their towns' full records, and requests/{id} by case number. Residents check their own
  case on /status/ with the end of their phone number.
- De-identified as statistical releases are: a request read without a key is placed by its town
  and its day only (requested_datetime is the day's midnight; the list is ordered by day, town,
  service and the opaque id, never by the time it came), and it is listed only when its cell (one
  town, one service, one whole day) holds at least LINJU_OPEN311_MIN_CELL requests (5 by default);
  smaller cells are left out, for a neighbour who saw someone walk into the station that day would
  otherwise learn what they asked for and whether it was refused. The cells are counted before any
  filter and over whole days: start_date and end_date are widened to whole days, status filters
  the released rows, and a day is released only when it is over (today's requests, which a client
  polling the list could date to the minute, are not shown). A request cannot be looked up alone
  without a key (requests/{id} and service_request_id answer 403 to anyone without one, whatever
  the id, so an id tells nothing the list does not); with a key it is the key holder's own towns'
  full record, found by case number, and an opaque id finds nothing.
Every answer is JSON or XML by the URL's extension; errors are the spec's list of {code, description}.
"""

from __future__ import annotations

import datetime
import json
from xml.etree import ElementTree as ET

from django.conf import settings
from django.db.models import Count, F, Window
from django.db.models.functions import TruncDate
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from linju.access.guards import public
from linju.accounts.services import api_token_user
from linju.catalog.models import Channel, ServiceItem
from linju.catalog.selectors import item_get, item_list
from linju.core.errors import DomainError, errors_by_field
from linju.geo.models import Bureau, Village
from linju.people.shown import reads_people, text_shown

from .models import Case
from .promises import case_promise, promise_sentence
from .services import Intake, NewPerson, case_accept, finishing_office_name

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
MAX_RESULTS = 1000
DEFAULT_SPAN_DAYS = 90
CLOSING_HOUR = datetime.time(17, 30)


class Open311Error(Exception):
    def __init__(self, code: int, description) -> None:
        super().__init__(str(description))
        self.code = code
        self.description = str(description)


# Rendering ---------------------------------------------------------------------------------------


def _xml_value(parent: ET.Element, key: str, value) -> None:
    element = ET.SubElement(parent, key)
    if isinstance(value, bool):
        element.text = "true" if value else "false"
    elif isinstance(value, dict):
        for k, v in value.items():
            _xml_value(element, k, v)
    elif isinstance(value, list):
        # Lists inside a record: <keywords> as text, <values><value>…</value></values>, <attributes><attribute>…
        child = {
            "values": "value",
            "attributes": "attribute",
            "endpoints": "endpoint",
            "formats": "format",
        }.get(key)
        for item in value:
            if child and isinstance(item, dict):
                _xml_value(element, child, item)
            else:
                _xml_value(element, child or "item", item)
    elif value is not None:
        element.text = str(value)


def _render(data, fmt: str, *, root: str = "", item: str = "", status: int = 200) -> HttpResponse:
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False)
    else:
        if isinstance(data, list):
            element = ET.Element(root)
            for record in data:
                child = ET.SubElement(element, item)
                for key, value in record.items():
                    _xml_value(child, key, value)
        else:
            element = ET.Element(root)
            for key, value in data.items():
                _xml_value(element, key, value)
        body = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="unicode")
    return HttpResponse(body, content_type=FORMATS[fmt], status=status)


def _error(fmt: str, code: int, description) -> HttpResponse:
    return _render(
        [{"code": code, "description": str(description)}], fmt, root="errors", item="error", status=code
    )


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Error(404, _("Use .json or .xml."))
    return fmt


def open311_view(methods: list[str]):
    """Method check, format, and the spec's error list for every refusal."""

    def decorate(view):
        @csrf_exempt
        @require_http_methods(methods)
        def wrapped(request, fmt: str, **kwargs):
            try:
                return view(request, _format(fmt), **kwargs)
            except Open311Error as error:
                return _error(fmt if fmt in FORMATS else "json", error.code, error.description)
            except DomainError as error:
                details = "; ".join(
                    f"{field}: {' '.join(msgs)}" if field != "__all__" else " ".join(msgs)
                    for field, msgs in errors_by_field(error).items()
                )
                return _error(fmt if fmt in FORMATS else "json", error.status, details or error.text())

        return wrapped

    return decorate


# Helpers -----------------------------------------------------------------------------------------


def _bureau(request) -> Bureau | None:
    jurisdiction = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or ""
    if not jurisdiction:
        return None
    bureau = Bureau.objects.filter(jurisdiction_id=jurisdiction).first()
    if bureau is None:
        raise Open311Error(
            404, _("Unknown jurisdiction_id “%(j)s”: use qijiang or wansheng.") % {"j": jurisdiction[:40]}
        )
    return bureau


def _iso(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _service(item: ServiceItem) -> dict:
    return {
        "service_code": item.code,
        "service_name": item.name,
        "description": item.description,
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(item.keywords.split()),
        "group": item.category.name,
    }


def _request_record(case: Case, *, viewer) -> dict:
    """A key holder's full record; for a key holder who reads no person (a leader), nothing the
    person wrote and no place below the town, as on the case's page."""
    expected = datetime.datetime.combine(
        case.promised_date, CLOSING_HOUR, tzinfo=timezone.get_current_timezone()
    )
    village = case.taken_at_village or case.applicant.village
    notes = case.return_reason if case.status == Case.Status.RETURNED else str(case.get_status_display())
    station = case.town.service_points.filter(kind="town_station").first()
    return {
        "service_request_id": case.number,
        "status": "open" if case.status not in Case.CLOSED else "closed",
        "status_notes": notes,
        "service_name": case.item.name,
        "service_code": case.item.code,
        "description": case.description,
        "agency_responsible": (
            case.town.bureau.name if case.level == Case.Level.DISTRICT or station is None else station.name
        ),
        "service_notice": "",
        "requested_datetime": _iso(case.accepted_at),
        "updated_datetime": _iso(case.updated_at),
        "expected_datetime": _iso(expected) if case.status not in Case.CLOSED else None,
        "address": f"{village.town.name}{village.name}",
        "address_id": village.code,
        "zipcode": "",
        "lat": village.latitude,
        "long": village.longitude,
        "media_url": "",
    } | (
        {}
        if reads_people(viewer)
        else {
            "status_notes": text_shown(viewer=viewer, text=notes),
            "description": text_shown(viewer=viewer, text=case.description),
            "address": case.town.name,
            "address_id": case.town.code,
            "lat": None,
            "long": None,
        }
    )


def _parse_datetime(value: str, name: str) -> datetime.datetime:
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(
            400, _("%(name)s must be a date and time like 2026-11-25T09:30:00+08:00.") % {"name": name}
        ) from None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


# Endpoints ---------------------------------------------------------------------------------------


@public
@open311_view(["GET"])
def discovery(request, fmt):
    base = request.build_absolute_uri(reverse("open311:discovery", args=["json"])).rsplit("/", 1)[0] + "/"
    data = {
        "changeset": "2026-11-25T00:00:00+08:00",
        "contact": "綦江区人力社保局 · Linju (demo)",
        "key_service": " ".join(
            [
                str(_("Ask the bureau's administrator for a staff API token (manage.py create_api_token).")),
                str(
                    _(
                        "Without a key, requests are listed by day and town, once the day is over, and only "
                        "where one town had at least %(k)s requests of one service that day."
                    )
                    % {"k": settings.LINJU_OPEN311_MIN_CELL}
                ),
            ]
        ),
        "endpoints": [
            {
                "specification": SPEC_URL,
                "url": base,
                "changeset": "2026-11-25T00:00:00+08:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            },
        ],
    }
    return _render(data, fmt, root="discovery")


@public
@open311_view(["GET"])
def services_list(request, fmt):
    _bureau(request)  # refuses an unknown jurisdiction_id; both bureaus offer the same catalogue
    return _render([_service(i) for i in item_list()], fmt, root="services", item="service")


@public
@open311_view(["GET"])
def service_definition(request, fmt, code):
    try:
        item = item_get(code=code)
    except DomainError:
        raise Open311Error(404, _("Unknown service_code “%(code)s”.") % {"code": code[:40]}) from None
    attributes = [
        {
            "variable": True,
            "code": "name",
            "datatype": "string",
            "required": True,
            "datatype_description": str(_("The applicant's full name (or give last_name and first_name).")),
            "order": 1,
            "description": str(_("Applicant's name")),
        },
        {
            "variable": True,
            "code": "id_number",
            "datatype": "string",
            "required": True,
            "datatype_description": str(_("18 characters, the last may be X.")),
            "order": 2,
            "description": str(_("Resident ID number")),
        },
    ]
    materials = list(item.materials.all())
    if materials:
        attributes.append(
            {
                "variable": True,
                "code": "materials_missing",
                "datatype": "multivaluelist",
                "required": False,
                "datatype_description": str(_("Materials the applicant does not have yet.")),
                "order": 3,
                "description": str(_("Materials missing")),
                "values": [{"key": str(i), "name": m.name} for i, m in enumerate(materials)],
            }
        )
    return _render({"service_code": item.code, "attributes": attributes}, fmt, root="service_definition")


def _anonymous_id(case: Case) -> str:
    """A stable id for a request read without a key, from which the case number cannot be learnt."""
    digest = salted_hmac("linju.open311.anonymous", case.number).hexdigest()
    return f"anon-{digest[:16]}"


def _anonymous_record(case: Case) -> dict:
    """A request as anyone may read it: nothing that names or places a person below the town, nor
    dates it closer than the day."""
    tz = timezone.get_current_timezone()
    expected = datetime.datetime.combine(case.promised_date, CLOSING_HOUR, tzinfo=tz)
    day = datetime.datetime.combine(timezone.localdate(case.accepted_at), datetime.time.min, tzinfo=tz)
    return {
        "service_request_id": _anonymous_id(case),
        "status": "open" if case.status not in Case.CLOSED else "closed",
        "status_notes": str(case.get_status_display()),
        "service_name": case.item.name,
        "service_code": case.item.code,
        "agency_responsible": finishing_office_name(case),
        "requested_datetime": _iso(day),
        "expected_datetime": _iso(expected) if case.status not in Case.CLOSED else None,
        "address": case.town.name,  # the town, never the village
        "address_id": case.town.code,
    }


def _cases_for_key(request, *, anonymous_allowed: bool = False):
    """The cases a request may read, and the key holder (None without a key): the key holder's
    towns, or (a list read without a key) every case, to be shown de-identified. A key given but
    not valid is refused either way."""
    key = request.GET.get("api_key", "")
    if not key and anonymous_allowed:
        cases = Case.objects.select_related("item", "town__bureau")
        bureau = _bureau(request)
        return (cases.filter(town__bureau=bureau) if bureau is not None else cases), None
    user = api_token_user(key)
    if user is None:
        raise Open311Error(403, _("A valid api_key is required to read one service request."))
    cases = Case.objects.select_related(
        "item", "town__bureau", "applicant__village__town", "taken_at_village__town"
    ).visible_to(user)
    bureau = _bureau(request)
    return (cases.filter(town__bureau=bureau) if bureau is not None else cases), user


def _with_status(cases, status: str):
    if status == "open":
        return cases.exclude(status__in=Case.CLOSED)
    if status == "closed":
        return cases.filter(status__in=Case.CLOSED)
    return cases


def _released(cases, *, start: datetime.datetime, end: datetime.datetime, status: str) -> list[Case]:
    """The requests the list shows without a key (see the module's docstring): whole days that are
    over, cells of one town, one service and one day that hold at least LINJU_OPEN311_MIN_CELL
    requests, counted before `status` is applied; in an order that says nothing of the hour."""
    tz = timezone.get_current_timezone()
    first_day = timezone.localdate(start)
    last_day = min(timezone.localdate(end), timezone.localdate() - datetime.timedelta(days=1))
    if last_day < first_day:
        return []
    day = TruncDate("accepted_at", tzinfo=tz)
    cells = (
        cases.filter(
            accepted_at__gte=datetime.datetime.combine(first_day, datetime.time.min, tzinfo=tz),
            accepted_at__lt=datetime.datetime.combine(
                last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
            ),
        )
        .annotate(cell=Window(Count("pk"), partition_by=[F("town_id"), F("item_id"), day]))
        .filter(cell__gte=settings.LINJU_OPEN311_MIN_CELL)
    )
    released = _with_status(
        Case.objects.select_related("item", "town__bureau").filter(pk__in=cells.values("pk")), status
    )
    rows = list(released.annotate(day=day).order_by("-day", "town__code", "item__code")[:MAX_RESULTS])
    return sorted(rows, key=lambda c: (-c.day.toordinal(), c.town.code, c.item.code, _anonymous_id(c)))


@public
@open311_view(["GET", "POST"])
def requests_collection(request, fmt):
    """The list of requests: a key holder's towns' full records, or, without a key, the released
    de-identified cells (see the module's docstring)."""
    if request.method == "POST":
        return _create_request(request, fmt)
    anonymous = not request.GET.get("api_key", "")
    cases, user = _cases_for_key(request, anonymous_allowed=True)
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if ids and anonymous:
        raise Open311Error(403, _("Looking requests up by id needs an api_key; the list is open."))
    if ids:
        cases = cases.filter(number__in=ids[:MAX_RESULTS])
    else:
        codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
        if codes:
            cases = cases.filter(item__code__in=codes)
        status = request.GET.get("status", "")
        if status not in ("", "open", "closed"):
            raise Open311Error(400, _("status must be open or closed."))
        end = (
            _parse_datetime(request.GET["end_date"], "end_date")
            if request.GET.get("end_date")
            else timezone.now()
        )
        start = (
            _parse_datetime(request.GET["start_date"], "start_date")
            if request.GET.get("start_date")
            else end - datetime.timedelta(days=DEFAULT_SPAN_DAYS)
        )
        if anonymous:
            records = [_anonymous_record(c) for c in _released(cases, start=start, end=end, status=status)]
            return _render(records, fmt, root="service_requests", item="request")
        cases = _with_status(cases, status).filter(accepted_at__gte=start, accepted_at__lte=end)
    chosen = cases.order_by("-accepted_at")[:MAX_RESULTS]
    records = [_anonymous_record(c) if anonymous else _request_record(c, viewer=user) for c in chosen]
    return _render(records, fmt, root="service_requests", item="request")


@public
@open311_view(["GET"])
def request_detail(request, fmt, request_id):
    cases, user = _cases_for_key(request)
    case = cases.filter(number=request_id).first()
    if case is None:
        raise Open311Error(404, _("No service request %(id)s.") % {"id": request_id[:40]})
    return _render([_request_record(case, viewer=user)], fmt, root="service_requests", item="request")


def _create_request(request, fmt):
    data = request.POST
    user = api_token_user(data.get("api_key", ""))
    if user is None:
        raise Open311Error(403, _("A valid api_key is required to post a service request."))
    if not data.get("service_code"):
        raise Open311Error(400, _("service_code is required."))
    bureau = _bureau(request)
    village = None
    if data.get("address_id"):
        village = Village.objects.select_related("town__bureau").filter(code=data["address_id"]).first()
        if village is None:
            raise Open311Error(400, _("address_id must be a village's 12-digit code."))
    elif data.get("address_string"):
        text = data["address_string"]
        # Village names repeat across the district: the town must be named too.
        matches = [
            v
            for v in Village.objects.select_related("town__bureau")
            if v.name in text and v.town.name in text
        ]
        if len(matches) != 1:
            raise Open311Error(
                400,
                _("address_string must name one town and village, e.g. 永新镇荆山村; or send address_id."),
            )
        village = matches[0]
    else:
        raise Open311Error(400, _("A location is required: address_id (a village code) or address_string."))
    if bureau is not None and village.town.bureau_id != bureau.pk:
        raise Open311Error(400, _("That village is not in this jurisdiction."))
    name = data.get("attribute[name]") or f"{data.get('last_name', '')}{data.get('first_name', '')}"
    id_number = data.get("attribute[id_number]", "")
    if not name.strip() or not id_number.strip():
        raise Open311Error(400, _("attribute[name] and attribute[id_number] are required."))
    item = ServiceItem.objects.filter(code=data["service_code"]).prefetch_related("materials").first()
    if item is None:
        raise Open311Error(404, _("Unknown service_code “%(code)s”.") % {"code": data["service_code"][:40]})
    materials = list(item.materials.all())
    missing_keys = set(
        data.getlist("attribute[materials_missing][]") + data.getlist("attribute[materials_missing]")
    )
    missing = [m.name for i, m in enumerate(materials) if str(i) in missing_keys]
    case = case_accept(
        actor=user,
        intake=Intake(
            item_code=item.code,
            channel=Channel.ONLINE,
            person=NewPerson(
                name=name, id_number=id_number, phone=data.get("phone", ""), village_code=village.code
            ),
            description=data.get("description", ""),
            materials_received=[m.name for m in materials if m.name not in missing],
            materials_missing=missing,
            idempotency_key=request.headers.get("Idempotency-Key", "")[:80],
        ),
    )
    notice = str(_("Accepted.")) + " " + promise_sentence(case_promise(case), finishing_office_name(case))
    return _render(
        [{"service_request_id": case.number, "service_notice": notice, "account_id": None}],
        fmt,
        root="service_requests",
        item="request",
    )
