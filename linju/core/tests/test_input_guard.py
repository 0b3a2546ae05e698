"""The input guard reads every body, whatever its content type, and what it did not read as JSON the
API does not parse: hidden characters, undecodable bodies and JSON sent under another type are refused
in plain words (a 4xx), and forms (photo uploads among them) still pass."""

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linju.core.text import MARKS, has_hidden_characters, is_json_type


@pytest.fixture
def auth(served):
    from linju.accounts.tests.factories import bearer

    return bearer(served.cadre)


def a_person(name: str) -> dict:
    from linju.people.idnumbers import build_id_number

    number = build_id_number("500222", datetime.date(1970, 1, 1), 5)
    return {"name": name, "id_number": number, "phone": "", "village_code": "500110113225"}


@pytest.mark.parametrize("hidden", ["\x00", "\x1b[31m", "\u202e"])
@pytest.mark.parametrize(
    "url",
    ["/api/v1/people/residents", "/api/v1/jobs/seekers", "/api/v1/outreach/booths/1/consultations"],
)
def test_json_sent_as_plain_text_to_the_api_is_refused_unparsed(client, served, auth, url, hidden):
    """The guard looked at JSON bodies only, while django-ninja parsed any body: a NUL under
    text/plain was a 500 from PostgreSQL, an escape or a right-to-left override was stored."""
    from linju.people.models import Resident

    body = json.dumps(a_person(f"代{hidden}三") | {"note": f"x{hidden}"})
    response = client.post(url, body, content_type="text/plain", HTTP_ACCEPT_LANGUAGE="zh-hans", **auth)
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert "application/json" in response.json()["message_zh"]
    assert not Resident.objects.filter(name__startswith="代").exclude(pk=served.dai.pk).exists()


@pytest.mark.parametrize("content_type", ["", "application/octet-stream", "text/html", "application/xml"])
def test_the_api_parses_no_body_but_json(client, served, auth, content_type):
    from linju.people.models import Resident

    before = Resident.objects.count()
    body = json.dumps(a_person("王五"))
    response = client.post("/api/v1/people/residents", body, content_type=content_type, **auth)
    assert response.status_code == 415 and response.json()["message_en"]
    assert Resident.objects.count() == before


def test_a_json_body_as_a_form_is_not_parsed_as_json(client, served, auth):
    """A urlencoded body is a form (read and checked as one); the API's parser takes JSON only."""
    from linju.people.models import Resident

    before = Resident.objects.count()
    body = json.dumps(a_person("王五"))
    for content_type in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz"):
        response = client.post("/api/v1/people/residents", body, content_type=content_type, **auth)
        assert response.status_code in (400, 415), (content_type, response.content)
        assert response.json()["message_zh"] != response.json()["message_en"]
    assert Resident.objects.count() == before


def test_a_multipart_form_where_json_is_expected_is_refused_in_words(client, served, auth):
    response = client.post("/api/v1/people/residents", a_person("王五"), **auth)  # multipart
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"


