"""Page images for the review page, rendered with pdfium."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

# Pixels per PDF point: 1.5 is 108 dpi, where a table's 8 pt text stays
# legible on a laptop screen. Measured on the 10-page sample SK (8 lampiran
# pages, landscape A4): about 150 kB a page as JPEG at quality 70, 1.6 MB of
# HTML in all with base64.
SCALE = 1.5
JPEG_QUALITY = 70


@dataclass(frozen=True)
class PageImage:
    page: int
    jpeg: bytes
    width_px: int
    height_px: int
    width_pt: float
    height_pt: float


def render(pdf: Path, pages: list[int], password: str | None = None, scale: float = SCALE) -> dict[int, PageImage]:
    """JPEGs of ``pages`` (1-based), as pdfium shows them (``/Rotate`` applied)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf), password=password)
    out: dict[int, PageImage] = {}
    try:
        for n in pages:
            page = doc[n - 1]
            try:
                w, h = page.get_size()
                pil = page.render(scale=scale).to_pil().convert("RGB")
            finally:
                page.close()
            buf = io.BytesIO()
            pil.save(buf, format="JPEG", quality=JPEG_QUALITY, optimize=True)
            out[n] = PageImage(n, buf.getvalue(), pil.width, pil.height, float(w), float(h))
    finally:
        doc.close()
    return out
