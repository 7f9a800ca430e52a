"""HTML -> PDF with WeasyPrint: the only module that imports the PDF engine.

The report's HTML is self-contained, so the fetcher refuses every URL: a stray reference fails
loudly instead of making a network request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import weasyprint


class ExternalResourceError(RuntimeError):
    """The HTML referred to a resource outside itself."""


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ExternalResourceError(f"the report must be self-contained; it refers to {url!r}")


def html_to_pdf(html: str, path: Path | str) -> Path:
    """Write the report's HTML as an A4 landscape PDF.

    Args:
        html: A self-contained HTML document (page size and numbers come from its CSS).
        path: Where to write the PDF.

    Returns:
        The path written.
    """
    path = Path(path)
    document = weasyprint.HTML(string=html, url_fetcher=_refuse, base_url=None)
    document.write_pdf(path)
    return path
