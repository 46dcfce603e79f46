"""Which reader a page goes to: its text layer, or its image.

Light on purpose: it loads no OpenCV, so a digital document never pays for
the image reader.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lampiran.extract.pdf import pdfium_document

if TYPE_CHECKING:
    import pdfplumber


_LARGE_IMAGE = 0.5  # share of the page one image must cover before its image is considered
_SCANNER_PAGE = 0.8  # a searchable scan: one image covers (nearly) the whole page ...
_LONG_RULING = 40.0  # ... and no vector line is longer than this (points): its table is in the image


def route(page: pdfplumber.page.Page) -> str:
    """ "scanned" for a page whose table can only come from its image, else "digital"."""
    if needs_ocr(page):
        return "scanned"
    # A scanner's searchable PDF: a full-page image under an invisible text
    # layer has no vector rulings, so its table lives in the image.
    if page_scan_coverage(page) > _SCANNER_PAGE and not any(
        e["width"] > _LONG_RULING or e["height"] > _LONG_RULING for e in page.edges
    ):
        return "scanned"
    return "digital"


def needs_ocr(page: pdfplumber.page.Page) -> bool:
    """True when the page has no usable text layer but carries a large image.

    Unusable: no chars; only whitespace; an invisible OCR layer (text render
    mode 3, read through pypdfium2); or garbage (few letters or digits).
    """
    if page_scan_coverage(page) < _LARGE_IMAGE:
        return False
    chars = page.chars
    if not chars:
        return True
    visible = [c for c in chars if not c["text"].isspace()]
    if len(visible) < 20:
        return True
    good = sum(1 for c in visible if c["text"].isalnum())
    if good / len(visible) < 0.5:
        return True
    text = "".join(c["text"] for c in chars)
    if len(re.findall(r"[A-Za-z]{3,}", text)) < 5:
        return True
    return invisible_text_share(page) >= 0.9


def invisible_text_share(page: pdfplumber.page.Page) -> float:
    """Share of the page's text objects drawn invisibly (render mode 3, the
    layer OCR tools put over a scan). 0.0 when it cannot be told."""
    try:
        import pypdfium2.raw as pdfium_c

        doc = pdfium_document(page.pdf)
        try:
            pp = doc[page.page_number - 1]
            n = inv = 0
            for obj in pp.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=4):
                n += 1
                if pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE:
                    inv += 1
            pp.close()
        finally:
            doc.close()
        return inv / n if n else 0.0
    except Exception:  # noqa: BLE001 - a probe only; any trouble means "cannot tell"
        return 0.0


def page_scan_coverage(page: pdfplumber.page.Page) -> float:
    """Largest single image's share of the page area (0..1)."""
    area = float(page.width * page.height) or 1.0
    cov = 0.0
    for im in page.images:
        w, h = float(im["x1"] - im["x0"]), float(im["bottom"] - im["top"])
        cov = max(cov, max(w, 0) * max(h, 0) / area)
    return min(cov, 1.0)
