"""The offers (免申即享) the field app carries: those waiting for an answer in the villages the cadre
goes to today and tomorrow (the villages their booths' markets serve, the villages of their home
visits), scoped, the people named as the rest of the day's data names them, in one query; and the
answer the app sends for one of them, at a booth, is recorded once however often it is sent."""

import datetime
import json

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linju.audit.models import AuditEvent
from linju.cases.models import Case
from linju.field.selectors import field_bundle
from linju.field.views import field_urls
from linju.geo.tests.factories import MarketPlaceFactory, VillageFactory
from linju.offers.models import Offer
from linju.offers.tests.factories import make_offer, offered_rule, open_offer
from linju.outreach.models import BoothSession, HomeTask
from linju.people.tests.factories import ResidentFactory


def booth(market, cadre, date, **fields) -> BoothSession:
    day = BoothSession.objects.create(market=market, date=date, **fields)
    day.staff.add(cadre)
    return day


def home_visit(resident, cadre, due) -> HomeTask:
    return HomeTask.objects.create(
        bureau_id=resident.bureau_id,
        kind="certification",
        resident=resident,
        asked_via="phone",
        due_date=due,
        assigned_to=cadre,
        address="3组",
    )


def test_the_bundle_carries_the_offers_waiting_in_the_villages_of_todays_and_tomorrows_booths_and_visits(
    served,
):
    today = timezone.localdate()
    cadre, staff = served.cadre, served.staff
    shimen = VillageFactory(code="500110113226", name="石门村", town=served.yongxin)
    far = VillageFactory(code="500110113227", name="远山村", town=served.yongxin)
    later = VillageFactory(code="500110113228", name="后天村", town=served.yongxin)
    # tomorrow's booth at 升平 serves 荆山村 (and, across the town line, 东溪镇's 龙井村: not the cadre's)
    served.market.villages.add(served.jingshan, served.longjing)
    booth(served.market, cadre, today + datetime.timedelta(days=1))
    # a booth the day after tomorrow, and one cancelled today, bring nothing
    booth(
        MarketPlaceFactory(town=served.yongxin, code="market-later"),
        cadre,
        today + datetime.timedelta(days=2),
    )
    cancelled = MarketPlaceFactory(town=served.yongxin, code="market-cancelled")
    cancelled.villages.add(later)
    booth(cancelled, cadre, today, status="cancelled")
    # today's home visit in 石门村
    neighbour = ResidentFactory(name="石大勇", village=shimen)
    home_visit(neighbour, cadre, today)

    ui, md = offered_rule(served.ui), offered_rule(served.md, offer_zh="您可能可以申请医疗救助")
    carried = [
        open_offer(served.dai, ui, staff),
        open_offer(served.dai, md, staff, status=Offer.Status.HELP),
        open_offer(neighbour, ui, staff),
    ]
    left_out = [
        make_offer(ResidentFactory(village=served.jingshan), ui),  # waiting for the second look
        open_offer(
            ResidentFactory(village=served.jingshan),
            ui,
            staff,
            status=Offer.Status.DECLINED,
            answer="no",
            answered_at=timezone.now(),
            answered_via="sms",
        ),
        open_offer(served.zhou, ui, staff),  # 龙井村: another town's
        open_offer(ResidentFactory(village=far), ui, staff),  # nobody goes there
        open_offer(ResidentFactory(village=later), ui, staff),  # its booth is cancelled
    ]

    bundle = field_bundle(viewer=cadre)

    assert sorted(o["id"] for o in bundle["offers"]) == sorted(o.pk for o in carried)
    assert not {o.pk for o in left_out} & {o["id"] for o in bundle["offers"]}
    first = next(o for o in bundle["offers"] if o["id"] == carried[0].pk)
    assert first == {
        "id": carried[0].pk,
        "status": "open",
        "expires_on": carried[0].expires_on.isoformat(),
        "village": f"village:{served.jingshan.code}",
        "village_name": "荆山村",
        "item": "UI-002",
        "item_name": "失业保险金申领",
        "resident": "代云峰",
        "id_number": served.dai.masked_id_number,
        "rule": ui.pk,
    }
    assert {o["status"] for o in bundle["offers"]} == {"open", "help"}
    # the rule's words once per rule, not once per offer
    assert bundle["offer_words"] == {
        str(ui.pk): {"zh": ui.offer_zh, "en": ui.offer_en},
        str(md.pk): {"zh": "您可能可以申请医疗救助", "en": md.offer_en},
    }
    text = json.dumps(bundle, ensure_ascii=False)
    for person in (served.dai, neighbour):
        assert person.id_number not in text and person.phone not in text
    assert "周开明" not in text and served.zhou.id_number[-4:] not in text


