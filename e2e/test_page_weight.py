"""Every public page under 150 KB transferred on first load (empty cache), measured in Chromium:
the HTML and everything it pulls in (CSS, scripts, images), headers included, uncompressed (the
test server does not compress; a production server's gzip only lowers these). The figures are
written to var/page-weight.json and shown in docs/benchmarks.md."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from linju.geo.models import Town, Village

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LIMIT = 150 * 1024


def transferred(page, url: str) -> tuple[int, int]:
    """(bytes, requests) for one first load of `url` in a fresh context (nothing cached)."""
    sizes = []

    def on_finished(request):
        measured = request.sizes()
        sizes.append(measured["responseBodySize"] + measured["responseHeadersSize"])

    page.on("requestfinished", on_finished)
    page.goto(url, wait_until="networkidle")
    # one round trip to the browser: every event it sent before answering (the stylesheet's
    # "finished" among them, which a busy machine can deliver after `goto` returns) is handled first
    page.evaluate("document.readyState")
    page.remove_listener("requestfinished", on_finished)
    return sum(sizes), len(sizes)


def test_public_pages_weigh_under_150_kb(demo, live_server, browser):
    town = Town.objects.get(name="永新镇")
    village = Village.objects.get(name="荆山村", town=town)
    pages = {
        "home": "/",
        "catalogue": "/catalog/",
        "catalogue search": "/catalog/?q=sybx",
        "service item": "/catalog/items/UI-002/",
        "town card": f"/towns/{town.code}/",
        "village page": f"/villages/{village.code}/",
        "self-check": "/self-check/",
        "case status": "/status/",
        "jobs near home": "/jobs/",
        "staff log-in": "/accounts/login/",
    }
    figures = {}
    for name, path in pages.items():
        context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN")
        page = context.new_page()
        size, requests = transferred(page, live_server.url + path)
        context.close()
        figures[name] = {"path": path, "bytes": size, "requests": requests}
    out = Path(settings.BASE_DIR) / "var" / "page-weight.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    for name, figure in figures.items():
        print(f"{name:18} {figure['bytes'] / 1024:6.1f} KB  {figure['requests']} requests  {figure['path']}")
    heavy = {name: f["bytes"] for name, f in figures.items() if f["bytes"] >= LIMIT}
    assert not heavy, heavy
    assert all(f["requests"] >= 2 for f in figures.values())  # the page and its stylesheet were counted
