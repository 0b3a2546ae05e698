import datetime
import json
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from linju.accounts.services import api_token_create
from linju.cases.models import Case
from linju.cases.services import Intake, case_accept, case_transition
from linju.cases.tests.factories import case_at_counter
from linju.catalog.tests.factories import MaterialFactory
from linju.people.idnumbers import build_id_number
from linju.people.tests.factories import ResidentFactory

BASE = "/open311/v2"
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


@pytest.fixture
def key(served):
    return api_token_create(user=served.cadre, name="311 app")[1]


@pytest.fixture
def case(served):
    return case_at_counter(served, description="失业后申领")


def xml(response):
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)


def test_discovery(client, served):
    body = client.get(f"{BASE}/discovery.json").json()
    assert body["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert body["endpoints"][0]["url"].endswith("/open311/v2/")
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery" and root.find("endpoints/endpoint/formats/format").text == "text/xml"


def test_services_json_and_xml(client, served):
    services = client.get(f"{BASE}/services.json").json()
    ui = next(s for s in services if s["service_code"] == "UI-002")
    assert set(ui) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
    assert ui["metadata"] is True and ui["type"] == "realtime"
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services" and root.find("service/service_code") is not None
    assert root.find("service/metadata").text == "true"


def test_unknown_jurisdiction_is_an_error_list(client, served):
    response = client.get(f"{BASE}/services.json", {"jurisdiction_id": "beijing"})
    assert response.status_code == 404
    assert set(response.json()[0]) == {"code", "description"}
    root = xml(client.get(f"{BASE}/services.xml", {"jurisdiction_id": "beijing"}))
    assert root.tag == "errors" and root.find("error/code").text == "404"


def test_service_definition(client, served):
    MaterialFactory(item=served.ui, name="解除劳动合同证明")
    body = client.get(f"{BASE}/services/UI-002.json").json()
    assert body["service_code"] == "UI-002"
    codes = [a["code"] for a in body["attributes"]]
    assert codes == ["name", "id_number", "materials_missing"]
    assert body["attributes"][2]["values"] == [{"key": "0", "name": "解除劳动合同证明"}]
    root = xml(client.get(f"{BASE}/services/UI-002.xml"))
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/variable").text == "true"
    assert root.find("attributes/attribute[3]/values/value/name").text == "解除劳动合同证明"
    assert client.get(f"{BASE}/services/NOPE.json").status_code == 404


def test_post_a_request(client, served, key):
    number = build_id_number("500222", datetime.date(1970, 1, 1), 31)
    response = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": key,
            "service_code": "UI-002",
            "address_id": "500110113225",
            "attribute[name]": "王五",
            "attribute[id_number]": number,
            "phone": "13600001111",
            "description": "网上申请",
            "jurisdiction_id": "qijiang",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body[0]) == {"service_request_id", "service_notice", "account_id"}
    case = Case.objects.get(number=body[0]["service_request_id"])
    assert case.channel == "online" and case.applicant.name == "王五" and case.town.name == "永新镇"


def test_post_with_address_string_and_xml_answer(client, served, key):
    number = build_id_number("500222", datetime.date(1971, 1, 1), 31)
    response = client.post(
        f"{BASE}/requests.xml",
        {
            "api_key": key,
            "service_code": "UI-002",
            "address_string": "永新镇荆山村",
            "last_name": "王",
            "first_name": "六",
            "attribute[id_number]": number,
        },
    )
    root = xml(response)
    assert root.tag == "service_requests" and root.find("request/service_request_id").text


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"api_key": "wrong"}, 403),
        ({"service_code": ""}, 400),
        ({"address_id": "123"}, 400),
        ({"attribute[id_number]": "123"}, 400),
        ({"service_code": "NOPE"}, 404),
    ],
)
def test_post_errors(client, served, key, fields, code):
    data = {
        "api_key": key,
        "service_code": "UI-002",
        "address_id": "500110113225",
        "attribute[name]": "王五",
        "attribute[id_number]": "500222197001010311",
    } | fields
    response = client.post(f"{BASE}/requests.json", data)
    assert response.status_code == code
    assert response.json()[0]["code"] == code and response.json()[0]["description"]
    assert not Case.objects.exists()


def test_get_requests_with_a_key(client, served, key, case):
    body = client.get(f"{BASE}/requests.json", {"api_key": key, "status": "open"}).json()
    assert [r["service_request_id"] for r in body] == [case.number]
    assert list(body[0]) == REQUEST_FIELDS
    assert body[0]["status"] == "open" and body[0]["description"] == "失业后申领"
    assert body[0]["agency_responsible"] == "永新镇社保服务所"
    assert body[0]["expected_datetime"].endswith("+08:00")
    assert client.get(f"{BASE}/requests.json", {"api_key": key, "status": "closed"}).json() == []
    root = xml(client.get(f"{BASE}/requests.xml", {"api_key": key}))
    assert [child.tag for child in root.find("request")] == REQUEST_FIELDS


