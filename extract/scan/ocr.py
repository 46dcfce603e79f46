"""The OCR engine behind one small interface (like OCRmyPDF's plugin seam),
and the images it is given: the page binarised with its rulings painted out,
and strips of cell crops read in one call.

The scanned reader only needs word boxes with confidences; any engine that
returns them can stand in for Tesseract. ``TesseractEngine`` runs the real
``tesseract`` binary through a subprocess with TSV output (no pytesseract);
``tessapi.TessApiEngine`` calls its library in process (``make_engine``).

Tesseract is always run with ``OMP_THREAD_LIMIT=1``: its OpenMP threads fight
each other on a small machine (12 s instead of 2.3 s a page on 2 cores).
Parallelism, if wanted, goes across pages (see ``extract.stage``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

from lampiran.extract.scan.settings import ScanSettings

BBoxPx = tuple[int, int, int, int]  # x0, top, x1, bottom in image pixels


@dataclass
class Word:
    text: str
    bbox_px: BBoxPx
    conf: float  # 0..100 (Tesseract's word confidence)
    block: int = 0
    par: int = 0
    line: int = 0


class OcrEngine(Protocol):
    name: str

    def words(self, image: np.ndarray, *, dpi: int = 300, psm: int = 3) -> list[Word]:
        """Words of a grayscale (or BGR) image, in the engine's reading order."""
        ...


