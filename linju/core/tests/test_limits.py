"""Rate limits when the shared cache that counts them does not answer: the status look-up and texts
to a typed phone fail closed (503 in plain words, Retry-After, nothing looked up or sent); stopping
one's booth texts fails open (it still works)."""

import pytest

from linju.core.tests.outage import OUTAGE_CACHES, DownCache
from linju.notify.models import OutboxMessage


@pytest.fixture
def cache_down(settings):
    settings.CACHES = OUTAGE_CACHES
    DownCache.down = True
    yield
    DownCache.down = False


def test_the_status_look_up_is_refused_in_words_when_it_cannot_count(client, db, cache_down):
    response = client.post("/status/", {"number": "QJ-20261204-0001", "phone_last4": "1234"})
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "服务暂时不可用" in response.content.decode()


def test_the_self_check_text_is_refused_when_it_cannot_count(client, served, cache_down):
    response = client.post(
        "/self-check/text/", {"phone": "13800001234", "town": "500110113000", "items": "UI-002"}
    )
    assert response.status_code == 503 and response["Retry-After"]
    assert not OutboxMessage.objects.exists()


def test_stopping_booth_texts_works_when_the_count_cannot_be_read(client, db, cache_down):
    page = client.post("/status/booth-texts/stop/", {"phone": "13700009999"})
    assert page.status_code == 200 and "以后不会再收到" in page.content.decode()


def test_the_status_look_ups_pause_is_refused_when_it_cannot_be_read(db, settings):
    """Past the per-address limit, the case's own count of wrong tries: no count, no look-up."""
    from linju.cases.services import case_status_lookup
    from linju.core.shared_cache import CacheDown

    settings.CACHES = OUTAGE_CACHES
    DownCache.down = True
    try:
        with pytest.raises(CacheDown):
            case_status_lookup(number="QJ-20261204-0001", phone_last4="1234")
    finally:
        DownCache.down = False