def test_a_cadre_going_nowhere_carries_no_offers(served):
    open_offer(served.dai, offered_rule(served.ui), served.staff)
    bundle = field_bundle(viewer=served.cadre)
    assert bundle["offers"] == [] and bundle["offer_words"] == {}


def test_the_offers_cost_one_query_however_many(served, django_assert_num_queries):
    """With a booth and a home visit: materials, towns, stations, markets, villages, booths, tasks,
    the visited village's people and the offers, one query each."""
    today = timezone.localdate()
    served.market.villages.add(served.jingshan)
    booth(served.market, served.cadre, today)
    home_visit(served.dai, served.cadre, today)
    ui, md = offered_rule(served.ui), offered_rule(served.md)
    open_offer(served.dai, ui, served.staff)
    field_bundle(viewer=served.cadre)  # the process's held tables are read on first use
    with django_assert_num_queries(9):
        few = field_bundle(viewer=served.cadre)
    for _ in range(5):
        open_offer(ResidentFactory(village=served.jingshan), md, served.staff)
    with django_assert_num_queries(9):
        many = field_bundle(viewer=served.cadre)
    assert (len(few["offers"]), len(many["offers"])) == (1, 6)
    assert few["version"] != many["version"]  # new offers: the phone takes the day's data again


def test_the_hand_over_counts_the_people_offered_among_those_named(served, client):
    today = timezone.localdate()
    served.market.villages.add(served.jingshan)
    booth(served.market, served.cadre, today)
    rule = offered_rule(served.ui)
    for _ in range(3):
        open_offer(ResidentFactory(village=served.jingshan), rule, served.staff)
    client.force_login(served.cadre)
    body = client.get(reverse("api:bundle")).json()
    assert len(body["offers"]) == 3 and body["residents"] == [] and body["home_tasks"] == []
    handed = AuditEvent.objects.get(action="exported", actor=served.cadre)
    assert handed.detail["format"] == "field" and handed.detail["count"] == 3


def test_an_answer_the_app_sends_from_a_booth_twice_makes_one_case(served):
    """As the phone sends it: the signed-in session, its CSRF token, the address the page gave it."""
    offer = open_offer(served.dai, offered_rule(served.ui), served.staff)
    phone = Client(enforce_csrf_checks=True)
    phone.force_login(served.cadre)
    phone.get(reverse("field:shell"))
    token = phone.cookies["csrftoken"].value
    address = field_urls()["offer_answer"].replace("{offer}", str(offer.pk))

    def send(answer):
        return phone.post(
            address,
            {"answer": answer, "channel": "booth"},
            content_type="application/json",
            HTTP_X_CSRFTOKEN=token,
        )

    first, again = send("yes"), send("yes")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and first.json()["case_number"]
    case = Case.objects.get(applicant=served.dai, item=served.ui)
    assert case.number == first.json()["case_number"]
    assert first.json()["promised_date"] == case.promised_date.isoformat()
    offer.refresh_from_db()
    assert (offer.answered_via, offer.answered_by) == ("booth", served.cadre)
    # another answer after the yes is refused in plain words: the phone lists it for the cadre
    refused = send("no")
    assert refused.status_code == 409 and refused.json()["message_zh"]
    assert Case.objects.filter(applicant=served.dai, item=served.ui).count() == 1


def test_every_script_the_page_loads_is_kept_for_the_days_without_signal(served, client):
    """The offers' script among them: a phone with no signal opens the app with every part."""
    import re

    client.force_login(served.cadre)
    page = client.get(reverse("field:shell")).content.decode()
    assets = re.search(r'data-assets="([^"]*)"', page).group(1).split()
    loaded = re.findall(r'<script src="([^"]+)"', page)
    assert any(src.endswith("field/offers.js") for src in loaded)
    assert set(loaded) <= set(assets)
