"""The field app's weight and how fast it opens without signal.

Figures, against a running Linju with the demo (`make run`):
- bytes: the app's shell (page, script, idb, stylesheet, icon) and each cadre's day of data
  (/api/v1/field/bundle), plain and gzipped;
- time to open: Chromium at 360 × 640 reloads /field/ with the network cut (the service worker
  and IndexedDB serve it) until the form is filled from the kept data; the baseline is the same
  reload with the network on, in the same run.

    .venv/bin/python bench/field_app.py [--url http://127.0.0.1:8000] [--runs 7]
"""

import argparse
import gzip
import statistics
import time

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
CADRES = ("yongxin_cadre", "dongxi_cadre")
PASSWORD = "linju-demo-2026"
READY = "() => document.querySelector('#f-item') && document.querySelector('#f-item').options.length > 0"


def log_in(page, url, username):
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{url}/staff/")


def timed_reload(page) -> float:
    start = time.perf_counter()
    page.reload()
    page.wait_for_function(READY)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    url = args.url.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN")
        page = context.new_page()
        print("bytes (plain / gzip):")
        for username in CADRES:
            log_in(page, url, username)
            page.goto(f"{url}/field/")
            page.wait_for_function(READY)
            bundle = page.request.get(f"{url}/api/v1/field/bundle").body()
            print(f"  {username} day of data: {len(bundle):,} / {len(gzip.compress(bundle)):,}")
        html = page.request.get(f"{url}/field/").body()
        assets = [a for a in page.get_attribute("#field", "data-assets").split(" ") if a]
        shell = html + b"".join(page.request.get(f"{url}{a}").body() for a in assets)
        print(f"  shell (page + {len(assets)} files): {len(shell):,} / {len(gzip.compress(shell)):,}")
        total = len(shell) + len(bundle)
        print(f"  shell + one town's data: {total:,} (aim < 1,000,000)")
        page.evaluate("() => navigator.serviceWorker.ready")
        timed_reload(page)  # warm: the service worker controls the page from here on
        online = [timed_reload(page) for _ in range(args.runs)]
        context.set_offline(True)
        offline = [timed_reload(page) for _ in range(args.runs)]
        context.set_offline(False)
        print(f"time to open /field/ (median of {args.runs}, ms):")
        print(f"  offline (service worker + IndexedDB): {statistics.median(offline):.0f}")
        print(f"  baseline, online reload:              {statistics.median(online):.0f}")
        browser.close()


if __name__ == "__main__":
    main()
