"""Persian PDF documents with WeasyPrint: A4, right to left, Vazirmatn, Jalali dates.

Any module that needs a PDF (the accountability report, the weekly brief, the HQ meeting
minutes …) writes a Django template that extends ``reports/pdf_base.html`` and calls::

    from ronagh.core.pdf import render_pdf

    data = render_pdf("hq/minutes_pdf.html", {
        "doc_title": _("Minutes of meeting %(n)s") % {"n": ...},  # header, PDF title
        "province": plan.province,       # header (any object that prints as a name)
        "as_of": meeting.date,           # header: "as of <Jalali date>"; optional
        ...                              # whatever the template itself needs
    })

The base template gives every page a header (the province, the document's title and its as-of
date in Jalali), a footer with the page number in the reader's digits ("page ۲ of ۵"), Vazirmatn
from the npm package on disk, and print styles for tables (``table.grid``), figures (``.figure``)
and small headline boxes (``.kpis``). The template fills ``{% block content %}`` and may add CSS
in ``{% block extra_style %}``. The document's direction and digits follow the active language
(Persian unless the reader chose English); render under ``translation.override`` to force one.

Nothing is fetched from the network: fonts are ``file://`` URLs and the fetcher refuses every
scheme but ``file:`` and ``data:``, so a document renders the same on a closed intranet. Charts
are inline SVG from ``ronagh.reports.svg`` (ECharts needs a browser).
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_bidi

logger = logging.getLogger(__name__)

BASE_TEMPLATE = "reports/pdf_base.html"

# (CSS weight, file stem): the weights the PDF templates use.
_WEIGHTS = ((400, "Vazirmatn-Regular"), (500, "Vazirmatn-Medium"), (700, "Vazirmatn-Bold"))


def _font_file(stem: str) -> Path | None:
    root = Path(settings.NODE_MODULES) / "vazirmatn" / "fonts"
    for candidate in (root / "ttf" / f"{stem}.ttf", root / "webfonts" / f"{stem}.woff2"):
        if candidate.is_file():
            return candidate
    return None


def font_face_css() -> SafeString:
    """@font-face rules for Vazirmatn from the npm package on disk (file:// URLs)."""
    rules = []
    for weight, stem in _WEIGHTS:
        path = _font_file(stem)
        if path is None:
            logger.warning("Vazirmatn font %s not found under %s", stem, settings.NODE_MODULES)
            continue
        rules.append(
            "@font-face { font-family: 'Vazirmatn'; font-style: normal; "
            f"font-weight: {weight}; src: url('{path.resolve().as_uri()}'); }}"
        )
    return mark_safe("\n".join(rules))


def pdf_context() -> dict:
    """What the base template needs besides the caller's context."""
    persian = (get_language() or "fa").startswith("fa")
    return {
        "pdf_font_css": font_face_css(),
        # CSS counter style of the page numbers: Persian digits in the Persian locale.
        "pdf_counter_style": "persian" if persian else "decimal",
        "pdf_rtl": get_language_bidi(),
        "pct_sign": "٪" if persian else "%",
        "pdf_generated_at": timezone.now(),
    }


def _fetcher():
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("file", "data"))


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template that extends ``reports/pdf_base.html`` to PDF bytes.

    ``context`` should carry ``doc_title`` and ``province``, and ``as_of`` where the document
    is as of a date; the caller's keys win over the defaults. Rendered in the active language.
    """
    from weasyprint import HTML

    html = render_to_string(template_name, {**pdf_context(), **context})
    base_url = (Path(settings.PACKAGE_DIR) / "templates").as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=_fetcher()).write_pdf()
