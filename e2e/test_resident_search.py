"""A resident on a phone searches the catalogue in their own words: the article's 宅基地复垦养老保险
finds the item first and says it is also called that; a long question gets "您是不是要找" and a tap
on the suggestion opens the item; a homophone typo still finds it; the page never needs sideways
scrolling."""

import pytest

from linju.demo.catalog import load_catalog

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCROLL_WIDTH = "() => document.documentElement.scrollWidth"


def search(page, url: str, query: str) -> None:
    page.goto(f"{url}/catalog/")
    page.fill("#id_q", query)
    page.press("#id_q", "Enter")
    page.wait_for_load_state()


def test_resident_finds_an_item_in_their_own_words(live_server, page, screenshot):
    load_catalog()
    width = page.viewport_size["width"]

    search(page, live_server.url, "宅基地复垦养老保险")
    first = page.locator("ul.results > li").first
    assert "宅基地复垦户养老保险办理" in first.inner_text()
    assert "也叫“宅基地复垦养老保险”" in first.inner_text()
    assert page.evaluate(SCROLL_WIDTH) <= width
    screenshot("resident-search-article-words")

    search(page, live_server.url, "我弟弟看病要花一大笔钱有没有补助")
    assert page.locator("#did-you-mean").inner_text() == "您是不是要找:"
    assert page.evaluate(SCROLL_WIDTH) <= width
    screenshot("resident-search-did-you-mean")
    page.click(".suggestions ul.results > li >> nth=0 >> a")
    page.wait_for_url("**/catalog/items/MD-006/")

    search(page, live_server.url, "宅基地复恳")
    assert "宅基地复垦户养老保险办理" in page.locator("ul.results > li").first.inner_text()

    search(page, live_server.url, "天气预报")
    assert "没有找到" in page.inner_text("main")
    screenshot("resident-search-nothing")
