"""An administrator builds a bundle (一件事) from existing items in the administration site, with no
code, and it is offered at once: in the catalogue, on its page and in "where can I do this"."""

import pytest
from django.urls import reverse

from linju.catalog.models import Bundle, BundlePart, BundleVersion
from linju.catalog.tests.factories import ServiceItemFactory


@pytest.fixture
def bureau_admin(client, served):
    """綦江's administrator, as the demo's: a superuser of the bureau (the admin narrows them to it)."""
    admin = served.admin
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    client.force_login(admin)
    return admin


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def bundle_form(**changes) -> dict:
    return {
        "code": "QJ-JOBLOSS",
        "name": "失业一件事",
        "name_en": "Losing a job, in one application",
        "description": "失业登记、失业保险金和医疗救助,一次办。",
        "description_en": "",
        "keywords": "失业 下岗",
        **management("versions", 1),
        "versions-0-valid_from": "2025-01-01",
        "versions-0-valid_to": "",
        "versions-0-note": "首版",
        **changes,
    }


def parts_form(version: BundleVersion, parts: list[tuple], **changes) -> dict:
    data = {
        "bundle": version.bundle_id,
        "valid_from": "2025-01-01",
        "valid_to": "",
        "note": "首版",
        **management("parts", len(parts)),
    }
    for n, (item, lead) in enumerate(parts):
        data |= {f"parts-{n}-item": item.pk, f"parts-{n}-position": str(n + 1), f"parts-{n}-note": ""}
        if lead:
            data[f"parts-{n}-is_lead"] = "on"
    return data | changes


def test_an_administrator_builds_a_bundle_in_the_admin_and_it_is_offered_everywhere(
    client, served, bureau_admin
):
    registration = ServiceItemFactory(code="UI-001", name="失业登记", time_limit_days=0)
    added = client.post(reverse("admin:catalog_bundle_add"), bundle_form())
    assert added.status_code == 302, added.context["errors"] if added.context else added
    bundle = Bundle.objects.get(code="QJ-JOBLOSS")
    assert bundle.bureau == served.yongxin.bureau  # the administrator's own bureau, never typed
    version = bundle.versions.get()
    page = client.get(reverse("admin:catalog_bundleversion_change", args=[version.pk]))
    assert page.status_code == 200
    saved = client.post(
        reverse("admin:catalog_bundleversion_change", args=[version.pk]),
        parts_form(version, [(registration, True), (served.ui, False), (served.md, False)]),
    )
    assert saved.status_code == 302
    assert list(version.parts.values_list("item__code", "is_lead")) == [
        ("UI-001", True),
        ("UI-002", False),
        ("MD-005", False),
    ]
    assert version.history.exists() and bundle.history.get().history_user == bureau_admin

    client.logout()
    catalogue = client.get("/catalog/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "失业一件事" in catalogue and reverse("catalog:bundle", args=["QJ-JOBLOSS"]) in catalogue
    assert "失业一件事" in client.get("/catalog/?q=syyjs").content.decode()
    where = client.get(f"/api/v1/where?bundle=QJ-JOBLOSS&village={served.jingshan.code}").json()
    assert where["item"] == "UI-001" and {p["kind"] for p in where["places"]} >= {"station", "hall"}
    page = client.get(
        reverse("catalog:bundle", args=["QJ-JOBLOSS"])
        + f"?town={served.yongxin.code}&village={served.jingshan.code}"
    )
    assert page.status_code == 200 and "永新镇社保服务所" in page.content.decode()


@pytest.mark.parametrize(
    "leads, count, says",
    [
        ((False, False), 2, "恰好一个"),
        ((True, True), 2, "恰好一个"),
        ((True,), 1, "至少要组合两个"),
    ],
)
def test_the_admin_refuses_a_version_without_one_lead_or_with_one_part(
    client, served, bureau_admin, leads, count, says
):
    client.post(reverse("admin:catalog_bundle_add"), bundle_form())
    version = BundleVersion.objects.get()
    items = [served.ui, served.md][:count]
    refused = client.post(
        reverse("admin:catalog_bundleversion_change", args=[version.pk]),
        parts_form(version, list(zip(items, leads, strict=True))),
    )
    assert refused.status_code == 200 and says in refused.content.decode()
    assert not BundlePart.objects.exists()


def test_the_admin_refuses_two_versions_that_overlap(client, served, bureau_admin):
    data = bundle_form(
        **management("versions", 2),
        **{"versions-1-valid_from": "2026-01-01", "versions-1-valid_to": "", "versions-1-note": ""},
    )
    refused = client.post(reverse("admin:catalog_bundle_add"), data)
    assert refused.status_code == 200 and "日期重叠" in refused.content.decode()
    assert not Bundle.objects.exists()