def test_json_through_the_guard_registers_a_resident(client, served, auth):
    body = json.dumps(a_person("王五"))
    response = client.post(
        "/api/v1/people/residents", body, content_type="application/json; charset=utf-8", **auth
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    "raw",
    [
        b'{"name": "\xe4\xbb\xa3\xff\xfe"}',  # broken UTF-8
        json.dumps({"name": "代三"}).encode("utf-16"),  # another encoding json.loads would guess
        json.dumps({"name": "代三"}).encode("utf-32"),
    ],
)
@pytest.mark.parametrize("url", ["/api/v1/people/residents", "/status/"])
def test_a_body_that_is_not_utf8_is_refused_in_words(client, served, auth, raw, url):
    response = client.post(url, raw, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans", **auth)
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()


def test_a_body_that_is_not_json_is_refused_by_the_api_in_words(client, served, auth):
    response = client.post("/api/v1/people/residents", b"{name: 1", content_type="application/json", **auth)
    assert response.status_code == 400 and response.json()["message_en"].startswith("The request")


@pytest.mark.parametrize("hidden", ["\x00", "\u202e", "\u200b"])
def test_a_body_no_page_reads_is_looked_at_all_the_same(client, db, hidden):
    """No page reads a text/plain body; the guard reads it all the same."""
    response = client.post("/status/", f"number=1{hidden}", content_type="text/plain")
    assert response.status_code == 400
    assert client.post("/status/", b"\xff\xfe", content_type="text/plain").status_code == 400


@pytest.mark.parametrize(
    "hidden",
    [
        "\u200b",  # zero-width space
        "\u200c",
        "\u200d",  # zero-width (non-)joiner
        "\u200e",
        "\u200f",  # left-to-right and right-to-left marks
        "\u2060",  # word joiner
        "\u2064",
        "\ufeff",  # zero-width no-break space
        "\x85",  # next line (C1)
        "\x80",
        "\x9f",
        "\x7f",
        "\u202a",
        "\u2066",
        "\u2069",
        "\ud800",  # a lone surrogate, as a JSON escape can give
    ],
)
def test_zero_width_and_direction_marks_are_hidden_characters(client, served, auth, hidden):
    """Two names that look alike must not differ invisibly."""
    assert has_hidden_characters(f"代{hidden}三")
    body = json.dumps(a_person(f"代{hidden}三"))  # (escaped: \\u200b)
    response = client.post("/api/v1/people/residents", body, content_type="application/json", **auth)
    assert response.status_code == 400 and response.json()["code"] == "hidden_characters"
    if hidden == "\ud800":  # (a query cannot carry a lone surrogate: UTF-8 has no bytes for it)
        return
    query = client.get("/api/v1/people/residents", {"q": f"代{hidden}"}, **auth)
    if MARKS.search(hidden):  # an invisible mark pasted into a search means nothing: dropped
        assert query.status_code == 200
    else:  # a control character in a query is refused as in a body
        assert query.status_code == 400


def test_a_query_loses_its_invisible_marks_and_keeps_its_words(client, served, auth):
    """A search pasted from a chat app often carries a zero-width space: the search reads the words."""
    plain = client.get("/api/v1/people/residents", {"q": "代三"}, **auth).json()
    marked = client.get("/api/v1/people/residents", {"q": "代\u200b三\u200e"}, **auth).json()
    assert marked == plain


@pytest.mark.parametrize(
    "text", ["代三", "王 小二", "第一行\n第二行\r\n\t第三行", "Zoë", "\u00a0", "①", "😀"]
)
def test_ordinary_text_is_not_hidden(text):
    assert not has_hidden_characters(text)


def test_a_path_with_a_hidden_character_is_refused(client, served, auth):
    """A case number from the address went to PostgreSQL as it came, NUL and all."""
    response = client.get("/api/v1/cases/QJ%00-1", **auth)
    assert response.status_code == 400 and response.json()["code"] == "hidden_characters"


def test_forms_pass_and_are_checked(client, served):
    """A form is read once, by Django, and checked as it is read: the page gets the same fields."""
    from linju.people.models import Resident

    client.force_login(served.cadre)
    person = a_person("王五")
    refused = client.post("/staff/residents/new/", person | {"name": "王\u200b五"})
    assert refused.status_code == 400 and not Resident.objects.filter(id_number=person["id_number"]).exists()
    saved = client.post("/staff/residents/new/", person)
    assert saved.status_code == 302 and Resident.objects.get(id_number=person["id_number"]).name == "王五"


def test_a_broken_multipart_form_is_refused_in_words(client, db):
    response = client.post("/status/", b"--x\r\nnot a part", content_type="multipart/form-data")
    assert response.status_code == 400


def _photo(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def test_a_photo_upload_passes_and_its_fields_are_checked(client, served, auth):
    from linju.cases.services import Intake, case_accept

    intake = Intake(
        item_code="UI-002",
        channel="booth",
        market_code="market-shengping",
        applicant_id=served.dai.pk,
        materials_received=["身份证"],
    )
    url = f"/api/v1/cases/{case_accept(actor=served.cadre, intake=intake).number}/photos"
    fields = {"material": "身份证", "idempotency_key": "k1"}
    sent = client.post(url, fields | {"image": _photo("paper.jpg")}, **auth)
    assert sent.status_code == 201, sent.content
    in_a_field = client.post(url, fields | {"material": "身份\x00证", "image": _photo("p.jpg")}, **auth)
    assert in_a_field.status_code == 400 and in_a_field.json()["code"] == "hidden_characters"


def test_json_types():
    assert is_json_type("application/json") and is_json_type("application/merge-patch+json")
    assert not is_json_type("text/plain") and not is_json_type("") and not is_json_type("text/json+x")