ANONYMOUS_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "agency_responsible",
    "requested_datetime",
    "expected_datetime",
    "address",
    "address_id",
]


def accepted(served, *, item_code="UI-002", count=1, days_ago=1, hour=10):
    """`count` requests of one item at 永新镇's station, moved to `days_ago` days back at `hour`."""
    cases = []
    for i in range(count):
        resident = ResidentFactory(village=served.jingshan)
        case = case_accept(
            actor=served.cadre,
            intake=Intake(
                item_code=item_code,
                channel="counter",
                service_point_code="station-yx",
                applicant_id=resident.pk,
            ),
        )
        when = timezone.localtime().replace(hour=hour, minute=i, second=0) - datetime.timedelta(days=days_ago)
        Case.objects.filter(pk=case.pk).update(accepted_at=when)
        case.refresh_from_db()
        cases.append(case)
    return cases


@pytest.fixture
def cell_of_three(settings):
    settings.LINJU_OPEN311_MIN_CELL = 3


def test_anyone_may_list_requests_de_identified_json_and_xml(client, served, cell_of_three):
    """GeoReport's read-only clients list requests without a key: the service, the status, the day,
    the town and who answers; no name, ID number, phone, description, village, case number or hour."""
    cases = accepted(served, count=3)
    body = client.get(f"{BASE}/requests.json").json()
    assert len(body) == 3 and all(list(record) == ANONYMOUS_FIELDS for record in body)
    record = body[0]
    assert record["service_code"] == "UI-002" and record["status"] == "open"
    assert record["address"].endswith("永新镇") and record["address_id"] == served.yongxin.code
    assert record["agency_responsible"] == "永新镇社保服务所"
    day = timezone.localdate(cases[0].accepted_at)
    assert {r["requested_datetime"] for r in body} == {f"{day.isoformat()}T00:00:00+08:00"}
    assert [r["service_request_id"] for r in body] == sorted(r["service_request_id"] for r in body)
    assert all(r["service_request_id"].startswith("anon-") for r in body)
    root = xml(client.get(f"{BASE}/requests.xml"))
    assert [child.tag for child in root.find("request")] == ANONYMOUS_FIELDS
    for answer in (json.dumps(body, ensure_ascii=False), ET.tostring(root, encoding="unicode")):
        for case in cases:
            person = case.applicant
            for personal in (person.name, person.id_number, person.phone, "荆山村", case.number, "10:0"):
                assert not personal or personal not in answer, personal
    assert client.get(f"{BASE}/requests.json", {"jurisdiction_id": "wansheng"}).json() == []
    assert client.get(f"{BASE}/requests.json", {"status": "closed"}).json() == []


def test_a_cell_of_fewer_than_five_requests_is_left_out(client, served):
    """One town, one service, one day: four requests could single a person out; five may be shown."""
    accepted(served, item_code="UI-002", count=4, days_ago=1)
    accepted(served, item_code="MD-005", count=5, days_ago=1)
    body = client.get(f"{BASE}/requests.json").json()
    assert [r["service_code"] for r in body] == ["MD-005"] * 5
    assert client.get(f"{BASE}/requests.json", {"service_code": "UI-002"}).json() == []


def test_the_cells_are_whole_days_that_are_over(client, served, cell_of_three):
    """Today is not shown (a client polling the list would date each request), and a window that cuts
    a day in two shows the whole day or nothing, never the requests after an hour."""
    accepted(served, count=3, days_ago=0, hour=0)
    assert client.get(f"{BASE}/requests.json").json() == []
    accepted(served, count=2, days_ago=2, hour=9)
    accepted(served, count=1, days_ago=2, hour=15)
    yesterday_but_two = timezone.localtime() - datetime.timedelta(days=2)
    afternoon = yesterday_but_two.replace(hour=14, minute=0, second=0, microsecond=0).isoformat()
    whole = client.get(f"{BASE}/requests.json").json()
    cut = client.get(f"{BASE}/requests.json", {"start_date": afternoon}).json()
    assert len(whole) == 3 and cut == whole


