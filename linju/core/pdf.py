"""PDFs from the same HTML templates the pages use (WeasyPrint). Fonts come from the system:
Debian's fonts-noto-cjk, embedded as subsets so any viewer shows the Chinese text."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string

PDF_FONT_STACK = '"Noto Sans CJK SC", "Noto Sans CJK", "WenQuanYi Micro Hei", sans-serif'


def render_pdf(html: str, *, base_url: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


def pdf_response(request, template: str, context: dict, *, filename: str) -> HttpResponse:
    html = render_to_string(template, context | {"pdf_font_stack": PDF_FONT_STACK}, request=request)
    response = HttpResponse(
        render_pdf(html, base_url=request.build_absolute_uri("/")), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
