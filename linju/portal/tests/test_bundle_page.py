"""A bundle's public page says everything at once (一次告知): its parts, who finishes each and when,
the one form and the one set of papers, and where to hand it in from the resident's village."""

from django.urls import reverse

from linju.catalog.tests.factories import (
    BundleFactory,
    BundlePartFactory,
    BundleVersionFactory,
    FormQuestionFactory,
    ItemQuestionFactory,
    MaterialFactory,
    ServiceItemFactory,
)


def page_of(client, code: str, **query) -> str:
    response = client.get(reverse("catalog:bundle", args=[code]), query, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_names_each_part_with_its_office_and_asks_each_thing_once(client, bundled):
    bank = FormQuestionFactory(code="bank-account", text="本人银行账号")
    ItemQuestionFactory(item=bundled.ui, question=bank)
    ItemQuestionFactory(item=bundled.fund_item, question=bank)
    MaterialFactory(item=bundled.ui, name="居民身份证原件")
    MaterialFactory(item=bundled.fund_item, name="居民身份证原件")
    html = page_of(client, "QJ-RETIRE", town=bundled.yongxin.code, village=bundled.jingshan.code)
    assert html.count("本人银行账号") == 1 and html.count("居民身份证原件") == 1
    assert "住房公积金綦江分中心(示例)" in html and "协同部门" in html
    # the bureau's parts for a resident of 永新镇: the station finishes UI-002 (delegated), the hall MD-005
    assert "永新镇社保服务所" in html and "綦江区人力社保局服务大厅" in html
    assert "15 个工作日内答复" in html  # the longest promise, the housing fund's
    assert 'class="places"' in html  # where to hand it in, nearest first


def test_a_village_of_another_bureau_is_told_whose_bundle_it_is(client, bundled):
    nantong = bundled.wansheng_resident.village
    html = page_of(client, "QJ-RETIRE", town=nantong.town.code, village=nantong.code)
    assert 'class="places"' not in html and "不在其范围内" in html
    theirs = BundleFactory(bureau=nantong.town.bureau, code="WS-RETIRE", name="退休一件事")
    version = BundleVersionFactory(bundle=theirs)
    BundlePartFactory(version=version, item=bundled.ui, is_lead=True)
    BundlePartFactory(version=version, item=bundled.md)
    html = page_of(client, "QJ-RETIRE", town=nantong.town.code, village=nantong.code)
    assert reverse("catalog:bundle", args=["WS-RETIRE"]) in html  # the village's own bureau's


def test_an_unknown_bundle_is_a_404(client, bundled):
    assert client.get(reverse("catalog:bundle", args=["NOPE"])).status_code == 404


def test_an_item_page_names_the_bundles_that_do_it_with_others(client, bundled):
    html = client.get(
        reverse("catalog:item", args=["HF-001"]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "也可以和相关事项一起办" in html and reverse("catalog:bundle", args=["QJ-RETIRE"]) in html
    lone = client.get(
        reverse("catalog:item", args=["LR-002"]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "也可以和相关事项一起办" not in lone


def test_the_bundle_page_reads_a_few_rows_however_many_parts_it_has(client, bundled, max_queries):
    for n in range(5):
        extra = ServiceItemFactory(code=f"EX-{n}")
        MaterialFactory(item=extra, name=f"材料{n}")
        BundlePartFactory(version=bundled.version, item=extra, position=10 + n)
    url = reverse("catalog:bundle", args=["QJ-RETIRE"])
    query = {"town": bundled.yongxin.code, "village": bundled.jingshan.code}
    client.get(url, query)  # the bundles, the catalogue, the places are read once per process
    with max_queries(8):
        assert client.get(url, query).status_code == 200