def test_a_status_filter_shows_part_of_a_released_cell_never_a_smaller_cell(client, served, cell_of_three):
    shown = accepted(served, item_code="UI-002", count=3)
    hidden = accepted(served, item_code="PE-003", count=2)
    for case in (shown[0], hidden[0]):
        case_transition(actor=served.cadre, number=case.number, action="return", reason="不符合条件")
    closed = client.get(f"{BASE}/requests.json", {"status": "closed"}).json()
    assert [(r["service_code"], r["status"]) for r in closed] == [("UI-002", "closed")]
    assert closed[0]["status_notes"] != "不符合条件"  # the status, never the reason given
    assert len(client.get(f"{BASE}/requests.json", {"status": "open"}).json()) == 2


def test_one_request_and_look_ups_by_id_need_a_key(client, served, cell_of_three):
    """Without a key no id opens anything, a case number or a listed opaque id alike, and the answer
    is the same whether it exists or not: one request alone tells no more than its cell in the list."""
    case = accepted(served, count=3)[0]
    opaque = client.get(f"{BASE}/requests.json").json()[0]["service_request_id"]
    answers = []
    for request_id in (case.number, opaque, "QJ-20000101-9999"):
        for url, params in (
            (f"{BASE}/requests.json", {"service_request_id": request_id}),
            (f"{BASE}/requests/{request_id}.json", {}),
        ):
            response = client.get(url, params)
            assert response.status_code == 403
            answers.append((url.endswith("requests.json"), response.content))
    assert len(set(answers)) == 2  # one refusal for the list, one for the single request
    assert client.get(f"{BASE}/requests.json", {"api_key": "not-a-key"}).status_code == 403


def test_an_opaque_id_finds_nothing_even_with_a_key(client, served, key, cell_of_three):
    accepted(served, count=3)
    opaque = client.get(f"{BASE}/requests.json").json()[0]["service_request_id"]
    assert client.get(f"{BASE}/requests/{opaque}.json", {"api_key": key}).status_code == 404
    assert client.get(f"{BASE}/requests.json", {"api_key": key, "service_request_id": opaque}).json() == []


def test_the_discovery_says_how_requests_are_shown_without_a_key(client, served):
    body = client.get(f"{BASE}/discovery.json", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert "5" in body["key_service"] and "当天结束" in body["key_service"]


def test_one_request_by_id_with_a_key(client, served, key, case):
    single = client.get(f"{BASE}/requests/{case.number}.json", {"api_key": key}).json()
    assert single[0]["service_request_id"] == case.number and single[0]["address_id"] == "500110113225"
    listed = client.get(f"{BASE}/requests.json", {"api_key": key, "service_request_id": case.number}).json()
    assert [r["service_request_id"] for r in listed] == [case.number]


def test_closed_request_and_filters(client, served, key, case):
    case_transition(actor=served.cadre, number=case.number, action="return", reason="不符合条件")
    body = client.get(f"{BASE}/requests/{case.number}.json", {"api_key": key}).json()
    assert body[0]["status"] == "closed" and body[0]["status_notes"] == "不符合条件"
    assert client.get(f"{BASE}/requests.json", {"api_key": key, "status": "maybe"}).status_code == 400
    assert client.get(f"{BASE}/requests.json", {"api_key": key, "start_date": "yesterday"}).status_code == 400
    assert client.get(f"{BASE}/requests.json", {"api_key": key, "service_code": "LR-002"}).json() == []


def test_another_bureaus_key_sees_nothing(client, served, case):
    other = api_token_create(user=served.ws_staff, name="x")[1]
    assert client.get(f"{BASE}/requests.json", {"api_key": other}).json() == []
    assert client.get(f"{BASE}/requests/{case.number}.json", {"api_key": other}).status_code == 404


def test_idempotency_key_header(client, served, key):
    data = {
        "api_key": key,
        "service_code": "UI-002",
        "address_id": "500110113225",
        "attribute[name]": "王五",
        "attribute[id_number]": build_id_number("500222", datetime.date(1970, 1, 1), 31),
    }
    first = client.post(f"{BASE}/requests.json", data, HTTP_IDEMPOTENCY_KEY="abc")
    second = client.post(f"{BASE}/requests.json", data, HTTP_IDEMPOTENCY_KEY="abc")
    assert (
        json.loads(first.content)[0]["service_request_id"]
        == json.loads(second.content)[0]["service_request_id"]
    )


def test_the_list_without_a_key_costs_the_same_for_more_requests(
    client, served, cell_of_three, django_assert_num_queries
):
    accepted(served, count=3)
    with django_assert_num_queries(1):  # the cells and their requests, in one query
        assert len(client.get(f"{BASE}/requests.json").json()) == 3
    accepted(served, item_code="PE-003", count=4)
    with django_assert_num_queries(1):
        assert len(client.get(f"{BASE}/requests.json").json()) == 7
