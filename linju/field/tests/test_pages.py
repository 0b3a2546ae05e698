"""The field app's page: its addresses come from Django's URLs, its words from the JavaScript
catalogue (in the user's language), and its service worker is told where the app, the API and the
static files live."""

import json
import re
from pathlib import Path

from django.conf import settings
from django.urls import resolve, reverse
from django.utils.translation.trans_real import DjangoTranslation

from linju.field.views import field_urls

FIELD_JS = Path(settings.BASE_DIR) / "static" / "field"
# gettext("…"), t("…"), and the singular of ngettext/tn("…", "…", n)
ASKED = re.compile(r'\b(?:gettext|t|ngettext|tn)\(\s*("(?:[^"\\]|\\.)*")')


def test_each_address_the_app_sends_to_is_the_api_operation_it_means():
    urls = field_urls()
    filled = {
        name: url.format(number="QJ-2026-000001", booth="12", task="7", offer="3")
        for name, url in urls.items()
    }
    assert filled == {
        "bundle": "/api/v1/field/bundle",
        "cases": "/api/v1/cases",
        "identity_verify": "/api/v1/identity/verifications",
        "case_photos": "/api/v1/cases/QJ-2026-000001/photos",
        "consultations": "/api/v1/outreach/booths/12/consultations",
        "task_complete": "/api/v1/outreach/home-tasks/7/complete",
        "visits": "/api/v1/outreach/visits",
        "offer_answer": "/api/v1/offers/3/answer",
        "gig_sign_ins": "/api/v1/gig-sign-ins",
        "sign_out": "/accounts/logout/",
    }
    assert all(resolve(url) for url in filled.values())


def test_the_page_carries_its_addresses_and_loads_its_words_before_the_app(served, client):
    client.force_login(served.cadre)
    page = client.get(reverse("field:shell")).content.decode()
    block = re.search(r'<script id="field-urls" type="application/json">(.*?)</script>', page, re.S)
    assert json.loads(block.group(1)) == field_urls()
    catalogue = reverse("field:catalogue")
    assert page.index(f'<script src="{catalogue}">') < page.index('field/app.js"></script>')
    # kept for the days without signal, with the app's files
    assets = re.search(r'data-assets="([^"]*)"', page).group(1).split()
    assert catalogue in assets and any(a.endswith("field/workdays.js") for a in assets)


def test_the_catalogue_speaks_the_users_language(client, db):
    chinese = client.get(reverse("field:catalogue"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 200 and "javascript" in chinese["Content-Type"]
    waiting = json.dumps("受理号待同步")[1:-1]  # the catalogue is JSON, its Chinese escaped
    assert waiting in chinese.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("field:catalogue")).content.decode()
    assert waiting not in english and "django.gettext = function" in english


def test_every_word_the_app_writes_has_its_chinese():
    chinese = DjangoTranslation("zh-hans", domain="djangojs")
    scripts = "\n".join(p.read_text() for p in sorted(FIELD_JS.glob("*.js")))
    asked = {json.loads(m) for m in ASKED.findall(scripts)}
    assert len(asked) > 40
    untranslated = sorted(msgid for msgid in asked if chinese.gettext(msgid) == msgid)
    assert untranslated == []


def test_the_service_worker_is_told_the_apps_addresses(client):
    worker = client.get(reverse("field:service-worker")).content.decode()
    assert "__" not in worker.replace("__proto__", "")
    assert f'var SHELL = "{reverse("field:shell")}"' in worker
    assert f'var API = "{reverse("api:api-root")}"' in worker
    assert f'var STATIC = "{settings.STATIC_URL}"' in worker
