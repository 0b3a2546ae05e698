import pytest

from linju.accounts.tests.factories import bearer
from linju.cases.models import Case


@pytest.fixture
def token(served):
    return bearer(served.cadre)


def new_case(client, token, **extra):
    body = {
        "item_code": "UI-002",
        "channel": "booth",
        "market_code": "market-shengping",
        "applicant_id": extra.pop("applicant_id"),
        "materials_received": ["居民身份证原件"],
    } | extra
    return client.post("/api/v1/cases", body, content_type="application/json", **token)


def test_take_list_and_read_a_case_with_a_token(client, served, token):
    response = new_case(client, token, applicant_id=served.dai.pk)
    assert response.status_code == 201
    number = response.json()["number"]
    assert response.json()["allowed_actions"] == ["start", "suspend", "finish", "return"]  # finished here
    listed = client.get("/api/v1/cases", {"status": "accepted"}, **token).json()
    assert [c["number"] for c in listed["items"]] == [number]
    detail = client.get(f"/api/v1/cases/{number}", **token).json()
    assert detail["events"][0]["action"] == "accept" and detail["events"][0]["by"] == "yongxin_cadre"


def test_idempotency_key_over_the_api(client, served, token):
    first = new_case(client, token, applicant_id=served.dai.pk, idempotency_key="k-1")
    again = new_case(client, token, applicant_id=served.dai.pk, idempotency_key="k-1")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["number"] == again.json()["number"]
    assert Case.objects.count() == 1


def test_transitions_and_refusals(client, served, token):
    number = new_case(client, token, applicant_id=served.dai.pk).json()["number"]
    url = f"/api/v1/cases/{number}/transitions"
    response = client.post(
        url,
        {"action": "suspend", "missing": ["解除劳动合同证明"], "expected_version": 1},
        content_type="application/json",
        **token,
    )
    assert response.json()["status"] == "suspended"
    stale = client.post(
        url, {"action": "resume", "expected_version": 1}, content_type="application/json", **token
    )
    assert stale.status_code == 409 and stale.json()["code"] == "case_changed"
    wrong = client.post(url, {"action": "forward"}, content_type="application/json", **token)
    assert wrong.status_code == 409 and wrong.json()["code"] == "transition_not_allowed"
    unknown = client.post(url, {"action": "explode"}, content_type="application/json", **token)
    assert unknown.status_code == 400


def test_another_towns_case_is_404(client, served, token):
    number = new_case(client, token, applicant_id=served.dai.pk).json()["number"]
    other = bearer(served.dongxi_cadre)
    assert client.get(f"/api/v1/cases/{number}", **other).status_code == 404
    assert (
        client.post(
            f"/api/v1/cases/{number}/transitions",
            {"action": "start"},
            content_type="application/json",
            **other,
        ).status_code
        == 404
    )


def test_bad_token_is_401(client, served):
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_work_list_filter(client, served, token):
    new_case(client, token, applicant_id=served.dai.pk)
    assert client.get("/api/v1/cases", {"work_list": "overdue"}, **token).json()["count"] == 0
    assert client.get("/api/v1/cases", {"work_list": "nonsense"}, **token).status_code == 422


def test_a_request_with_no_material_at_all_needs_a_reason(client, served, token):
    bare = {"materials_received": [], "materials_missing": []}
    refused = new_case(client, token, applicant_id=served.dai.pk, **bare)
    assert refused.status_code == 400 and refused.json()["code"] == "no_materials"
    assert "缺" in refused.json()["message_zh"] and "material" in refused.json()["message_en"]
    assert not Case.objects.exists()
    blank = new_case(client, token, applicant_id=served.dai.pk, no_materials_reason="   ", **bare)
    assert blank.status_code == 400
    with_reason = new_case(
        client, token, applicant_id=served.dai.pk, no_materials_reason="材料已在窗口存档", **bare
    )
    assert with_reason.status_code == 201
    accept = with_reason.json()["events"][0]
    assert accept["action"] == "accept" and accept["detail"]["no_materials"] == "材料已在窗口存档"
    only_missing = new_case(
        client, token, applicant_id=served.dai.pk, materials_received=[], materials_missing=["诊断证明"]
    )
    assert only_missing.status_code == 201 and only_missing.json()["status"] == "suspended"


@pytest.mark.parametrize(
    "field, value",
    [
        ("item_code", "U" * 31),
        ("channel", "c" * 21),
        ("market_code", "m" * 41),
        ("village_code", "5" * 13),
        ("description", "问" * 2001),
        ("materials_received", ["身份证"] * 31),
        ("materials_missing", ["证" * 201]),
        ("applicant_id", 2**40),
    ],
)
def test_an_intake_out_of_bounds_is_refused_before_any_service_reads_it(client, served, field, value):
    body = {"item_code": "UI-002", "channel": "booth", "market_code": "market-shengping", "applicant_id": 1}
    response = client.post(
        "/api/v1/cases",
        {**body, field: value},
        content_type="application/json",
        **bearer(served.cadre),
    )
    assert response.status_code == 422
    assert not Case.objects.exists()
