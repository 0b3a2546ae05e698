"""Papers (receipts, notices, town cards) as PDFs from the same HTML templates the pages use
(WeasyPrint), built by huey workers, never in a web request. Fonts come from the system: Debian's
fonts-noto-cjk, embedded as subsets so any viewer shows the Chinese text.

A paper is named by its kind and key (`case-receipt`, `QJ-20261204-0001`) and built by the function
its app registered: a template and its context, with no request in it, so that a worker and a page
make the same HTML. That HTML (cheap, a few queries) names the PDF by a digest; the PDF (the slow
part, 0.2 to 0.6 s of CPU) is rendered once by a job and kept in Django's default storage. A new case
version or a change of the town's data gives new HTML, so a new PDF; the older ones of the same paper
are deleted when it is stored.

Jobs are queued ahead by the step that makes a paper (an intake its receipt, a suspension its
notice) and every night for the town cards; a page asking for a paper no job has built yet queues it
once (a lock in the shared cache) and answers "being prepared" until it is there. With huey's
immediate mode (tests, a single `make run`) the job runs inside that request and the PDF is served
at once. The font set-up is done once per process.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation

from . import shared_cache

PDF_FONT_STACK = '"Noto Sans CJK SC", "Noto Sans CJK", "WenQuanYi Micro Hei", sans-serif'
QUEUED_FOR = 120  # seconds: a paper queued and not built by then (its worker died) is queued again
FAILED_FOR = 60  # seconds a failed paper is answered as failed before it is tried again
WAIT_SECONDS = 2  # the "being prepared" page looks again this often


@dataclass(frozen=True)
class Paper:
    template: str
    context: dict = field(repr=False)
    folder: str  # names the paper (one per case paper, one per town card): its earlier versions are replaced
    filename: str
    title: str  # what the "being prepared" page calls it: 受理回执 QJ-…, 古南街道 便民服务卡


# kind -> build(key): the paper, or None when there is no such paper (an unknown case, a notice of
# a case that misses nothing). Registered by the apps in ready().
_BUILDERS: dict[str, Callable[[str], Paper | None]] = {}

_paused: contextvars.ContextVar[bool] = contextvars.ContextVar("papers_ahead_paused", default=False)


def register_paper(kind: str, build: Callable[[str], Paper | None]) -> None:
    _BUILDERS[kind] = build


def public_url(path: str = "/") -> str:
    """The address printed on papers (their QR codes), the same for a page and a worker."""
    return settings.LINJU_PUBLIC_URL + path


_fonts = None


def _font_config():
    global _fonts
    if _fonts is None:
        from weasyprint.text.fonts import FontConfiguration

        _fonts = FontConfiguration()
    return _fonts


def render_pdf(html: str, *, base_url: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf(font_config=_font_config())


def paper_html(paper: Paper) -> str:
    return render_to_string(paper.template, paper.context | {"pdf_font_stack": PDF_FONT_STACK})


def paper_name(paper: Paper, html: str) -> str:
    return f"papers/{paper.folder}/{hashlib.sha256(html.encode()).hexdigest()[:40]}.pdf"


def paper_store(kind: str, key: str, language: str) -> str | None:
    """A job's work: build the paper now, render its PDF unless stored already, keep it in storage
    and remove its earlier versions. The stored name, or None when there is no such paper."""
    if kind not in _BUILDERS:
        raise ValueError(f"unknown paper kind {kind!r}")
    with translation.override(language):
        paper = _BUILDERS[kind](key)
        if paper is None:
            return None
        html = paper_html(paper)
    name = paper_name(paper, html)
    if not default_storage.exists(name):
        try:
            content = render_pdf(html, base_url=public_url())
        except Exception:
            shared_cache.set(f"paper-failed:{name}", 1, FAILED_FOR)
            raise
        finally:
            shared_cache.delete(f"paper-queued:{name}")
        if not default_storage.exists(name):  # a twin job may have stored it meanwhile
            default_storage.save(name, ContentFile(content))
    _, files = default_storage.listdir(f"papers/{paper.folder}")
    for other in files:
        if f"papers/{paper.folder}/{other}" != name:
            default_storage.delete(f"papers/{paper.folder}/{other}")
    return name


def paper_queue(kind: str, key: str, *, language: str | None = None) -> bool:
    """Queue the job that builds a paper (see `paper_store`); False when the queue refused it (the
    page asking for it asks again)."""
    # here, not at the top: core.tasks imports this module (core.pdf <-> core.tasks)
    from .enqueue import enqueue
    from .tasks import build_paper

    return enqueue(
        build_paper, kind, key, language or translation.get_language() or settings.LANGUAGE_CODE, record=False
    )


def papers_ahead(kind: str, keys: list[str]) -> None:
    """After this transaction commits, queue the papers a step has just made, so that they are
    ready when the cadre prints them. Skipped when jobs run inline (there is no worker to spare the
    request: the page builds it when asked) and inside `papers_ahead_paused()`."""
    # here, not at the top: core.tasks imports this module (core.pdf <-> core.tasks)
    from .enqueue import on_commit_enqueue
    from .tasks import build_paper

    if _paused.get() or getattr(_huey(), "immediate", False):
        return
    for key in keys:  # each on its own: what the queue refuses is written down and queued later
        on_commit_enqueue(build_paper, kind, key, settings.LANGUAGE_CODE)


@contextlib.contextmanager
def papers_ahead_paused() -> Iterator[None]:
    """No paper queued ahead inside: loading a demo's back-dated cases prints nothing."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def _huey():
    from huey.contrib.djhuey import HUEY

    return HUEY


def pdf_response(request, kind: str, key: str, paper: Paper) -> HttpResponse:
    """The paper's PDF when a job has built it; otherwise its job is queued (once, however often the
    page asks) and a page that looks again every two seconds answers, 202. A paper whose rendering
    failed is a 503 in plain words, tried again a minute later."""
    html = paper_html(paper)
    name = paper_name(paper, html)
    stored = default_storage.exists(name)
    failed = not stored and bool(shared_cache.get(f"paper-failed:{name}"))
    # no cache to hold the lock: queued at each look (a twin job finds the paper stored and stops)
    if not (stored or failed) and shared_cache.add(f"paper-queued:{name}", 1, QUEUED_FOR, when_down=True):
        if not paper_queue(kind, key):
            shared_cache.delete(f"paper-queued:{name}")  # the next look queues it again
        # a job run inline (huey's immediate mode) has finished by now; a queued one is seen next look
        stored = default_storage.exists(name)
        failed = not stored and bool(shared_cache.get(f"paper-failed:{name}"))
    if stored:
        with default_storage.open(name, "rb") as content:
            response = HttpResponse(content.read(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{paper.filename}"'
        return response
    response = render(
        request,
        "core/paper_wait.html",
        {"failed": failed, "wait_seconds": WAIT_SECONDS, "title": paper.title},
        status=503 if failed else 202,
    )
    response["Retry-After"] = str(FAILED_FOR if failed else WAIT_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
