"""The demo's bundles (一件事): 退休, 失业 and 社保卡 for each bureau, their partners' parts finished by
synthetic offices labelled so, and each merged form asking a thing once; offered on the catalogue,
the town card, the self-check and the API."""

import pytest

from linju.catalog.bundles import bundle_get, bundle_list
from linju.catalog.models import PartnerOffice
from linju.demo.bundles import BUNDLES
from linju.geo.models import Bureau, Town

pytestmark = pytest.mark.usefixtures("demo")


def test_every_bureau_offers_the_three_bundles_with_a_lead_part():
    for bureau in Bureau.objects.all():
        offered = {o.code: o for o in bundle_list(bureau_id=bureau.pk)}
        assert sorted(offered) == sorted(f"{bureau.code}-{suffix}" for suffix, *_rest in BUNDLES)
        for entry in offered.values():
            assert entry.held.lead is not None and entry.held.lead.partner is None
            assert entry.bundle.is_example
            # only 退休一件事 waits for the applicant's retirement: open from six months before it
            retires = entry.code.endswith("-RETIRE")
            assert entry.bundle.opens_months_before_retirement == (6 if retires else None)


def test_the_partners_parts_are_finished_by_synthetic_offices_that_say_so():
    retire = bundle_get(code="QJ-RETIRE")
    partners = {part.item.code: part.partner for part in retire.parts if part.partner}
    assert set(partners) == {"MD-007", "HF-001"}
    assert partners["HF-001"].department == "housing_fund"
    assert partners["MD-007"].department == "medical_insurance"
    assert PartnerOffice.objects.exists()
    for office in PartnerOffice.objects.all():
        assert office.is_synthetic and "示例" in office.name
    assert {p.bureau_id for p in partners.values()} == {retire.bundle.bureau_id}


def test_the_retirement_form_asks_each_thing_once_naming_the_parts_that_need_it():
    held = bundle_get(code="QJ-RETIRE").held
    asked = {q.question.code: [item.code for item in q.items] for q in held.questions}
    assert asked["bank-account"] == ["PE-005", "HF-001"]
    assert asked["retirement-kind"] == ["PE-009", "PE-005"]
    papers = {m.name: [item.code for item in m.items] for m in held.materials}
    assert papers["居民身份证原件"] == ["PE-009", "PE-005", "MD-007", "HF-001"]
    assert papers["人事档案"] == ["PE-009", "PE-005"]
    assert papers["本人社保卡或银行账户"] == ["PE-005", "HF-001"]


def test_the_town_card_and_the_catalogue_list_the_bundles(client):
    yongxin = Town.objects.get(name="永新镇")
    card = client.get(f"/towns/{yongxin.code}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for name in ("退休一件事", "失业一件事", "社保卡一件事"):
        assert name in card
    catalogue = client.get("/catalog/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "一件事一次办" in catalogue and "/catalog/bundles/QJ-RETIRE/" in catalogue


def test_the_self_check_names_the_bundle_that_does_the_items_together(client):
    yongxin_village = Town.objects.get(name="永新镇").villages.order_by("code").first()
    client.cookies["linju_village"] = yongxin_village.code
    answers = {
        "age": 45,
        "employment_status": "unemployed",
        "job_loss_cause": "involuntary",
        "months_since_job_loss": 2,
        "registered_unemployed": "no",
    }
    page = client.post("/self-check/", answers, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "这些事可以一起办" in page and "/catalog/bundles/QJ-JOBLOSS/" in page
    assert "/catalog/bundles/WS-JOBLOSS/" not in page  # the remembered village's bureau's only
