"""Browser tests: Playwright for Python driving Debian's Chromium (`make test` installs it when missing)."""

import os
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM = os.environ.get("LINJU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 640}}
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Held by the live server for the whole of each request when the database connection is shared
# (SQLite in memory), and by a test reading the database while the browser may be sending (the
# field app's service worker sends on its own): `with server_paused(): ...`.
SERVER_TURN = threading.RLock()


def server_paused():
    """The database as it stands between two requests. On PostgreSQL the server never takes this
    turn (each request has its own connection), so holding it there costs nothing."""
    return SERVER_TURN


class _OneRequestAtATimeWhenShared(ThreadedWSGIServer):
    """The live server answers each request in a thread of its own. On SQLite the test database
    lives in memory, and every one of those threads is handed the one connection the test holds: two
    requests at once (the field app's page and its service worker, say) would then run inside each
    other's transaction, and one's rollback would undo the other's work, which no real server does
    (each of its requests has its own connection). So when the connection is shared, requests take
    turns; on PostgreSQL, where each thread connects for itself, they still run side by side."""

    def set_app(self, application):
        if not self.connections_override:
            return super().set_app(application)

        def one_at_a_time(environ, start_response):
            with SERVER_TURN:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


LiveServerThread.server_class = _OneRequestAtATimeWhenShared


@pytest.fixture(autouse=True)
def _requests_done_before_the_flush(request):
    """After a browser test (its page's context is closed first), a request the browser sent just
    before, still in the live server, finishes before the test's database is flushed (the live
    server outlives the test). Set up after the live server, so torn down before it."""
    if "live_server" in request.fixturenames:
        request.getfixturevalue("live_server")
    yield
    with SERVER_TURN:
        pass


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-test` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="zh-CN")
    page = context.new_page()
    page.viewport_name = request.param
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}-{page.viewport_name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


DEMO_PASSWORD = "linju-demo-2026"


def log_in(page, url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in as one of the demo's staff (any earlier session on the page is dropped first)."""
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{url}/staff/")


def open_menu(page) -> None:
    """Open the header's menu where it is folded (a phone); on a wide screen its links stand in a row."""
    if page.is_visible("header details.menu > summary") and not page.is_visible("header details.menu > nav"):
        page.click("header details.menu > summary")
