"""A case's papers are rendered by huey jobs: queued ahead by the step that makes them, or by the
first request that asks, never rendered inside a web request."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from linju.cases.services import Intake, case_accept, case_transition
from linju.core import pdf
from linju.core.pdf import paper_store, papers_ahead_paused


def _intake(served, key="papers-1"):
    return Intake(
        item_code="UI-002",
        channel="booth",
        market_code="market-shengping",
        applicant_id=served.dai.pk,
        materials_received=["身份证"],
        idempotency_key=key,
    )


@pytest.fixture
def rendered(monkeypatch):
    """Every PDF rendering, counted (and where it happened: the test knows whether a worker ran)."""
    calls = []
    real = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda html, **kw: calls.append(1) or real(html, **kw))
    return calls


@pytest.fixture
def cadre_client(client, served):
    client.force_login(served.cadre)
    return client


def test_the_first_ask_queues_the_job_once_and_the_page_waits(cadre_client, served, huey_worker, rendered):
    case = case_accept(actor=served.cadre, intake=_intake(served))
    url = reverse("cases:receipt-pdf", args=[case.number])

    waiting = cadre_client.get(url)
    assert waiting.status_code == 202 and waiting["Content-Type"].startswith("text/html")
    assert waiting["Retry-After"] == "2"
    page = waiting.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert f"受理回执 {case.number} 正在生成" in page
    assert cadre_client.get(url).status_code == 202  # asked again while it waits: not queued twice
    assert huey_worker.queued() == [("build_paper", ("case-receipt", case.number, "zh-hans"))]
    assert rendered == []  # nothing rendered in a request

    assert huey_worker.run() == 1 and rendered == [1]
    ready = cadre_client.get(url)
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    assert case.number in "".join(p.extract_text() for p in PdfReader(io.BytesIO(ready.content)).pages)
    assert rendered == [1] and huey_worker.queued() == []


def test_the_step_that_makes_a_paper_queues_it_ahead(
    cadre_client, served, huey_worker, rendered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = case_accept(actor=served.cadre, intake=_intake(served))
    assert huey_worker.queued() == [("build_paper", ("case-receipt", case.number, "zh-hans"))]
    huey_worker.run()
    # at the counter, the receipt is already there: served at once, nothing rendered in the request
    receipt = cadre_client.get(reverse("cases:receipt-pdf", args=[case.number]))
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF") and len(rendered) == 1

    with django_capture_on_commit_callbacks(execute=True):
        case_transition(actor=served.cadre, number=case.number, action="start")  # hands over no paper
    assert huey_worker.queued() == []
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(actor=served.cadre, number=case.number, action="suspend", missing=["诊断证明"])
    assert huey_worker.queued() == [("build_paper", ("case-notice", case.number, "zh-hans"))]
    huey_worker.run()
    notice = cadre_client.get(reverse("cases:notice-pdf", args=[case.number]))
    assert notice.status_code == 200 and notice.content.startswith(b"%PDF")
    assert len(rendered) == 2 and huey_worker.queued() == []


def test_demo_loading_queues_no_paper(served, huey_worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), papers_ahead_paused():
        case_accept(actor=served.cadre, intake=_intake(served))
    assert huey_worker.queued() == []


def test_a_paper_that_cannot_be_rendered_is_a_503_in_plain_words(cadre_client, served, monkeypatch):
    case = case_accept(actor=served.cadre, intake=_intake(served))
    tries = []

    def broken(html, **kw):
        tries.append(1)
        raise OSError("no fonts")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    url = reverse("cases:receipt-pdf", args=[case.number])
    response = cadre_client.get(url)
    assert response.status_code == 503 and response["Retry-After"] == "60"
    page = response.content.decode()
    assert "没能生成" in page and "refresh" not in page
    assert cadre_client.get(url).status_code == 503 and len(tries) == 1  # not tried again for a minute
    assert cadre_client.get(reverse("cases:receipt", args=[case.number])).status_code == 200  # the page is


def test_a_job_for_a_paper_with_nothing_to_show_stores_nothing(served):
    case = case_accept(actor=served.cadre, intake=_intake(served))
    assert paper_store("case-notice", case.number, "zh-hans") is None  # nothing is missing
    assert paper_store("case-receipt", "QJ-19990101-0001", "zh-hans") is None  # no such case
    name = paper_store("case-receipt", case.number, "en")
    assert name.startswith(f"papers/cases/{case.number}/receipt/") and default_storage.exists(name)
    with pytest.raises(ValueError):
        paper_store("nothing", case.number, "zh-hans")


def test_another_towns_cadre_gets_no_paper_and_queues_nothing(client, served, huey_worker):
    case = case_accept(actor=served.cadre, intake=_intake(served))
    client.force_login(served.dongxi_cadre)
    assert client.get(reverse("cases:receipt-pdf", args=[case.number])).status_code == 404
    assert huey_worker.queued() == []
