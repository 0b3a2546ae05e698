"""The article's market day, from the resident's side, on a phone: from 伏牛村 the item page of 临时救急
lists the 升平片场 booth first, with its next market day and that it takes the request and sends it to
the district the same day; the booth's own page offers the item; the town's printed card says every
item can be handed in at the booths."""

import io

import pytest
from pypdf import PdfReader

from e2e.conftest import log_in
from linju.outreach.models import BoothSession
from linju.outreach.selectors import first_booth_day

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

YONGXIN = "500110113000"


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_the_shengping_booth_in_every_answer(demo, live_server, page, screenshot):
    page.goto(f"{live_server.url}/catalog/items/AS-001/")
    page.select_option("#id_town", YONGXIN)
    page.click("form.form button[type=submit]")
    page.select_option("#id_village", label="伏牛村")
    page.click("form.form button[type=submit]")
    first = page.locator("ol.places > li").first
    first.wait_for()
    text = first.inner_text()
    assert "升平片场" in text and "此处受理,当天转区局" in text and "下个赶场日" in text, text
    screenshot("item-from-funiu")

    booth = (
        BoothSession.objects.filter(market__name="升平片场", status="planned", date__gte=first_booth_day())
        .order_by("date")
        .first()
    )
    assert booth.date.strftime("%-m月%-d日") in text  # the booth's next market day
    log_in(page, live_server.url, "yongxin_cadre")
    page.goto(f"{live_server.url}/staff/outreach/booths/{booth.pk}/")
    assert page.locator("#id_item_code option[value='AS-001']").count() == 1
    assert page.locator("nav.chips a[href*='item=AS-001']").count() == 1

    card = page.request.get(f"{live_server.url}/towns/{YONGXIN}/card.pdf")
    assert card.status == 200
    said = "".join(p.extract_text() for p in PdfReader(io.BytesIO(card.body())).pages)
    said = "".join(said.split())  # the PDF breaks lines where the page does
    assert "以下每一项事项,都可以在社保服务所和每个赶场服务点递交" in said, said[:400]
    assert "升平片场" in said and "其他事项" not in said