class OcrError(RuntimeError):
    pass


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def missing_languages(lang: str, binary: str = "tesseract") -> list[str]:
    """The '+'-joined ``lang`` names Tesseract has no traineddata for (all of
    them when Tesseract itself is missing)."""
    wanted = [x for x in lang.split("+") if x]
    try:
        p = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return wanted
    have = {line.strip() for line in (p.stdout + p.stderr).splitlines()[1:]}
    return [x for x in wanted if x not in have]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def _png(image: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", image)
    if not ok:
        raise OcrError("cannot encode image for OCR")
    return buf.tobytes()


class TesseractEngine:
    """The ``tesseract`` CLI (5.x), one process per call, TSV output."""

    name = "tesseract"

    def __init__(self, lang: str = "ind+eng", binary: str = "tesseract", timeout: float = 120.0,
                 extra_config: dict[str, str] | None = None) -> None:
        self.lang = lang
        self.binary = binary
        self.timeout = timeout
        self.extra_config = dict(extra_config or {})

    def _run(self, image: np.ndarray, args: list[str]) -> str:
        cmd = [self.binary, "stdin", "stdout", *args]
        try:
            p = subprocess.run(cmd, input=_png(image), capture_output=True, env=_env(),
                               timeout=self.timeout, check=False)
        except FileNotFoundError as e:  # pragma: no cover - depends on the host
            raise OcrError(f"{self.binary} not found") from e
        except subprocess.TimeoutExpired as e:
            raise OcrError(f"tesseract timed out after {self.timeout}s") from e
        if p.returncode != 0:
            raise OcrError(f"tesseract failed ({p.returncode}): {p.stderr.decode(errors='replace')[-400:]}")
        return p.stdout.decode("utf-8", errors="replace")

    def words(self, image: np.ndarray, *, dpi: int = 300, psm: int = 3) -> list[Word]:
        args = ["-l", self.lang, "--psm", str(psm), "--dpi", str(int(dpi))]
        for k, v in self.extra_config.items():
            args += ["-c", f"{k}={v}"]
        out = self._run(image, [*args, "tsv"])
        return parse_tsv(out)


def make_engine(kind: str = "command", lang: str = "ind+eng") -> OcrEngine:
    """The ``tesseract`` command, or with ``kind="api"`` Tesseract through its
    library (``scan.tessapi``: a third faster per page, no start-up per call)
    where tesserocr and the language data are installed."""
    if kind == "api":
        from lampiran.extract.scan.tessapi import TessApiEngine, api_available
        from lampiran.model.lexicon import tessdata_dir

        where = tessdata_dir()
        if not api_available(lang, where):
            raise OcrError(f"the Tesseract API (tesserocr) cannot read {lang} here")
        return TessApiEngine(lang, where)
    return TesseractEngine(lang)


def parse_tsv(tsv: str) -> list[Word]:
    words: list[Word] = []
    lines = tsv.splitlines()
    for row in lines[1:]:
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5":
            continue
        text = parts[11].strip()
        if not text:
            continue
        try:
            left, top, w, h = (int(parts[i]) for i in (6, 7, 8, 9))
            conf = float(parts[10])
            block, par, line = int(parts[2]), int(parts[3]), int(parts[4])
        except ValueError:
            continue
        words.append(Word(text, (left, top, left + w, top + h), max(conf, 0.0), block, par, line))
    return words



# ------------------------------------------------------------------- reader

_JUNK = re.compile(r"^[\W_]+$")


def is_junk(w: Word, min_conf: float) -> bool:
    """Punctuation only, read with little confidence: a speck, not text."""
    return bool(_JUNK.match(w.text)) and w.conf < min_conf


def reading_quality(words: list[Word]) -> tuple[float, int]:
    """How well a page pass read: the words of three or more characters, and
    their confidence-weighted share that are letters read with conf >= 50.

    Text upside down reads as confident letters rarely: on five pages of two
    producers scanned at 150 dpi the share was 0.76-0.85 upright and
    0.20-0.30 turned 180 degrees (or the wrong way sideways)."""
    long = [w for w in words if len(w.text) >= 3]
    good = sum(w.conf / 100.0 for w in long if w.text.isalpha() and w.conf >= 50)
    return (good / len(long) if long else 0.0), len(long)


# Ink blobs below this many pixels (at 300 dpi, scaled by area) are specks,
# not text: 12 on a page of body text, 4 on a page with a table grid
# (``fine``). Table text is set at 7-8 pt, and at 12 the dot of its "i"
# scanned at 150 dpi went too: Tesseract read "ri" as "n" and "ti" as "u"
# ("Sekretans"). Without the Gaussian blur before thresholding as well (the
# cubic upsampling smooths enough), text similarity rose on all 9 plan
# fixtures scanned at 150 dpi (rl_wingdings 0.959 -> 0.967, docx_seed 0.986
# -> 0.989, rl_seed 0.995 -> 0.998) and on the 4 heavier-blurred scans
# (0.953-0.993 -> 0.955-0.996); 4 alone, with the blur, lowered docx_kominfo
# from 0.991 to 0.975. Then on 27 unseen random variants (15 reportlab, 12
# Word-made): text mean 0.984 -> 0.992, the lowest 0.947 -> 0.978, every
# activity and month right either way. Body text (11-12 pt) keeps the blur
# and the larger specks: read so, the real 100 dpi Jombang scan lost the
# "/" of its nomor, and the unseen variants' titles had more slips.
SPECK_PX_AT_300DPI = 12
FINE_SPECK_PX_AT_300DPI = 4


# Ink blobs this tall (mm) are letters or letters run together: shorter ones
# are dots, commas and specks, taller ones ticks, stamps and letterhead art.
TEXT_BLOB_MM = (0.5, 5.0)


def text_height_px(clean_bin: np.ndarray, dpi: float) -> float | None:
    """The median height in pixels of the page's letter-sized ink blobs
    (``clean_bin``: the binary page without its rulings), or None without any."""
    _n, _lab, st, _ = cv2.connectedComponentsWithStats(clean_bin, connectivity=8)
    h = st[1:, cv2.CC_STAT_HEIGHT]
    lo, hi = (mm * dpi / 25.4 for mm in TEXT_BLOB_MM)
    h = h[(h >= lo) & (h <= hi)]
    return float(np.median(h)) if len(h) else None


def upsample_factor(dpi: float, text_px: float | None, s: ScanSettings) -> float:
    """How much a page is upsampled for OCR: towards ``ocr_dpi``, and further
    where its letters (``text_px`` tall, ``text_height_px``) are small."""
    f = 1.0
    if dpi < s.ocr_dpi * s.upsample_below:
        f = min(s.max_upsample, s.ocr_dpi / dpi)
    if text_px and s.ocr_text_px / text_px * s.upsample_below > f:
        f = min(s.max_text_upsample, s.ocr_text_px / text_px)
    return f


def ocr_image(gray: np.ndarray, ruling_mask: np.ndarray, dpi: float, factor: float = 1.0,
              threshold_c: int = 25, fine: bool = False) -> np.ndarray:
    """Black-on-white binary image for OCR: upsampled by ``factor``, locally
    thresholded, rulings and specks removed; ``fine``: small table text, whose
    i-dots and gaps between letters the blur and speck filter of body text
    would take."""
    g = gray if factor == 1.0 else cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    d = dpi * factor
    block = max(11, round(d / 200.0 * 31) | 1)
    b = cv2.adaptiveThreshold(g if fine else cv2.GaussianBlur(g, (3, 3), 0), 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C,
                              cv2.THRESH_BINARY_INV, block, threshold_c)
    m = ruling_mask if factor == 1.0 else cv2.resize(ruling_mask, (g.shape[1], g.shape[0]),
                                                         interpolation=cv2.INTER_NEAREST)
    k = max(3, round(d / 100.0) | 1)
    m = cv2.dilate(m, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    b[m > 0] = 0
    _n, lab, st, _ = cv2.connectedComponentsWithStats(b, connectivity=8)
    speck = FINE_SPECK_PX_AT_300DPI if fine else SPECK_PX_AT_300DPI
    small = st[:, cv2.CC_STAT_AREA] < max(2, int((d / 300.0) ** 2 * speck))
    small[0] = False
    b[small[lab]] = 0
    return 255 - b


def cell_strip(boxes: list[tuple[int, int, int, int]], ocr_img: np.ndarray, f: float, dpi: float,
           rotate: int | None = None) -> tuple[np.ndarray, list[tuple[int, int, int, int, int, int]]]:
    """Cell crops stacked one per line on a white strip; returns the strip and,
    per crop, (strip_y0, strip_y1, page_x0, page_y0) for mapping back."""
    crops = []
    pad = max(2, round(0.4 * dpi * f / 25.4))
    for x0, y0, x1, y1 in boxes:
        a, b = int(x0 * f) + pad, int(y0 * f) + pad
        c, d = int(x1 * f) - pad, int(y1 * f) - pad
        crop = ocr_img[max(b, 0): max(d, b + 1), max(a, 0): max(c, a + 1)]
        if rotate is not None:
            crop = cv2.rotate(crop, rotate)
        crops.append((crop, a, b))
    gap = max(10, round(2.5 * dpi * f / 25.4))
    strip, spans = stack_crops([c for c, _, _ in crops], gap)
    return strip, [(y0, y1, gap, a, b, y1 - y0) for (y0, y1), (_, a, b) in zip(spans, crops)]


def stack_crops(crops: list[np.ndarray], gap: int) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Image crops stacked one per line on a white strip, ``gap`` pixels
    around each: one OCR call reads them all. Returns the strip and each
    crop's rows on it (y0, y1); ``slot_of`` maps a word back."""
    strip = np.full((sum(c.shape[0] for c in crops) + gap * (len(crops) + 1),
                     max(c.shape[1] for c in crops) + 2 * gap), 255, np.uint8)
    spans, y = [], gap
    for crop in crops:
        h, w = crop.shape
        strip[y: y + h, gap: gap + w] = crop
        spans.append((y, y + h))
        y += h + gap
    return strip, spans


def slot_of(word: Word, spans: list[tuple[int, int]]) -> int | None:
    """The stacked crop (``stack_crops``) a word read on the strip belongs to, by its centre."""
    cy = (word.bbox_px[1] + word.bbox_px[3]) / 2.0
    return next((k for k, (y0, y1) in enumerate(spans) if y0 - 2 <= cy <= y1 + 2), None)
