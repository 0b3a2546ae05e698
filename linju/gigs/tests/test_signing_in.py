"""Workers registered once and signed in by ID number: one sign-in a day, an offline one kept once,
and an ID number that tells the caller nothing they could not already see."""

import datetime
import uuid

import pytest
from django.utils import timezone

from linju.core.errors import Conflict, DomainError, NotFound
from linju.gigs.models import SignIn
from linju.gigs.services.signing_in import gig_sign_in, gig_worker_from_seeker, gig_worker_register
from linju.jobs.services import seeker_register
from linju.people.idnumbers import check_digit
from linju.people.tests.factories import ResidentFactory


def sign(world, resident, **more):
    return gig_sign_in(
        actor=world.cadre, place="market:market-shengping", id_number=resident.id_number, **more
    )


def test_a_worker_signs_in_once_a_day(gig_market):
    first = sign(gig_market, gig_market.dai)
    again = sign(gig_market, gig_market.dai)
    assert first.created and not again.created
    assert again.sign_in.pk == first.sign_in.pk
    assert first.sign_in.channel == SignIn.Channel.BOOTH
    assert first.name == "代云峰" and first.id_number.count("*") == 8


def test_an_offline_sign_in_sent_twice_is_kept_once_at_the_moment_it_was_taken(gig_market):
    ref = uuid.uuid4()
    taken = timezone.now() - datetime.timedelta(minutes=40)
    first = sign(gig_market, gig_market.li, client_ref=ref, signed_in_at=taken)
    again = sign(gig_market, gig_market.li, client_ref=ref, signed_in_at=taken)
    assert first.created and not again.created
    assert SignIn.objects.filter(client_ref=ref).count() == 1
    assert first.sign_in.channel == SignIn.Channel.FIELD
    assert abs((first.sign_in.signed_in_at - taken).total_seconds()) < 1


def test_a_reference_used_for_another_person_is_refused(gig_market):
    ref = uuid.uuid4()
    sign(gig_market, gig_market.li, client_ref=ref)
    with pytest.raises(Conflict):
        sign(gig_market, gig_market.dai, client_ref=ref)


def test_a_wrong_check_digit_is_said(gig_market):
    number = gig_market.dai.id_number
    wrong = number[:17] + ("0" if check_digit(number[:17]) != "0" else "1")
    with pytest.raises(DomainError) as refused:
        gig_sign_in(actor=gig_market.cadre, place="market:market-shengping", id_number=wrong)
    assert refused.value.code == "id_check_digit"


def test_an_id_number_reveals_no_stranger(gig_market):
    """A resident who is no gig worker, a person of another bureau and a number nobody holds are
    answered alike."""
    answers = set()
    for resident in (gig_market.zhou, gig_market.wansheng_resident):
        with pytest.raises(NotFound) as refused:
            sign(gig_market, resident)
        answers.add(refused.value.text())
    with pytest.raises(NotFound) as nobody:
        gig_sign_in(
            actor=gig_market.cadre,
            place="market:market-shengping",
            id_number="50022219900101" + "123" + check_digit("50022219900101123"),
        )
    answers.add(nobody.value.text())
    assert len(answers) == 1


def test_a_worker_of_another_town_is_named_masked(gig_market):
    worker = gig_worker_register(actor=gig_market.dongxi_cadre, resident_id=gig_market.zhou.pk, work_types=[])
    answer = sign(gig_market, gig_market.zhou)
    assert answer.created and answer.sign_in.worker == worker
    assert answer.name == "周*明"


def test_a_sign_in_from_the_future_or_long_ago_is_refused(gig_market):
    with pytest.raises(DomainError):
        sign(gig_market, gig_market.dai, signed_in_at=timezone.now() + datetime.timedelta(hours=2))
    with pytest.raises(DomainError):
        sign(gig_market, gig_market.dai, signed_in_at=timezone.now() - datetime.timedelta(days=9))


def test_a_worker_is_registered_once(gig_market):
    with pytest.raises(Conflict):
        gig_worker_register(actor=gig_market.cadre, resident_id=gig_market.dai.pk, work_types=[])


def test_a_job_seeker_marked_as_taking_gigs_becomes_a_gig_worker(gig_market):
    seeker = seeker_register(
        actor=gig_market.dongxi_cadre,
        resident_id=gig_market.zhou.pk,
        education=2,
        skills=["masonry", "welding"],
        max_commute_minutes=40,
        shifts=["day"],
        wage_wanted=3000,
        accepts_heavy_manual=True,
    )
    worker = gig_worker_from_seeker(actor=gig_market.dongxi_cadre, seeker_id=seeker.pk)
    assert [w.code for w in worker.work_types.all()] == ["masonry"]  # the skills that are kinds of work
    assert worker.accepts_heavy
    assert set(worker.villages.all()) == {gig_market.longjing}


def test_a_worker_reaches_only_villages_of_the_registering_cadres_towns(gig_market):
    """The villages a worker can reach are named from the cadre's towns: 东溪镇's 龙井村 is unknown to
    the 永新镇 cadre, as a village nobody has is."""
    with pytest.raises(DomainError) as refused:
        gig_worker_register(
            actor=gig_market.cadre,
            resident_id=ResidentFactory(village=gig_market.jingshan).pk,
            work_types=[],
            villages=[gig_market.jingshan.code, gig_market.longjing.code],
        )
    assert refused.value.field == "villages" and gig_market.longjing.code in refused.value.text()
