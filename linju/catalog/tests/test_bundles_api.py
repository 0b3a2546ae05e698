"""The bundles' API: the list and search, and one bundle with its parts, the office and promise of
each, the merged form and the merged papers."""

from linju.catalog.tests.factories import FormQuestionFactory, ItemQuestionFactory, MaterialFactory


def test_the_list_names_each_bundle_with_its_lead_and_the_longest_promise(client, bundled):
    answer = client.get("/api/v1/bundles").json()
    assert [b["code"] for b in answer] == ["QJ-RETIRE"]
    bundle = answer[0]
    assert bundle["lead_item"] == "UI-002"
    assert bundle["part_items"] == ["UI-002", "MD-005", "HF-001"]
    assert bundle["time_limit_days"] == 15
    assert bundle["valid_from"] == "2025-01-01" and bundle["valid_to"] is None


def test_the_list_searches_by_pinyin_and_says_nothing_of_what_is_not_offered(client, bundled):
    assert [b["code"] for b in client.get("/api/v1/bundles?q=txyjs").json()] == ["QJ-RETIRE"]
    assert client.get("/api/v1/bundles?q=宅基地").json() == []
    assert client.get("/api/v1/bundles?date=2024-12-31").json() == []
    found = client.get("/api/v1/catalog/search?q=tuixiu").json()
    assert [b["code"] for b in found["bundles"]] == ["QJ-RETIRE"]


def test_one_bundle_gives_each_part_its_office_and_promise_and_the_form_asked_once(client, bundled):
    bank = FormQuestionFactory(code="bank-account")
    ItemQuestionFactory(item=bundled.ui, question=bank)
    ItemQuestionFactory(item=bundled.fund_item, question=bank, required=False)
    MaterialFactory(item=bundled.ui, name="居民身份证原件")
    MaterialFactory(item=bundled.fund_item, name="居民身份证原件")
    answer = client.get(f"/api/v1/bundles/QJ-RETIRE?town={bundled.yongxin.code}").json()
    parts = {part["item_code"]: part for part in answer["parts"]}
    assert [part["item_code"] for part in answer["parts"]] == ["UI-002", "MD-005", "HF-001"]
    assert parts["UI-002"]["is_lead"] and parts["UI-002"]["time_limit_days"] == 5
    # the bureau's parts: the town's station finishes UI-002, the district's hall MD-005
    assert parts["UI-002"]["office"]["kind"] == "bureau"
    assert parts["UI-002"]["office"]["name"] == "永新镇社保服务所"
    assert parts["MD-005"]["office"]["name"] == "綦江区人力社保局服务大厅"
    fund = parts["HF-001"]["office"]
    assert fund["kind"] == "partner" and fund["name"] == "住房公积金綦江分中心(示例)"
    assert fund["department"] == "housing_fund" and fund["delivery"] == "platform"
    assert parts["HF-001"]["time_limit_days"] == 15
    assert answer["questions"] == [
        {
            "code": "bank-account",
            "text": "本人银行账号",
            "text_en": "Your bank account",
            "kind": "bank_account",
            "choices": [],
            "required": True,
            "items": ["UI-002", "HF-001"],
        }
    ]
    assert answer["materials"] == [
        {"name": "居民身份证原件", "required": True, "notes": [], "items": ["UI-002", "HF-001"]}
    ]


def test_an_unknown_bundle_or_a_town_of_another_bureau_is_a_404_in_both_languages(client, bundled):
    missing = client.get("/api/v1/bundles/NOPE")
    assert missing.status_code == 404 and missing.json()["message_zh"] != missing.json()["message_en"]
    nantong = bundled.wansheng_resident.village.town
    assert client.get(f"/api/v1/bundles/QJ-RETIRE?town={nantong.code}").status_code == 404


def test_where_answers_for_a_bundle_with_the_places_of_its_lead_part(client, bundled):
    village = bundled.jingshan.code
    by_bundle = client.get(f"/api/v1/where?bundle=QJ-RETIRE&village={village}&date=2026-12-01").json()
    by_lead = client.get(f"/api/v1/where?item=UI-002&village={village}&date=2026-12-01").json()
    assert by_bundle["bundle"] == "QJ-RETIRE" and by_bundle["item"] == "UI-002"
    assert by_bundle["places"] and by_bundle["places"] == by_lead["places"]


def test_where_refuses_a_bundle_for_a_village_of_another_bureau_or_neither_named(client, bundled):
    village = bundled.wansheng_resident.village.code
    refused = client.get(f"/api/v1/where?bundle=QJ-RETIRE&village={village}")
    assert refused.status_code == 400 and refused.json()["code"] == "bundle_of_another_bureau"
    assert client.get(f"/api/v1/where?village={village}").status_code == 400
    both = client.get(f"/api/v1/where?item=UI-002&bundle=QJ-RETIRE&village={village}")
    assert both.status_code == 400


def test_the_bundles_api_reads_the_held_bundles_and_one_town_at_most(client, bundled, max_queries):
    town = f"/api/v1/bundles/QJ-RETIRE?town={bundled.yongxin.code}"
    client.get(town)  # the bundles, the catalogue and the places are read once per process and version
    with max_queries(0):
        assert client.get("/api/v1/bundles?q=tuixiu").status_code == 200
        assert client.get("/api/v1/bundles/QJ-RETIRE").status_code == 200
    with max_queries(1):  # the town whose station or hall is named
        assert client.get(town).status_code == 200
