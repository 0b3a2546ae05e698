"""`make run` serves the demo as residents would see it: DEBUG off unless asked for,
a Chinese 404 page, static files served by WhiteNoise without collectstatic."""

import importlib
import os
from unittest import mock

from django.test import override_settings


def test_make_run_has_debug_off_unless_asked():
    with mock.patch.dict(os.environ, {}, clear=False):
        os.environ.pop("LINJU_DEBUG", None)
        local = importlib.reload(importlib.import_module("config.settings.local"))
        assert local.DEBUG is False
        os.environ["LINJU_DEBUG"] = "true"
        assert importlib.reload(local).DEBUG is True
    os.environ.pop("LINJU_DEBUG", None)
    importlib.reload(local)


def test_a_missing_page_says_so_in_chinese(client, db):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 404 and "未找到" in page and "Traceback" not in page
    assert "javascript:" not in page  # public pages run no script


@override_settings(DEBUG=False)
def test_static_files_are_served_by_whitenoise(client, db):
    response = client.get("/static/css/linju.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])
    assert "max-age" in response.headers.get("Cache-Control", "")
