"""Certifying a pensioner (it keeps their pension paid) is the work of the staff and cadres of their
town, from the roster or on a home visit; a leader reads the roster's figures and certifies no one."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from linju.access.capabilities import CAPABILITIES
from linju.core.errors import NotFound, PermissionDenied
from linju.outreach.models import Certification, Pensioner
from linju.outreach.services import certification_record, pensioner_certify
from linju.people.tests.factories import ResidentFactory


@pytest.fixture
def pensioner(served):
    """A pensioner of 荆山村, 永新镇, not yet certified."""
    elder = ResidentFactory(name="刘婆婆", village=served.jingshan, birth_date=datetime.date(1938, 3, 9))
    return Pensioner.objects.create(bureau=elder.bureau, resident=elder)


def certify_url(pensioner) -> str:
    return reverse("outreach:certify", args=[pensioner.pk])


def test_the_cadre_of_the_town_certifies_from_the_roster(served, client, pensioner):
    client.force_login(served.cadre)
    roster = client.get(reverse("outreach:roster") + f"?year=2026&village={served.jingshan.code}")
    assert certify_url(pensioner) in roster.content.decode()
    done = client.post(certify_url(pensioner), {"method": "station", "year": "2026"})
    assert done.status_code == 302 and done["Location"].endswith(f"?year=2026&village={served.jingshan.code}")
    certification = Certification.objects.get(pensioner=pensioner)
    assert (certification.year, certification.method, certification.certified_by) == (
        2026,
        "station",
        served.cadre,
    )


def test_district_staff_certify_too_and_twice_keeps_the_first(served, pensioner):
    first = pensioner_certify(actor=served.staff, pensioner_id=pensioner.pk, year=2026, method="station")
    again = pensioner_certify(actor=served.cadre, pensioner_id=pensioner.pk, year=2026, method="home_visit")
    assert again.pk == first.pk and Certification.objects.get().certified_by == served.staff


def test_a_leader_certifies_no_one_and_is_told_why(served, client, pensioner):
    client.force_login(served.leader)
    with translation.override("zh-hans"):
        refusal = str(CAPABILITIES["outreach.certify"].refusal)
    refused = client.post(certify_url(pensioner), {"method": "station", "year": "2026"})
    assert refused.status_code == 403 and refusal in refused.content.decode()
    with pytest.raises(PermissionDenied):
        pensioner_certify(actor=served.leader, pensioner_id=pensioner.pk, year=2026, method="station")
    with pytest.raises(PermissionDenied):  # nor by any other way in
        certification_record(
            actor=served.leader,
            pensioner=pensioner,
            year=2026,
            method="station",
            on=datetime.date(2026, 3, 1),
        )
    assert not Certification.objects.exists()


def test_a_leader_reads_no_roster_of_pensioners_by_name(served, client, pensioner):
    """Leaders read the certification figures (the dashboard), not the pensioners themselves."""
    client.force_login(served.leader)
    roster = client.get(reverse("outreach:roster") + f"?year=2026&village={served.jingshan.code}")
    body = roster.content.decode()
    assert roster.status_code == 403 and "刘婆婆" not in body
    assert certify_url(pensioner) not in body
    assert reverse("outreach:home-visit", args=[pensioner.pk]) not in body


def test_a_pensioner_of_another_town_is_not_found(served, client, pensioner):
    client.force_login(served.dongxi_cadre)
    assert client.post(certify_url(pensioner), {"method": "station", "year": "2026"}).status_code == 404
    with pytest.raises(NotFound):
        pensioner_certify(actor=served.ws_staff, pensioner_id=pensioner.pk, year=2026, method="station")
    assert not Certification.objects.exists()


def test_the_demo_leader_is_refused_and_the_demo_cadre_certifies(demo, client):
    """On the demo as loaded: qj_leader serves every 綦江 town and certifies none of their pensioners."""
    users = get_user_model().objects
    year = timezone.localdate().year
    pensioner = (
        Pensioner.objects.filter(resident__village__town__name="永新镇")
        .exclude(certifications__year=year)
        .select_related("resident__village")
        .first()
    )
    client.force_login(users.get(username="qj_leader"))
    refused = client.post(certify_url(pensioner), {"method": "station", "year": str(year)})
    assert refused.status_code == 403
    assert not Certification.objects.filter(pensioner=pensioner, year=year).exists()
    client.force_login(users.get(username="yongxin_cadre"))
    assert client.post(certify_url(pensioner), {"method": "station", "year": str(year)}).status_code == 302
    assert Certification.objects.get(pensioner=pensioner, year=year).certified_by.username == "yongxin_cadre"
