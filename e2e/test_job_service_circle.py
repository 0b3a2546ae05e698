"""The 15-minute job-service circle on a 360 px phone: a cadre sees their town only, a leader every
town of the bureau; both get the proposal of new 零工驿站 in sentences, everything within the screen
and in reach of a thumb."""

import pytest

from linju.geo.models import Town

from .conftest import SCREENSHOTS, log_in
from .test_phone_width import MEASURE

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("who", ["yongxin_cadre", "qj_leader"])
def test_the_circle_fits_a_phone_scoped_by_towns(demo, live_server, browser, who):
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server.url, who)
    page.click("text=15分钟就业服务圈")  # from the staff home
    page.fill("#id_count", "2")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("load")
    measured = page.evaluate(MEASURE)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"job-service-circle-{who}-phone.png"), full_page=True)
    towns = page.locator("table.figures-table tbody tr td:first-child").all_inner_texts()
    proposal = page.locator("ol.results li").all_inner_texts()
    lead = page.locator("h2 + p.lead").inner_text()
    context.close()
    assert measured["scroll"] <= 360 and not measured["small"] and not measured["squeezed"], measured
    if who == "yongxin_cadre":
        assert towns == ["永新镇"]
    else:
        assert towns == [
            *Town.objects.filter(bureau__zone="綦江").order_by("code").values_list("name", flat=True),
            "合计",
        ]
    assert len(proposal) == 2 and all("新覆盖" in p for p in proposal)
    assert lead.startswith("新设 2 个零工驿站")
