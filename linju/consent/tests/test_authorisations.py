"""Authorisations (委托): given for items or all items, from and until a day, with the photo of the
signed form; one in force between two people; a family member acts for at most eight relatives;
withdrawn by staff or by the person; another bureau's or town's is out of reach."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from linju.consent.models import FAMILY_PLACES, Authorisation
from linju.consent.services import (
    AuthorisationIn,
    authorisation_evidence_add,
    authorisation_grant,
    authorisation_in_force,
    authorisation_withdraw,
    authorisation_withdraw_by_person,
)
from linju.consent.tests.factories import DAUGHTER, daughter_authorised, helper_of_jingshan
from linju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from linju.people.tests.factories import ResidentFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


def test_an_authorisation_covers_its_items_from_its_first_to_its_last_day(served):
    today = timezone.localdate()
    until = today + datetime.timedelta(days=30)
    authorisation = daughter_authorised(served, valid_until=until)
    assert authorisation.status == "active" and authorisation.family_place == 1
    assert list(authorisation.items.values_list("code", flat=True)) == ["UI-002"]
    ask = {"principal_id": served.dai.pk, "agent_id_number": DAUGHTER}
    assert authorisation_in_force(**ask, item_ids=[served.ui.pk], on=today) == authorisation.pk
    assert authorisation_in_force(**ask, item_ids=[served.ui.pk], on=until) == authorisation.pk
    assert (
        authorisation_in_force(**ask, item_ids=[served.ui.pk], on=until + datetime.timedelta(days=1)) is None
    )
    assert authorisation_in_force(**ask, item_ids=[served.md.pk], on=today) is None
    assert authorisation_in_force(**ask, item_ids=[served.ui.pk, served.md.pk], on=today) is None
    assert (
        authorisation_in_force(
            **ask, item_ids=[served.ui.pk], on=today, authorisation_id=authorisation.pk + 1
        )
        is None
    )


def test_all_items_cover_any_item_and_a_bundle_of_them(served):
    daughter_authorised(served, all_items=True, item_codes=[])
    found = authorisation_in_force(
        principal_id=served.dai.pk,
        agent_id_number=DAUGHTER,
        item_ids=[served.ui.pk, served.md.pk, served.lr.pk],
        on=timezone.localdate(),
    )
    assert found is not None


def test_what_is_wrong_is_said_in_words_and_nothing_is_kept(served):
    today = timezone.localdate()
    for given, field in (
        ({"agent_kind": "friend"}, "agent_kind"),
        ({"agent_name": " "}, "agent_name"),
        ({"agent_id_number": "500222199506010000"}, "agent_id_number"),
        ({"agent_id_number": served.dai.id_number}, "agent_id_number"),
        ({"agent_phone": "12345"}, "agent_phone"),
        ({"item_codes": []}, "item_codes"),
        ({"item_codes": ["NO-SUCH"]}, "item_codes"),
        ({"valid_until": today - datetime.timedelta(days=1)}, "valid_until"),
        (
            {
                "valid_from": today + datetime.timedelta(days=9),
                "valid_until": today + datetime.timedelta(days=3),
            },
            "valid_until",
        ),
        ({"agent_kind": "helper"}, "helper_id"),
    ):
        with pytest.raises(DomainError) as refused:
            daughter_authorised(served, **given)
        assert refused.value.field == field, given
        assert str(refused.value.text()), given
    assert not Authorisation.objects.exists()


def test_the_signed_form_photo_is_stored_once_and_must_be_a_picture(served):
    authorisation = daughter_authorised(served)
    with pytest.raises(DomainError) as refused:
        authorisation_evidence_add(
            actor=served.cadre,
            authorisation_id=authorisation.pk,
            evidence=SimpleUploadedFile("a.txt", b"hello"),
        )
    assert refused.value.field == "evidence"
    kept = authorisation_evidence_add(
        actor=served.cadre, authorisation_id=authorisation.pk, evidence=SimpleUploadedFile("form.png", PNG)
    )
    assert kept.evidence.name.startswith("consent/authorisations/") and kept.evidence.read() == PNG
    with pytest.raises(Conflict):
        authorisation_evidence_add(
            actor=served.cadre, authorisation_id=authorisation.pk, evidence=SimpleUploadedFile("b.png", PNG)
        )


def test_a_village_helper_acts_only_for_the_people_of_their_village(served):
    helper = helper_of_jingshan(served)
    authorisation = authorisation_grant(
        actor=served.cadre,
        principal_id=served.dai.pk,
        given=AuthorisationIn(agent_kind="helper", helper_id=helper.pk, all_items=True),
    )
    assert (authorisation.agent_name, authorisation.agent_id_number) == (helper.name, helper.id_number)
    assert authorisation.family_place is None  # a helper holds no relative's place
    with pytest.raises(DomainError) as refused:
        authorisation_grant(
            actor=served.dongxi_cadre,
            principal_id=served.zhou.pk,  # of 龙井村, not the helper's village
            given=AuthorisationIn(agent_kind="helper", helper_id=helper.pk, all_items=True),
        )
    assert refused.value.field == "helper_id"


def test_one_authorisation_in_force_between_two_people(served):
    daughter_authorised(served)
    with pytest.raises(Conflict):
        daughter_authorised(served, item_codes=["MD-005"])
    with pytest.raises(IntegrityError), transaction.atomic():
        first = Authorisation.objects.get()
        first.pk = None
        first.family_place = 2
        first.save()


def test_a_family_member_acts_for_at_most_eight_relatives(served):
    relatives = ResidentFactory.create_batch(
        FAMILY_PLACES + 1, village=served.jingshan, bureau=served.dai.bureau
    )
    for relative in relatives[:FAMILY_PLACES]:
        daughter_authorised(served, principal=relative)
    assert sorted(Authorisation.objects.values_list("family_place", flat=True)) == list(
        range(1, FAMILY_PLACES + 1)
    )
    with pytest.raises(DomainError) as refused:
        daughter_authorised(served, principal=relatives[-1])
    assert refused.value.code == "family_places_full"
    # a withdrawn one gives its place back
    authorisation_withdraw(
        actor=served.cadre, authorisation_id=Authorisation.objects.order_by("pk").first().pk
    )
    assert daughter_authorised(served, principal=relatives[-1]).family_place == 1


def test_the_database_holds_the_ninth_place_and_each_place_once(served):
    authorisation = daughter_authorised(served)
    for place in (0, FAMILY_PLACES + 1):
        with pytest.raises(IntegrityError), transaction.atomic():
            Authorisation.objects.filter(pk=authorisation.pk).update(family_place=place)
    relative = ResidentFactory(village=served.jingshan, bureau=served.dai.bureau)
    second = daughter_authorised(served, principal=relative)
    with pytest.raises(IntegrityError), transaction.atomic():
        Authorisation.objects.filter(pk=second.pk).update(family_place=authorisation.family_place)


def test_a_past_authorisation_lapses_and_frees_its_place(served):
    authorisation = daughter_authorised(served, valid_until=timezone.localdate())
    Authorisation.objects.filter(pk=authorisation.pk).update(
        valid_from=timezone.localdate() - datetime.timedelta(days=10),
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    again = daughter_authorised(served, item_codes=["MD-005"])
    authorisation.refresh_from_db()
    assert authorisation.status == "lapsed" and authorisation.family_place is None
    assert again.family_place == 1


def test_withdrawn_by_staff_or_by_the_person_and_ended_once(served):
    given = daughter_authorised(served)
    withdrawn = authorisation_withdraw(actor=served.cadre, authorisation_id=given.pk)
    assert (withdrawn.status, withdrawn.withdrawn_via, withdrawn.withdrawn_by) == (
        "withdrawn",
        "counter",
        served.cadre,
    )
    with pytest.raises(Conflict):
        authorisation_withdraw(actor=served.cadre, authorisation_id=given.pk)
    again = daughter_authorised(served)
    with pytest.raises(NotFound):  # someone else's is not theirs to withdraw
        authorisation_withdraw_by_person(resident_ids=[served.zhou.pk], authorisation_id=again.pk)
    mine = authorisation_withdraw_by_person(resident_ids=[served.dai.pk], authorisation_id=again.pk)
    assert (mine.status, mine.withdrawn_via, mine.withdrawn_by) == ("withdrawn", "my_page", None)


def test_other_towns_bureaus_and_leaders_cannot_reach_it(served):
    given = daughter_authorised(served)
    for outsider in (served.dongxi_cadre, served.ws_staff):
        with pytest.raises(NotFound):
            authorisation_withdraw(actor=outsider, authorisation_id=given.pk)
        with pytest.raises(NotFound):
            authorisation_grant(
                actor=outsider,
                principal_id=served.dai.pk,
                given=AuthorisationIn(
                    agent_kind="family", agent_name="代小红", agent_id_number=DAUGHTER, all_items=True
                ),
            )
    with pytest.raises(PermissionDenied):
        authorisation_withdraw(actor=served.leader, authorisation_id=given.pk)
