"""The public calculator: a GET form, no log-in, the answer in sentences, in Chinese and English."""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from linju.catalog.bundles import bundles_changed
from linju.catalog.models import Bundle


def _text(response) -> str:
    return strip_tags(response.content.decode())


@pytest.fixture
def december_2026(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 12, 6))


@pytest.mark.django_db
def test_the_form_without_an_answer(client):
    page = client.get("/retirement/").content.decode()
    assert 'method="get"' in page and 'name="birth"' in page and 'name="former_age"' in page
    assert "<script" not in page


@pytest.mark.django_db
def test_a_man_born_in_january_1970_in_plain_chinese(client, december_2026):
    response = client.get(
        "/retirement/", {"birth": "1970-01", "former_age": "60"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    page = _text(response)
    assert response.status_code == 200
    assert '<span class="nobr">2031年5月</span>' in response.content.decode()  # kept on one line
    assert "您的法定退休年龄是61岁4个月，2031年5月可以退休。" in page
    assert "比原来的60岁晚16个月" in page
    assert "16年" in page  # the minimum of 2031
    assert "最早2030年1月（60岁" in page  # 弹性提前: three years early is 58, below the former 60
    assert "15年6个月" in page  # the minimum of 2030, the earliest month's year
    assert "2034年5月" in page  # 弹性延迟, three years later


@pytest.mark.django_db
def test_a_woman_worker_in_english(client, december_2026):
    client.cookies["django_language"] = "en"
    page = client.get(
        "/retirement/", {"birth": "1977-03", "former_age": "50"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Your statutory retirement age is 51 years 2 months: you can retire in May 2028." in page


def test_someone_whose_applications_are_open_is_told_to_apply_now(client, december_2026, bundled):
    Bundle.objects.filter(pk=bundled.bundle.pk).update(opens_months_before_retirement=6)
    bundles_changed()
    town = {"town": bundled.yongxin.code}
    # born October 1966, a man retires at 60 years 6 months in April 2027: open since October 2026
    page = _text(
        client.get(
            "/retirement/", {"birth": "1966-10", "former_age": "60"} | town, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    )
    assert "2027年4月可以退休" in page and "您现在就可以到社保服务所申请办理退休" in page
    later = _text(
        client.get(
            "/retirement/", {"birth": "1970-01", "former_age": "60"} | town, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    )
    assert "现在就可以" not in later and "从2030年11月起" in later


@pytest.mark.django_db
def test_someone_the_law_does_not_touch(client, december_2026):
    page = _text(
        client.get("/retirement/", {"birth": "1962-03", "former_age": "60"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    )
    assert "对您没有影响" in page and "2022年3月" in page and "已经过去" in page


@pytest.mark.django_db
def test_bad_input_comes_back_with_the_words_and_what_was_typed(client):
    response = client.get(
        "/retirement/", {"birth": "1965-13", "former_age": "60"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "月份" in page and 'value="1965-13"' in page and 'value="60" checked' in page
    assert 'type="text"' in page  # a month input could not hold what was typed


@pytest.mark.django_db
def test_linked_from_the_public_menu_and_the_home_page(client):
    home = client.get("/").content.decode()
    assert home.count('href="/retirement/"') == 2  # the menu and the home page's buttons
