"""Every staff page at 360 px is no wider than the phone (issue 19, 10): a cadre's and district
staff's and a leader's pages, the calendar with its private address, the dashboard with its charts."""

import pytest

from linju.cases.models import Case
from linju.outreach.models import BoothSession
from linju.people.models import Resident

from .conftest import SCREENSHOTS, log_in

WIDTH = """() => {
  const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
    .map(e => e.tagName + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right));
  return {scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 4)};
}"""


OVERLAPS = """() => {
  const found = [];
  document.querySelectorAll('[data-chart] svg').forEach(svg => {
    const boxes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => [t.textContent, t.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, r] = boxes[i], [b, q] = boxes[j];
      if (r.left < q.right - 1 && q.left < r.right - 1 && r.top < q.bottom - 1 && q.top < r.bottom - 1)
        found.push(svg.closest('[data-chart]').dataset.chart + ': ' + a + ' / ' + b);
    }
  });
  return found.slice(0, 6);
}"""


# No label cut: none shortened with an ellipsis, none reaching past its chart's edge, and every
# channel with cases named whole in the pie (its legend), as the table under it names it.
CUT = r"""() => {
  const found = [];
  document.querySelectorAll('[data-chart] svg').forEach(svg => {
    const name = svg.closest('[data-chart]').dataset.chart, box = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim());
    texts.forEach(t => {
      const r = t.getBoundingClientRect();
      if (/\.\.\.|…/.test(t.textContent)) found.push(name + ': shortened ' + t.textContent);
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        found.push(name + ': past the edge ' + t.textContent);
    });
    if (name === 'by_channel') {
      const table = svg.closest('section').querySelectorAll('[data-chart=by_channel] ~ table tbody tr');
      [...table].map(tr => tr.querySelector('td').textContent.trim()).forEach(label => {
        if (!texts.some(t => t.textContent.startsWith(label + ' '))) found.push(name + ': not named whole ' + label);
      });
    }
  });
  return found.slice(0, 6);
}"""


def staff_pages(username: str) -> list[str]:
    case = Case.objects.filter(applicant__village__town__name="永新镇").order_by("pk").first()
    resident = Resident.objects.filter(village__town__name="永新镇").order_by("pk").first()
    booth = BoothSession.objects.filter(market__town__name="永新镇").order_by("date").first()
    pages = [
        "/staff/",
        "/staff/cases/",
        "/staff/cases/?list=overdue",
        "/staff/cases/new/",
        "/staff/cases/phone/",
        f"/staff/cases/{case.number}/",
        f"/staff/cases/{case.number}/receipt/",
        "/staff/outreach/",
        "/staff/outreach/booths/",
        f"/staff/outreach/booths/{booth.pk}/",
        "/staff/outreach/coverage/",
        "/staff/outreach/visits/new/",
        "/staff/outreach/home-tasks/",
        "/staff/outreach/roster/",
        "/staff/outreach/leaders/",
        "/staff/outreach/calendar/",
        "/field/",
        "/staff/jobs/",
        "/staff/jobs/seekers/new/",
        "/staff/jobs/referrals/",
        "/staff/jobs/unfilled/",
        "/staff/discovery/",
        "/staff/discovery/try/",
        "/staff/insights/",
        "/staff/insights/imports/",
        "/staff/planning/",
        "/staff/residents/",
        f"/staff/residents/{resident.pk}/",
        "/staff/residents/new/",
    ]
    if username == "qj_leader":  # pages a leader may not open answer 403, narrow as well
        from linju.accounts.models import User
        from linju.planning.services import plan_execute, plan_start

        leader = User.objects.get(username=username)
        run = plan_execute(run=plan_start(actor=leader, budget=4, town_code="500110113000"))
        pages = [p for p in pages if "/field/" not in p] + [f"/staff/planning/{run.pk}/"]
    return pages


@pytest.mark.parametrize("username", ["yongxin_cadre", "qj_staff", "qj_leader"])
def test_no_staff_page_is_wider_than_a_phone(demo, live_server, browser, username):
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server.url, username)
    wide = {}
    pages = staff_pages(username)
    for path in pages:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        measured = page.evaluate(WIDTH)
        if measured["scroll"] > 360:
            wide[path] = measured
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = [("calendar", "/staff/outreach/calendar/"), ("dashboard", "/staff/insights/")]
    shots += [("planning", p) for p in pages if p.startswith("/staff/planning/") and p[-2].isdigit()]
    for name, path in shots:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{username}-phone.png"), full_page=True)
    # the dashboard's charts: no label drawn over another, none cut
    page.goto(live_server.url + "/staff/insights/")
    page.wait_for_selector("[data-chart=kept_by_town] svg")
    page.wait_for_selector("[data-chart=by_channel] svg")
    overlaps = page.evaluate(OVERLAPS)
    cut = page.evaluate(CUT)
    copy_button = None
    if username != "qj_leader":
        page.goto(live_server.url + "/staff/outreach/calendar/")
        copy_button = page.is_visible("button[data-copy]")
    context.close()
    assert not wide, "\n".join(f"{p}: {m}" for p, m in wide.items())
    assert not overlaps, overlaps
    assert not cut, cut
    assert copy_button in (None, True)
