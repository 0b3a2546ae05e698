import pytest
from django.urls import reverse

from linju.audit.models import AuditEvent
from linju.people.tests.factories import ResidentFactory


@pytest.fixture
def cadre_client(client, towns_and_staff):
    client.force_login(towns_and_staff.cadre)
    return client


def test_search_page_requires_log_in(client, towns_and_staff):
    response = client.get(reverse("people:search"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_search_page_shows_masked_numbers(cadre_client, towns_and_staff):
    response = cadre_client.get(reverse("people:search"), {"q": "dyf"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "代云峰" in html
    assert towns_and_staff.dai.masked_id_number in html
    assert towns_and_staff.dai.id_number not in html
    assert "周开明" not in html


def test_htmx_search_returns_the_partial(cadre_client, towns_and_staff):
    response = cadre_client.get(reverse("people:search"), {"q": "dyf"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "代云峰" in html
    assert "<html" not in html


def test_search_page_query_count_is_fixed(cadre_client, towns_and_staff, django_assert_max_num_queries):
    ResidentFactory.create_batch(15, village=towns_and_staff.jingshan)
    # session, user, count, page of rows, towns for the filter: never one per row
    with django_assert_max_num_queries(8):
        response = cadre_client.get(reverse("people:search"))
    assert response.content.decode().count('class="mono"') == 16


def test_detail_of_another_town_is_404(cadre_client, towns_and_staff):
    response = cadre_client.get(reverse("people:detail", args=[towns_and_staff.zhou.pk]))
    assert response.status_code == 404
    assert "周开明" not in response.content.decode()


def test_detail_is_audited_and_unmask_shows_whole_numbers(cadre_client, towns_and_staff):
    dai = towns_and_staff.dai
    response = cadre_client.get(reverse("people:detail", args=[dai.pk]))
    assert dai.masked_id_number in response.content.decode()
    assert dai.id_number not in response.content.decode()
    response = cadre_client.post(reverse("people:unmask", args=[dai.pk]))
    assert dai.id_number in response.content.decode()
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "record_viewed",
        "unmasked",
    ]


def test_export_downloads_xlsx_and_is_audited(cadre_client, towns_and_staff):
    from linju.audit.tests.exports import exported

    content = exported(cadre_client, cadre_client.post(reverse("people:export"), {"q": ""}))
    assert content.startswith(b"PK")
    assert AuditEvent.objects.filter(action="exported").count() == 1


def test_register_form_shows_the_id_error_and_keeps_the_input(cadre_client, towns_and_staff):
    response = cadre_client.post(
        reverse("people:new"),
        {"name": "张三", "id_number": "50022219900101", "village_code": "500110113225"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "身份证号应为 18 位" in html
    assert 'value="张三"' in html


def test_register_form_saves(cadre_client, towns_and_staff):
    from linju.people.idnumbers import check_digit

    first17 = "50022219900101123"
    response = cadre_client.post(
        reverse("people:new"),
        {
            "name": "张三",
            "id_number": first17 + check_digit(first17),
            "phone": "13800000000",
            "village_code": "500110113225",
        },
    )
    assert response.status_code == 302
