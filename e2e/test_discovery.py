"""Discovery in the browser, at desktop and 360×640: a township cadre runs discovery from the page,
reads the list of people who qualify and have not applied, and turns one into a home visit."""

import pytest

from linju.eligibility.models import DiscoveryList, DiscoveryRun
from linju.outreach.models import HomeTask

from .conftest import open_menu
from .test_journeys import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_cadre_runs_discovery_and_plans_a_visit(demo, live_server, page, screenshot):
    url = live_server.url
    log_in(page, url, "yongxin_cadre")
    open_menu(page)
    page.click("header nav >> text=主动发现")
    page.click("form[action$='/start/'] button[type=submit]")
    page.wait_for_selector("text=已完成 12 / 12 条规则")
    rows = page.locator("table tbody tr")
    # the lists of the run just started (the demo ran one of its own when it was loaded)
    newest = DiscoveryRun.objects.order_by("-created_at", "-pk").first()
    lists = DiscoveryList.objects.filter(run__batch=newest.batch) if newest.batch else newest.lists
    found = sum(lists.values_list("size", flat=True))
    assert found > 0 and rows.count() == min(found, 300)
    screenshot("cadre-discovery")

    first = rows.first
    name = first.locator("td").nth(0).inner_text().splitlines()[0]  # the name, then the item and village
    visit = first.locator("button.link")
    # the button reads on the white table (it once inherited the buttons' white text)
    colour, table = visit.evaluate(
        "b => [getComputedStyle(b).color, getComputedStyle(b.closest('table')).backgroundColor]"
    )
    assert visit.is_visible() and colour != table
    tasks = HomeTask.objects.count()
    visit.click()
    page.wait_for_selector("text=已建上门服务")
    assert HomeTask.objects.count() == tasks + 1
    assert HomeTask.objects.order_by("-pk").first().resident.name == name
