"""Every public page at phone size (360 × 640), in the standard mode and in elder mode: no serious or critical accessibility violation (axe-core, from npm), nothing wider than
the screen, and in elder mode no text under 20 px and the nearest station's phone on the page."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from .conftest import SCREENSHOTS

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
YONGXIN, JINGSHAN = "500110113000", "500110113225"
PUBLIC_PAGES = [
    "/",
    "/catalog/",
    "/catalog/?q=sybx",
    "/catalog/items/UI-002/",
    f"/catalog/items/UI-002/?town={YONGXIN}",
    f"/catalog/items/UI-002/?town={YONGXIN}&village={JINGSHAN}",
    "/catalog/bundles/QJ-RETIRE/",
    f"/catalog/bundles/QJ-RETIRE/?town={YONGXIN}&village={JINGSHAN}",
    f"/towns/{YONGXIN}/",
    "/villages/",
    f"/villages/?town={YONGXIN}",
    f"/villages/{JINGSHAN}/",
    "/status/",
    "/my/",
    "/self-check/",
    "/jobs/",
    "/retirement/",
    "/retirement/?birth=1969-09&former_age=60",
    "/accounts/login/",
    "/no-such-page/",
]

# text nodes' elements, visible, with their computed size (elder mode: none under 20 px)
SMALL_TEXT = """() => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el.getClientRects().length) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 20) small.push(el.tagName + ' ' + size + 'px: ' + node.textContent.trim().slice(0, 30));
  }
  return small;
}"""


def serious_violations(page) -> list[str]:
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {json.dumps([n['target'] for n in v['nodes']][:3])}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("mode", ["standard", "elder"])
def test_every_public_page_reads_well_on_a_phone(demo, live_server, browser, mode):
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN", bypass_csp=True)
    host = live_server.url.split("//")[1].split(":")[0]
    if mode == "elder":
        context.add_cookies([{"name": "linju_elder", "value": "1", "domain": host, "path": "/"}])
    page = context.new_page()
    problems = {}
    for path in PUBLIC_PAGES:
        page.goto(live_server.url + path)
        found = serious_violations(page)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 360:
            found.append(f"{width} px wide at 360 px")
        if mode == "elder":
            found += page.evaluate(SMALL_TEXT)[:5]
            if "☎" not in page.inner_text("p.call-us"):
                found.append("no phone to call")
        if found:
            problems[path] = found
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/villages/{JINGSHAN}/")
    page.screenshot(path=str(SCREENSHOTS / f"village-{mode}-phone.png"), full_page=True)
    page.goto(f"{live_server.url}/towns/{YONGXIN}/")
    page.screenshot(path=str(SCREENSHOTS / f"card-{mode}-phone.png"), full_page=True)
    context.close()
    assert not problems, "\n".join(f"{p}: {issues}" for p, issues in problems.items())


def test_elder_mode_is_a_switch_without_script(demo, live_server, browser):
    """The switch is a form: it works with JavaScript off, and the choice is remembered."""
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, locale="zh-CN", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/catalog/items/UI-002/?town={YONGXIN}&village={JINGSHAN}")
    page.click("button[name=on][value='1']")
    assert page.evaluate("() => document.documentElement.className") == "elder"
    assert page.url.endswith(f"village={JINGSHAN}")
    call = page.inner_text("p.call-us")
    assert "永新镇社保服务所" in call  # the remembered village's station
    page.goto(f"{live_server.url}/jobs/")
    assert "永新镇社保服务所" in page.inner_text("p.call-us")
    page.click("button[name=on][value='0']")
    assert page.evaluate("() => document.documentElement.className") == ""
    context.close()


@pytest.mark.parametrize("mode", ["standard", "elder"])
def test_the_self_checks_answer_reads_as_sentences_on_a_phone(demo, live_server, browser, mode):
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN", bypass_csp=True)
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [{"name": "linju_elder", "value": "1" if mode == "elder" else "0", "domain": host, "path": "/"}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/self-check/")
    page.fill("#id_age", "35")
    page.select_option("#id_employment_status", "unemployed")
    page.click("form.form:not([action]) button[type=submit]")
    result = page.inner_text("section.self-check-result")
    assert "您今年35岁,在16到60岁之间" in result and "还需要确认" in result and "≥" not in result
    found = serious_violations(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    page.screenshot(path=str(SCREENSHOTS / f"self-check-{mode}-phone.png"), full_page=True)
    context.close()
    assert not found and width <= 360, (found, width)
