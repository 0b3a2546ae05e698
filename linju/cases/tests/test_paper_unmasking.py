"""The papers of a case themselves — photos of the papers handed over, the decision file — show whole
ID numbers: opening one is an unmasking, recorded as one, by staff of the case's town only; a leader
is refused them in plain words and is shown no link to them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from linju.access.capabilities import CAPABILITIES
from linju.audit.models import AuditEvent
from linju.cases.services import (
    Outcome,
    case_paper_unmask,
    case_photo_add,
    case_transition,
)
from linju.cases.tests.factories import case_at_counter
from linju.conftest_world import at
from linju.core.errors import NotFound, PermissionDenied


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (200, 200, 200)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def case(served):
    """A case of 永新镇 with a photo of the ID card, finished with a decision file attached."""
    case = case_at_counter(served, materials_received=["身份证"], now=at(2026, 11, 25))
    case_photo_add(
        actor=served.cadre,
        number=case.number,
        material="身份证",
        image=SimpleUploadedFile("p.jpg", jpeg(), "image/jpeg"),
        idempotency_key="photo-1",
    )
    document = SimpleUploadedFile("decision.pdf", b"%PDF-1.4 decision", "application/pdf")
    return case_transition(
        actor=served.cadre,
        number=case.number,
        action="finish",
        outcome=Outcome(kind="granted", document=document),
        now=at(2026, 11, 26),
    )


def urls(case) -> dict[str, str]:
    photo = case.photos.get()
    return {
        "photo": reverse("cases:photo", args=[case.number, photo.pk]),
        "decision": reverse("cases:decision", args=[case.number]),
    }


def test_staff_open_the_papers_and_each_opening_is_recorded_as_an_unmasking(served, client, case):
    client.force_login(served.cadre)
    for what, url in urls(case).items():
        before = AuditEvent.objects.count()
        opened = client.get(url)
        assert opened.status_code == 200 and opened["Cache-Control"] == "private, no-store", what
        assert b"".join(opened.streaming_content)[:4] in (b"\xff\xd8\xff\xe0", b"%PDF"), what
        assert AuditEvent.objects.count() == before + 1
        event = AuditEvent.objects.order_by("-id").first()
        assert (event.action, event.object_type, event.object_id) == ("unmasked", "case", case.number)
        assert event.detail["what"] == what and event.actor == served.cadre and event.path == url
    photo_event = AuditEvent.objects.filter(action="unmasked", detail__what="photo").get()
    assert photo_event.detail["photo"] == case.photos.get().pk
    assert not AuditEvent.objects.filter(
        action="record_viewed", detail__what__in=["photo", "decision"]
    ).exists()


def test_district_staff_open_them_too(served, client, case):
    client.force_login(served.staff)
    assert all(client.get(url).status_code == 200 for url in urls(case).values())
    assert AuditEvent.objects.filter(action="unmasked", actor=served.staff).count() == 2


def test_a_leader_is_refused_the_papers_in_plain_words_and_nothing_is_recorded(served, client, case, context):
    client.force_login(served.leader)
    with translation.override("zh-hans"):
        refusal = str(CAPABILITIES["case.papers_unmask"].refusal)
    for what, url in urls(case).items():
        refused = client.get(url)
        assert refused.status_code == 403, what
        assert refusal in refused.content.decode() and "%PDF" not in refused.content.decode()
    assert not AuditEvent.objects.filter(actor=served.leader).exists()
    with pytest.raises(PermissionDenied):
        case_paper_unmask(viewer=served.leader, number=case.number, context=context)


def test_a_leader_reads_the_case_without_links_to_its_papers(served, client, case):
    client.force_login(served.leader)
    page = client.get(reverse("cases:detail", args=[case.number]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "身份证" in body  # which papers were photographed, named
    assert all(url not in body for url in urls(case).values())
    client.force_login(served.cadre)
    body = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert all(url in body for url in urls(case).values())


def test_papers_of_another_town_or_none_at_all_are_not_found(served, client, case, context):
    client.force_login(served.dongxi_cadre)
    assert all(client.get(url).status_code == 404 for url in urls(case).values())
    with pytest.raises(NotFound):
        case_paper_unmask(
            viewer=served.cadre, number=case.number, photo_id=case.photos.get().pk + 1, context=context
        )
    assert not AuditEvent.objects.filter(action="unmasked").exists()
