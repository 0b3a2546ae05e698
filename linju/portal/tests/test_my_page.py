"""A person's own page (我的): opened with a code texted to the phone the bureau holds, the same
answer for an unknown phone; it lists every look at the person's record the audit log holds (compared
with the table), withdraws a consent and an authorisation, and never reaches anyone else's."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from linju.audit.events import (
    case_opened_event,
    case_paper_unmasked_event,
    resident_record_viewed_event,
    resident_unmasked_event,
    residents_exported_event,
    residents_listed_event,
)
from linju.audit.models import AuditEvent
from linju.cases.models import Case
from linju.cases.tests.factories import case_at_booth
from linju.consent.models import ConsentRecord, MyPageCode
from linju.consent.services import AuthorisationIn, authorisation_grant, consent_record
from linju.consent.tests.factories import daughter_authorised, helper_of_jingshan
from linju.core.request_context import RequestContext
from linju.notify.models import OutboxMessage
from linju.people.tests.factories import ResidentFactory

CONTEXT = RequestContext(ip="10.0.0.9", user_agent="test", path="/staff/")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def ask(client, phone, last4, address="10.1.1.1"):
    return client.post(reverse("my-page-code"), {"phone": phone, "last4": last4}, REMOTE_ADDR=address)


def texted_code(phone) -> str:
    return OutboxMessage.objects.filter(purpose="my_page_code", phone=phone).latest("pk").params["code"]


CONFIRMED = {"confirm": "yes"}  # the page's confirm step


def opened(client, served):
    """The page of 代云峰 (`served.dai`), opened as he would: his phone, his four characters, the code."""
    assert ask(client, served.dai.phone, served.dai.id_number[-4:]).status_code == 200
    response = client.post(
        reverse("my-page-open"), {"phone": served.dai.phone, "code": texted_code(served.dai.phone)}
    )
    assert response.status_code == 302
    return client.get(reverse("my-page"))


def test_the_same_answer_whether_or_not_the_phone_is_known(client, served):
    known = ask(client, served.dai.phone, served.dai.id_number[-4:])
    unknown = ask(client, "13911112222", "1234")
    wrong_four = ask(client, served.dai.phone, "0000")
    pages = {
        CSRF.sub("", r.content.decode()).replace("13911112222", served.dai.phone)
        for r in (known, unknown, wrong_four)
    }
    assert {r.status_code for r in (known, unknown, wrong_four)} == {200} and len(pages) == 1
    assert MyPageCode.objects.count() == 1
    assert OutboxMessage.objects.filter(purpose="my_page_code").count() == 1


def test_codes_are_kept_hashed_used_once_and_refused_the_same_when_wrong(client, served):
    ask(client, served.dai.phone, served.dai.id_number[-4:])
    code = texted_code(served.dai.phone)
    row = MyPageCode.objects.get()
    assert code not in str(list(MyPageCode.objects.values_list()))  # only its keyed hash is kept
    assert served.dai.phone not in str(list(MyPageCode.objects.values_list()))
    url = reverse("my-page-open")
    wrong = client.post(url, {"phone": served.dai.phone, "code": "000000" if code != "000000" else "111111"})
    stranger = client.post(url, {"phone": "13911112222", "code": code})
    assert wrong.status_code == stranger.status_code == 400
    assert client.post(url, {"phone": served.dai.phone, "code": code}).status_code == 302
    client.post(reverse("my-page-leave"))
    again = client.post(url, {"phone": served.dai.phone, "code": code})
    assert again.status_code == 400  # a code opens the page once
    row.refresh_from_db()
    assert row.used_at is not None and row.tries == 1


def test_a_code_stops_after_its_tries(client, served):
    ask(client, served.dai.phone, served.dai.id_number[-4:])
    code = texted_code(served.dai.phone)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(MyPageCode.TRIES):
        client.post(reverse("my-page-open"), {"phone": served.dai.phone, "code": wrong})
    assert client.post(reverse("my-page-open"), {"phone": served.dai.phone, "code": code}).status_code == 400


def test_codes_to_one_phone_are_limited_known_or_not(client, served):
    for phone, last4 in ((served.dai.phone, served.dai.id_number[-4:]), ("13911112222", "1234")):
        answers = [ask(client, phone, last4, address=f"10.2.0.{n}").status_code for n in range(6)]
        assert answers == [200] * 5 + [429], phone


def test_codes_from_one_address_are_limited(client, served):
    answers = [ask(client, f"139111122{n:02d}", "1234").status_code for n in range(11)]
    assert answers == [200] * 10 + [429]


def test_the_page_lists_every_look_at_the_record_the_audit_log_holds(client, served):
    case = case_at_booth(served)
    other_case = case_at_booth(
        served,
        applicant_id=served.zhou.pk,
        actor=served.dongxi_cadre,
        market_code="",
        channel="counter",
        service_point_code="station-dx",
    )
    resident_record_viewed_event(actor=served.cadre, resident=served.dai, context=CONTEXT)
    resident_unmasked_event(actor=served.staff, resident=served.dai, fields=["id_number"], context=CONTEXT)
    case_opened_event(actor=served.cadre, case=case, what="page", context=CONTEXT)
    case_paper_unmasked_event(actor=served.staff, case=case, what="photo", photo_id=1, context=CONTEXT)
    bureau = served.dai.bureau_id
    residents_listed_event(
        actor=served.staff,
        bureau_id=bureau,
        resident_ids=[served.zhou.pk, served.dai.pk],
        what="offer_list",
        context=CONTEXT,
    )
    residents_listed_event(
        actor=served.staff,
        bureau_id=bureau,
        resident_ids=[served.zhou.pk],
        what="offer_list",
        context=CONTEXT,
    )
    residents_exported_event(
        actor=served.cadre,
        count=3,
        filters={"village": served.jingshan.code},
        file_format="xlsx",
        context=CONTEXT,
    )
    residents_exported_event(
        actor=served.cadre,
        count=3,
        filters={"village": served.longjing.code},
        file_format="xlsx",
        context=CONTEXT,
    )
    resident_record_viewed_event(actor=served.dongxi_cadre, resident=served.zhou, context=CONTEXT)
    case_opened_event(actor=served.dongxi_cadre, case=other_case, what="page", context=CONTEXT)

    page = opened(client, served)
    assert page.status_code == 200
    html = page.content.decode()
    shown = [int(pk) for pk in re.findall(r'data-event="(\d+)"', html)]
    # from the table itself: every event of his record, his cases, a list naming him, an export of his village
    dai, village = served.dai, served.jingshan.code
    expected = [
        e.pk
        for e in AuditEvent.objects.order_by("-created_at", "-id")
        if (e.object_type == "resident" and e.object_id == str(dai.pk))
        or (e.object_type == "case" and e.object_id == case.number)
        or (e.object_type == "resident_list" and dai.pk in e.detail.get("residents", []))
        or (e.action == "exported" and e.detail.get("filters", {}).get("village") == village)
    ]
    assert len(expected) == 6 and shown == expected
    for name in ("yongxin_cadre", "qj_staff", served.staff.username, served.cadre.username):
        assert name not in html  # the office and role, never the member of staff
    assert "永新镇" in html and case.number in html and served.zhou.name not in html


def test_the_page_withdraws_a_consent_and_an_authorisation(client, served):
    given = daughter_authorised(served)
    consent_record(
        actor=served.cadre,
        resident_id=served.dai.pk,
        purpose="biometric_cert",
        decision="granted",
        method="spoken",
    )
    page = opened(client, served).content.decode()
    assert "代*红" in page and reverse("my-consent-withdraw", args=[served.dai.pk, "biometric_cert"]) in page
    done = client.post(reverse("my-authorisation-withdraw", args=[given.pk]), CONFIRMED)
    assert done.status_code == 302
    given.refresh_from_db()
    assert (given.status, given.withdrawn_via) == ("withdrawn", "my_page")
    done = client.post(reverse("my-consent-withdraw", args=[served.dai.pk, "biometric_cert"]), CONFIRMED)
    assert done.status_code == 302
    assert (
        ConsentRecord.objects.filter(resident=served.dai).latest("recorded_at", "id").decision == "withdrawn"
    )
    assert ConsentRecord.objects.filter(resident=served.dai).count() == 2


def test_someone_elses_record_is_never_reachable(client, served):
    theirs = daughter_authorised(served, principal=served.zhou)
    consent_record(
        actor=served.dongxi_cadre,
        resident_id=served.zhou.pk,
        purpose="medical_data",
        decision="granted",
        method="spoken",
    )
    opened(client, served)
    assert client.post(reverse("my-authorisation-withdraw", args=[theirs.pk]), CONFIRMED).status_code == 404
    assert (
        client.post(
            reverse("my-consent-withdraw", args=[served.zhou.pk, "medical_data"]), CONFIRMED
        ).status_code
        == 404
    )
    for pk in range(1, theirs.pk + 5):
        if pk != theirs.pk:
            client.post(reverse("my-authorisation-withdraw", args=[pk]), CONFIRMED)
    theirs.refresh_from_db()
    assert theirs.status == "active" and ConsentRecord.objects.filter(resident=served.zhou).count() == 1


def test_without_the_code_or_after_its_half_hour_the_page_asks_for_a_code(client, served):
    assert 'name="last4"' in client.get(reverse("my-page")).content.decode()
    opened(client, served)
    session = client.session
    session["linju_my_page"]["until"] = "2000-01-01T00:00:00+00:00"
    session.save()
    assert 'name="last4"' in client.get(reverse("my-page")).content.decode()
    assert (
        client.post(
            reverse("my-consent-withdraw", args=[served.dai.pk, "biometric_cert"]), CONFIRMED
        ).status_code
        == 302
    )


def test_consent_and_authorisation_states_read_in_their_own_words(client, served):
    """A consent reads 已同意 / 已撤回 and an authorisation 有效 / 已撤回: never the words of a text's
    unsubscribe (退订方式) or of a case's decision (予以办理)."""
    given = daughter_authorised(served)
    consent_record(
        actor=served.cadre,
        resident_id=served.dai.pk,
        purpose="biometric_cert",
        decision="granted",
        method="spoken",
    )
    page = opened(client, served).content.decode()
    assert "已同意" in page and "予以办理" not in page
    client.post(reverse("my-authorisation-withdraw", args=[given.pk]), CONFIRMED)
    client.post(reverse("my-consent-withdraw", args=[served.dai.pk, "biometric_cert"]), CONFIRMED)
    page = client.get(reverse("my-page")).content.decode()
    mine = page.split('id="my-authorisations"', 1)[1]
    assert mine.count("已撤回") == 2 and "退订方式" not in page and "予以办理" not in page


