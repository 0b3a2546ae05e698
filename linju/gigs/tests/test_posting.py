"""Posting a gig: few fields and sensible defaults; wrong values refused in words, all at once."""

import datetime

import pytest
from django.utils import timezone, translation

from linju.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied, errors_by_field
from linju.gigs.models import Gig
from linju.gigs.tests.conftest import post


def test_a_gig_takes_its_defaults_from_the_place_and_the_work(gig_market):
    gig = post(gig_market, title="", village="", start_time=None, end_time=None, headcount=1)
    assert gig.title == "采摘"  # the work type's name
    assert gig.village.town == gig_market.yongxin
    assert (gig.start_time, gig.end_time) == (datetime.time(8), datetime.time(17))
    assert gig.starts_on == gig.ends_on == timezone.localdate()
    assert gig.market == gig_market.market and gig.service_point is None
    assert gig.contact_phone == "13800001111"


def test_heavy_work_follows_its_type_unless_said(gig_market):
    assert post(gig_market, work_type="masonry").heavy is True
    assert post(gig_market, work_type="masonry", heavy=False).heavy is False


def test_every_wrong_field_is_said_at_once_in_both_languages(gig_market):
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as refused:
        post(
            gig_market,
            work_type="nonsense",
            starts_on=today - datetime.timedelta(days=1),
            start_time=datetime.time(12),
            end_time=datetime.time(8),
            pay=0,
            min_age=15,
            contact_phone="12345",
        )
    fields = set(errors_by_field(refused.value))
    assert fields == {"work_type", "starts_on", "end_time", "pay", "min_age", "contact_phone"}
    with translation.override("zh-hans"):
        said = errors_by_field(refused.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in said["pay"][0])
    assert not Gig.objects.filter(employer_name="荆山柑橘合作社").exclude(pk=gig_market.picking.pk).exists()


def test_a_gig_asking_for_a_sex_is_refused(gig_market):
    with pytest.raises(DomainError) as refused:
        post(gig_market, details="限男性")
    assert refused.value.code == "discriminatory"


def test_a_place_of_another_town_is_not_found_as_a_missing_one(gig_market):
    with pytest.raises(NotFound) as other:
        post(gig_market, actor=gig_market.dongxi_cadre)
    with pytest.raises(NotFound) as missing:
        post(gig_market, place="market:nowhere")
    assert other.value.text() == missing.value.text()


def test_a_village_of_another_town_is_not_found_as_a_missing_one(gig_market):
    """The work's village is one of the poster's towns: 东溪镇's 龙井村 is refused to the 永新镇 cadre
    in the same words as a village nobody has, and nothing is posted."""
    with pytest.raises(NotFound) as other:
        post(gig_market, village=gig_market.longjing.code)
    with pytest.raises(NotFound) as missing:
        post(gig_market, village="500110113999")
    assert other.value.text() == missing.value.text() and other.value.field == "village"
    assert not Gig.objects.filter(village=gig_market.longjing).exists()


def test_a_leader_does_not_post(gig_market):
    with pytest.raises(PermissionDenied):
        post(gig_market, actor=gig_market.leader)
