"""HTML -> PDF with WeasyPrint: the only module that imports the PDF engine.

The report's HTML is self-contained, so the fetcher refuses every URL but the charts' own
``data:image/svg+xml;base64`` images: a stray reference fails loudly instead of making a network
request.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import weasyprint
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from policeperf.render import _svg_text

_SVG_DATA = "data:image/svg+xml;base64,"


class ExternalResourceError(FatalURLFetchingError):  # type: ignore[misc]
    """The HTML referred to a resource outside itself."""


class _RefuseAll(URLFetcher):  # type: ignore[misc]
    """A fetcher that fails the rendering on any URL (the report embeds everything)."""

    def __init__(self) -> None:
        super().__init__(fail_on_errors=True)

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith(_SVG_DATA):
            # A chart embedded in the document itself (see render_html(images=True)).
            body = base64.b64decode(url[len(_SVG_DATA):], validate=True)
            return URLFetcherResponse(url, body, {"Content-Type": "image/svg+xml"})
        raise ExternalResourceError(f"the report must be self-contained; it refers to {url!r}")

    def __call__(self, url: str) -> Any:
        return self.fetch(url)


PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF (PDF/UA-1): a structure tree, reading order, alt text of the charts, the document
language (the HTML's ``lang``) and title (its ``<title>``), so that screen readers can read it."""


def html_to_pdf(html: str, path: Path | str) -> Path:
    """Write the report's HTML as an A4 landscape, tagged (PDF/UA-1) PDF.

    Args:
        html: A self-contained HTML document (page size and numbers come from its CSS).
        path: Where to write the PDF.

    Returns:
        The path written.
    """
    path = Path(path)
    _svg_text.install()  # chart labels as one run each, not letter by letter (~1.5 s less)
    document = weasyprint.HTML(string=html, url_fetcher=_RefuseAll(), base_url=None)
    document.write_pdf(path, pdf_variant=PDF_VARIANT)
    return path


def warm_up() -> None:
    """Set up the engine's fonts and text shaping by printing a one-line document (what the
    PDF process does while the report is computed, so that the report's own printing does not
    pay for it)."""
    _svg_text.install()
    html = ('<html lang="en"><head><title>-</title></head><body style="font-family: '
            '\'DejaVu Sans\', sans-serif"><p>Warm <b>up</b> 1,234</p></body></html>')
    weasyprint.HTML(string=html, url_fetcher=_RefuseAll(), base_url=None).write_pdf(
        pdf_variant=PDF_VARIANT)
