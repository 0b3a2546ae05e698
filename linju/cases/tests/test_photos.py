"""Photos of papers sent by the field app: linked to the case and its material, sent twice kept
once, for staff who may see the case, audited when opened, never public."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from linju.accounts.tests.factories import bearer
from linju.audit.models import AuditEvent
from linju.cases.models import CasePhoto
from linju.cases.services import case_photo_add
from linju.cases.tests.factories import case_at_booth
from linju.core.errors import DomainError, NotFound


def jpeg(size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 200, 200)).save(out, "JPEG", quality=80)
    return out.getvalue()


@pytest.fixture
def case(served):
    return case_at_booth(served, materials_received=["身份证"])


def test_a_photo_over_the_api_is_kept_once_and_shown_to_staff_only(served, client, case):
    auth = bearer(served.cadre)
    # taken an hour ago: a photo taken offline is sent within 7 days of the day it was taken
    taken_at = (timezone.localtime() - datetime.timedelta(hours=1)).isoformat()
    form = {"material": "身份证", "idempotency_key": "photo-1", "taken_at": taken_at}
    first = client.post(
        f"/api/v1/cases/{case.number}/photos",
        form | {"image": SimpleUploadedFile("p.jpg", jpeg(), "image/jpeg")},
        **auth,
    )
    assert first.status_code == 201, first.content
    again = client.post(
        f"/api/v1/cases/{case.number}/photos",
        form | {"image": SimpleUploadedFile("p.jpg", jpeg(), "image/jpeg")},
        **auth,
    )
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert CasePhoto.objects.count() == 1
    photo = CasePhoto.objects.get()
    client.force_login(served.cadre)
    url = reverse("cases:photo", args=[case.number, photo.pk])
    assert url in client.get(reverse("cases:detail", args=[case.number])).content.decode()
    before = AuditEvent.objects.count()
    shown = client.get(url)
    assert shown.status_code == 200 and b"".join(shown.streaming_content)[:3] == b"\xff\xd8\xff"
    assert shown["Cache-Control"] == "private, no-store" and AuditEvent.objects.count() == before + 1
    client.force_login(served.dongxi_cadre)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the log-in page
    assert not photo.image.url.startswith("/static/")


def test_what_a_photo_must_be(served, case):
    def send(**overrides):
        values = {
            "actor": served.cadre,
            "number": case.number,
            "material": "身份证",
            "image": SimpleUploadedFile("p.jpg", jpeg(), "image/jpeg"),
            "idempotency_key": "k",
        } | overrides
        return case_photo_add(**values)

    for overrides, field in (
        ({"image": SimpleUploadedFile("p.jpg", b"<html>", "image/jpeg")}, "image"),
        (
            {"image": SimpleUploadedFile("p.jpg", b"\xff\xd8\xff" + b"0" * (1024 * 1024), "image/jpeg")},
            "image",
        ),
        ({"material": "户口簿"}, "material"),
        ({"material": " "}, "material"),
        ({"idempotency_key": ""}, "idempotency_key"),
    ):
        with pytest.raises(DomainError) as refused:
            send(**overrides)
        assert refused.value.field == field, overrides
    with pytest.raises(NotFound):
        send(actor=served.dongxi_cadre)
    assert not CasePhoto.objects.exists()