def test_a_helper_is_masked_alike_everywhere_and_named_by_role_once(client, served):
    helper = helper_of_jingshan(served)
    authorisation_grant(
        actor=served.cadre,
        principal_id=served.dai.pk,
        given=AuthorisationIn(agent_kind="helper", helper_id=helper.pk, all_items=True),
    )
    case = case_at_booth(served)
    Case.objects.filter(pk=case.pk).update(
        agent_name=helper.name, agent_id_number=helper.id_number, agent_relation="村代办员"
    )
    page = opened(client, served).content.decode()
    cases, given = page.split('id="my-cases"', 1)[1].split('id="my-authorisations"', 1)
    assert "刘*办" in cases and "刘*办" in given and "刘**" not in page
    assert "村代办员, 村代办员" not in page and "(村代办员)" in page


def test_a_withdrawal_is_done_only_once_confirmed_and_says_so(client, served):
    given = daughter_authorised(served)
    page = opened(client, served).content.decode()
    assert "<details" in page and 'name="confirm" value="yes"' in page  # the confirm step, no script
    unconfirmed = client.post(reverse("my-authorisation-withdraw", args=[given.pk]))
    given.refresh_from_db()
    assert unconfirmed.status_code == 302 and given.status == "active"
    done = client.post(reverse("my-authorisation-withdraw", args=[given.pk]), CONFIRMED, follow=True)
    given.refresh_from_db()
    assert given.status == "withdrawn" and "已撤回" in done.content.decode().split('class="messages"', 1)[1]


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("zh-hans", "手机号是11位数字，请核对。"),
        ("en", "A mobile phone number has 11 digits: check the number."),
    ],
)
def test_an_over_long_phone_is_refused_in_plain_words_of_our_own(client, db, language, says):
    try:
        page = client.post(
            reverse("my-page-code"), {"phone": "1" * 25, "last4": "12345"}, HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
    finally:
        translation.deactivate()  # the language the request turned on goes with the test
    assert says in page and "确保" not in page and "Ensure" not in page


def test_a_consent_held_by_two_bureaus_is_a_card_each_and_withdrawn_one_at_a_time(client, served):
    wansheng = ResidentFactory(
        name=served.dai.name,
        village=served.wansheng_resident.village,
        id_number=served.dai.id_number,
        phone=served.dai.phone,
    )
    for actor, resident in ((served.cadre, served.dai), (served.ws_staff, wansheng)):
        consent_record(
            actor=actor,
            resident_id=resident.pk,
            purpose="biometric_cert",
            decision="granted",
            method="spoken",
        )
    page = opened(client, served).content.decode()
    for resident in (served.dai, wansheng):
        assert reverse("my-consent-withdraw", args=[resident.pk, "biometric_cert"]) in page
    client.post(reverse("my-consent-withdraw", args=[served.dai.pk, "biometric_cert"]), CONFIRMED)
    latest = {
        r.resident_id: r.decision
        for r in ConsentRecord.objects.order_by("recorded_at", "id")  # the last answer of each record
    }
    assert latest == {served.dai.pk: "withdrawn", wansheng.pk: "granted"}
    page = client.get(reverse("my-page")).content.decode()
    assert reverse("my-consent-withdraw", args=[wansheng.pk, "biometric_cert"]) in page
