"""Leaders follow cases (item, town, dates, status, promise, timeline) without reading who applied:
on the demo, no applicant's or agent's name reaches a leader's page or API answer; staff read them."""

import pytest
from django.contrib.auth import get_user_model

from linju.cases.models import Case
from linju.cases.selectors import case_people

AGENT = "欧阳代办"
ASKED = "欧阳代办替母亲问医保报销"


@pytest.fixture
def followed(demo):
    """The demo's cases, one of them brought by an agent who wrote what was asked."""
    cases = list(Case.objects.select_related("applicant", "item").order_by("number"))
    Case.objects.filter(pk=cases[0].pk).update(
        agent_name=AGENT, agent_id_number="500222199001011234", agent_relation="child", description=ASKED
    )
    return cases


def _user(username):
    return get_user_model().objects.get(username=username)


def _pages(client, cases):
    """The list, the API list and, for a few cases, the page and the API answer: one text."""
    texts = [client.get("/staff/cases/").content.decode(), client.get("/api/v1/cases").content.decode()]
    for case in cases[:3]:
        page = client.get(f"/staff/cases/{case.number}/")
        api = client.get(f"/api/v1/cases/{case.number}")
        assert page.status_code == 200 and api.status_code == 200
        texts += [page.content.decode(), api.content.decode()]
    return "\n".join(texts)


def test_a_leader_follows_cases_but_reads_no_applicant(followed, client):
    client.force_login(_user("qj_leader"))
    text = _pages(client, followed)
    assert followed[0].number in text and followed[0].item.name in text  # the case, its item: shown
    for case in followed:
        assert case.applicant.name not in text
        assert case.applicant.masked_id_number not in text  # not even the masked ID number
    assert AGENT not in text and ASKED not in text
    assert f"{followed[0].applicant.name[0]}**" in text  # a masked name at most


def test_staff_read_the_applicants_of_the_same_cases(followed, client):
    client.force_login(_user("qj_staff"))
    text = _pages(client, followed)
    assert followed[0].applicant.name in text and AGENT in text and ASKED in text


def test_the_papers_handed_to_the_person_are_not_a_leaders(followed, client):
    number = followed[0].number
    client.force_login(_user("qj_leader"))
    assert client.get(f"/staff/cases/{number}/receipt/").status_code == 403
    client.force_login(_user("qj_staff"))
    assert followed[0].applicant.name in client.get(f"/staff/cases/{number}/receipt/").content.decode()


def test_case_people_masks_every_personal_field_for_a_leader(followed):
    case = Case.objects.select_related("applicant").get(pk=followed[0].pk)
    shown = case_people(viewer=_user("qj_leader"), case=case)
    assert shown.applicant == f"{case.applicant.name[0]}**" and shown.agent == "欧**"
    assert (shown.applicant_id_number, shown.agent_id_number, shown.agent_phone) == ("", "", "")
    assert shown.description == "—" and not shown.personal
    whole = case_people(viewer=_user("yongxin_cadre"), case=case)
    assert whole.applicant == case.applicant.name and whole.agent == AGENT and whole.personal


def test_a_leaders_open311_key_reads_no_village_and_nothing_the_person_wrote(followed, client):
    from linju.accounts.services import api_token_create

    case = followed[0]
    village = (case.taken_at_village or case.applicant.village).name
    answers = {}
    for username in ("qj_leader", "qj_staff"):
        key = api_token_create(user=_user(username), name="311 app")[1]
        answers[username] = client.get(f"/open311/v2/requests/{case.number}.json", {"api_key": key}).json()[0]
    assert answers["qj_leader"]["description"] == "—" and answers["qj_leader"]["lat"] is None
    assert village not in answers["qj_leader"]["address"]
    assert answers["qj_staff"]["description"] == ASKED and village in answers["qj_staff"]["address"]


def test_no_staff_page_offers_to_rate_for_a_resident(followed, client):
    """Only the resident rates (by the status page, or by phone with a code texted to them): no
    staff member's case page, a leader's or district staff's, has a form to rate for them."""
    finished = (
        Case.objects.filter(status=Case.Status.FINISHED, rating__isnull=True).order_by("number").first()
    )
    for username in ("qj_leader", "qj_staff"):
        client.force_login(_user(username))
        page = client.get(f"/staff/cases/{finished.number}/").content.decode()
        assert f"/staff/cases/{finished.number}/rate/" not in page
