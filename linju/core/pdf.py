"""PDFs from the same HTML templates the pages use (WeasyPrint). Fonts come from the system:
Debian's fonts-noto-cjk, embedded as subsets so any viewer shows the Chinese text.

A paper is rendered once: its HTML (cheap, a few queries) names it by a digest, and the PDF (the
slow part, about a second) is made the first time that HTML is asked for and kept in Django's
default storage. A new case version or a change of the town's data gives new HTML, so a new PDF;
the older ones of the same paper are deleted when it is stored. The font set-up is done once per
process.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.template.loader import render_to_string

PDF_FONT_STACK = '"Noto Sans CJK SC", "Noto Sans CJK", "WenQuanYi Micro Hei", sans-serif'

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


def stored_pdf(html: str, *, base_url: str, folder: str) -> bytes:
    """The PDF of this HTML: read from storage, or rendered and stored (older papers in `folder`,
    earlier versions of the same paper, are removed)."""
    name = f"papers/{folder}/{hashlib.sha256(html.encode()).hexdigest()[:40]}.pdf"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            return stored.read()
    content = render_pdf(html, base_url=base_url)
    if not default_storage.exists(name):  # a twin request may have stored it meanwhile
        default_storage.save(name, ContentFile(content))
    _, files = default_storage.listdir(f"papers/{folder}")
    for other in files:
        if f"papers/{folder}/{other}" != name:
            default_storage.delete(f"papers/{folder}/{other}")
    return content


def pdf_response(request, template: str, context: dict, *, filename: str, folder: str) -> HttpResponse:
    """A paper as a PDF, rendered once per distinct content (see the module's docstring). `folder`
    names the paper (one per case paper, one per town card): earlier versions in it are replaced."""
    html = render_to_string(template, context | {"pdf_font_stack": PDF_FONT_STACK}, request=request)
    response = HttpResponse(
        stored_pdf(html, base_url=request.build_absolute_uri("/"), folder=folder),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
