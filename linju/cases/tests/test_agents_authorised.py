"""An agent (代办人) applies under the person's authorisation (委托): without one in force the case is
refused in words and nothing is kept; with one, taken and linked to it; once withdrawn, refused again.
One given on the spot is recorded with the case. The person is told by text on their own phone."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from linju.accounts.tests.factories import bearer
from linju.cases.models import Case
from linju.cases.services import Agent, AuthoriseNow
from linju.cases.tests.factories import case_at_booth
from linju.consent.models import Authorisation
from linju.consent.services import authorisation_withdraw
from linju.consent.tests.factories import DAUGHTER, daughter_authorised
from linju.core.errors import DomainError
from linju.notify.models import OutboxMessage
from linju.people.tests.factories import ResidentFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


def daughter(**more) -> Agent:
    return Agent(name="代小红", id_number=DAUGHTER, relation="child", phone="13700003333", **more)


def test_an_agents_case_without_authorisation_is_refused_taken_with_one_and_refused_once_withdrawn(served):
    with pytest.raises(DomainError) as refused:
        case_at_booth(served, agent=daughter())
    assert refused.value.code == "agent_not_authorised" and refused.value.field == "agent.authorise"
    assert "代*红" in str(refused.value.text()) and not Case.objects.exists()

    authorisation = daughter_authorised(served)
    case = case_at_booth(served, agent=daughter())
    assert case.authorisation == authorisation and case.agent_name == "代小红"

    authorisation_withdraw(actor=served.cadre, authorisation_id=authorisation.pk)
    with pytest.raises(DomainError) as again:
        case_at_booth(served, agent=daughter())
    assert again.value.code == "agent_not_authorised" and Case.objects.count() == 1


def test_an_authorisation_for_another_item_or_from_another_person_does_not_do(served):
    daughter_authorised(served, item_codes=["MD-005"])
    with pytest.raises(DomainError):
        case_at_booth(served, agent=daughter())
    neighbour = ResidentFactory(village=served.jingshan, bureau=served.dai.bureau)
    for_the_neighbour = daughter_authorised(served, principal=neighbour)
    with pytest.raises(DomainError):  # the neighbour's authorisation, named, is not 代云峰's
        case_at_booth(served, agent=daughter(authorisation_id=for_the_neighbour.pk))
    assert not Case.objects.exists()


def test_one_given_on_the_spot_is_recorded_with_the_case_and_its_photo(served):
    photo = SimpleUploadedFile("form.png", PNG)
    until = datetime.date.today() + datetime.timedelta(days=90)
    case = case_at_booth(served, agent=daughter(authorise=AuthoriseNow(until=until, evidence=photo)))
    authorisation = case.authorisation
    assert (authorisation.via, authorisation.agent_kind, authorisation.valid_until) == (
        "intake",
        "family",
        until,
    )
    assert list(authorisation.items.values_list("code", flat=True)) == ["UI-002"] and authorisation.evidence
    # the next case of the same item needs nothing more
    assert case_at_booth(served, agent=daughter()).authorisation == authorisation


def test_a_bad_spot_authorisation_keeps_nothing(served):
    with pytest.raises(DomainError) as refused:
        case_at_booth(
            served,
            agent=daughter(authorise=AuthoriseNow(evidence=SimpleUploadedFile("x.txt", b"not a photo"))),
        )
    assert refused.value.field == "agent.authorise_photo"
    assert not Case.objects.exists() and not Authorisation.objects.exists()


def test_the_person_is_told_when_an_agent_applies_for_them(served, django_capture_on_commit_callbacks):
    daughter_authorised(served)
    with django_capture_on_commit_callbacks(execute=True):
        case = case_at_booth(served, agent=daughter(), texts_to_applicant=False)
    told = OutboxMessage.objects.get(purpose="agent_filed")
    assert told.phone == served.dai.phone and case.number in told.text and "代*红" in told.text


def test_the_api_refuses_in_both_languages_and_takes_one_on_the_spot(client, served):
    token = bearer(served.cadre)
    body = {
        "item_code": "UI-002",
        "channel": "booth",
        "market_code": "market-shengping",
        "applicant_id": served.dai.pk,
        "materials_received": ["居民身份证原件"],
        "agent": {"name": "代小红", "id_number": DAUGHTER, "relation": "child"},
    }
    refused = client.post("/api/v1/cases", body, content_type="application/json", **token)
    assert refused.status_code == 400, refused.content
    answer = refused.json()
    assert answer["code"] == "agent_not_authorised" and "委托" in answer["message_zh"]
    assert "authorisation" in answer["message_en"]
    body["agent"]["authorise"] = {"all_items": True}
    taken = client.post("/api/v1/cases", body, content_type="application/json", **token)
    assert taken.status_code == 201, taken.content
    assert Case.objects.get().authorisation.all_items


def test_the_intake_page_takes_the_signed_form_with_the_case(client, served):
    client.force_login(served.cadre)
    url = reverse("cases:new") + "?item=UI-002&channel=counter&place=point:station-yx"
    form = {
        "name": served.dai.name,
        "id_number": served.dai.id_number,
        "phone": served.dai.phone,
        "village_code": served.jingshan.code,
        "agent_name": "代小红",
        "agent_id_number": DAUGHTER,
        "agent_relation": "child",
        "texts_to_applicant": "on",
        "idempotency_key": "page-agent-1",
    }
    refused = client.post(url, form)
    assert refused.status_code == 400 and "委托" in refused.content.decode() and not Case.objects.exists()
    form |= {"agent_authorise": "on", "agent_authorise_photo": SimpleUploadedFile("form.png", PNG)}
    taken = client.post(url, form)
    assert taken.status_code == 302, taken.content.decode()[:2000]
    assert Case.objects.get().authorisation.evidence
