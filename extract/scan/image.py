"""Page images for the scanned reader: acquisition, turning, deskew, binarisation.

Acquisition renders the page with pypdfium2 (which applies ``/Rotate`` the way
pdfplumber reports the page) at the resolution of the page's own scan when the
page is one large image, so no pixel is invented or thrown away; other pages
render at ``default_dpi``.

Table coordinates are reported in the upright frame (see
``PageImage.upright_pt``): points from the top-left of the turned, deskewed
page, which are the page's own coordinates when it needed no turning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from lampiran.extract.scan.settings import ScanSettings
from lampiran.model.errors import LampiranError

if TYPE_CHECKING:
    import pdfplumber

MIN_DPI = 72
MAX_DPI = 400
DEFAULT_DPI = 200
FULL_PAGE_FRACTION = 0.5  # an image covering this share of the page is "the scan"
# The largest embedded image we let pdfium decode: an A0 sheet scanned at
# 300 dpi (9933 x 14043 px, 139 Mpx), decoded as RGB about 420 MB. A larger
# one (a 20000 x 20000 px image is 1.2 GB decoded) is refused, not attempted.
MAX_IMAGE_PIXELS = 140_000_000


@dataclass
class PageImage:
    gray: np.ndarray  # uint8, upright and deskewed
    color: np.ndarray | None  # BGR uint8 of the same geometry (fills are coloured)
    dpi: float
    page_width: float  # PDF points, as pdfplumber reports the page
    page_height: float
    rotation: int = 0  # degrees clockwise applied to fix orientation
    skew: float = 0.0  # degrees of deskew applied
    warnings: list[str] = field(default_factory=list)

    def upright_pt(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """Pixel box -> points in the upright (turned, deskewed) frame: origin top-left,
        x to the right of the text. Equals page coordinates when the page needed
        no turning (up to the deskew of at most 3 degrees)."""
        s = 72.0 / self.dpi
        return (box[0] * s, box[1] * s, box[2] * s, box[3] * s)


def scan_image_dpi(page: pdfplumber.page.Page) -> float | None:
    """The resolution of the page's scan when one image covers most of the page."""
    area = float(page.width * page.height) or 1.0
    best = None
    for im in page.images:
        w, h = float(im["x1"] - im["x0"]), float(im["bottom"] - im["top"])
        if w <= 0 or h <= 0 or (w * h) / area < FULL_PAGE_FRACTION:
            continue
        sw, sh = im.get("srcsize") or (0, 0)
        if not sw or not sh:
            continue
        # The image may be placed rotated (page /Rotate); pair long with long.
        long_px, short_px = max(sw, sh), min(sw, sh)
        long_pt, short_pt = max(w, h), min(w, h)
        dpi = 72.0 * math.sqrt((long_px / long_pt) * (short_px / short_pt))
        if best is None or w * h > best[0]:
            best = (w * h, dpi)
    return best[1] if best else None


def render_page(pdfium_doc: Any, page: pdfplumber.page.Page, dpi: float | None = None) -> PageImage:
    """Render ``page`` (pdfplumber) via its pypdfium2 twin at the scan's own resolution."""
    for im in page.images:
        sw, sh = im.get("srcsize") or (0, 0)
        if sw * sh > MAX_IMAGE_PIXELS:
            raise LampiranError(getattr(page.pdf, "path", None) or "", f"page {page.page_number}: an image of {sw} x {sh} "
                                f"pixels, over the bound of {MAX_IMAGE_PIXELS // 1_000_000} million (an A0 sheet at 300 dpi)")
    if dpi is None:
        dpi = scan_image_dpi(page) or DEFAULT_DPI
    dpi = float(min(max(dpi, MIN_DPI), MAX_DPI))
    pp = pdfium_doc[page.page_number - 1]
    try:
        bitmap = pp.render(scale=dpi / 72.0)
        pil = bitmap.to_pil().convert("RGB")
    finally:
        pp.close()
    rgb = np.asarray(pil)
    color = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    gray = cv2.cvtColor(color, cv2.COLOR_BGR2GRAY)
    return PageImage(gray=gray, color=color, dpi=dpi, page_width=float(page.width),
                     page_height=float(page.height))


# --------------------------------------------------------------------- rotate

def rotate_quadrant(img: PageImage, degrees_cw: int) -> PageImage:
    """Turn the image by 90/180/270 degrees clockwise."""
    d = degrees_cw % 360
    if d == 0:
        return img
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return PageImage(
        gray=cv2.rotate(img.gray, codes[d]),
        color=None if img.color is None else cv2.rotate(img.color, codes[d]),
        dpi=img.dpi, page_width=img.page_width, page_height=img.page_height,
        rotation=(img.rotation + d) % 360, skew=img.skew,
        warnings=list(img.warnings),
    )


def rotate_small(img: PageImage, degrees_ccw: float) -> PageImage:
    """Rotate by a small angle (counter-clockwise positive, as OpenCV) about the centre."""
    if abs(degrees_ccw) < 1e-3:
        return img
    h, w = img.gray.shape
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), degrees_ccw, 1.0)
    gray = cv2.warpAffine(img.gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    color = None
    if img.color is not None:
        color = cv2.warpAffine(img.color, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    return PageImage(gray=gray, color=color, dpi=img.dpi, page_width=img.page_width,
                     page_height=img.page_height, rotation=img.rotation,
                     skew=img.skew + degrees_ccw, warnings=list(img.warnings))


# --------------------------------------------------------------- binarise

def binarize(gray: np.ndarray, dpi: float) -> np.ndarray:
    """Ink = 255 on 0: strokes darker than the local mean (a ~4 mm window at
    200 dpi, scaled with the resolution), after a light blur at 150 dpi and
    above to keep scanner grain from breaking strokes."""
    block = max(11, round(dpi / 200.0 * 31) | 1)
    blur = cv2.GaussianBlur(gray, (3, 3), 0) if dpi >= 150 else gray
    return cv2.adaptiveThreshold(blur, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)


# ------------------------------------------------------------------ deskew

def estimate_skew(binary: np.ndarray, max_angle: float = 3.0) -> float:
    """Skew angle in degrees (counter-clockwise rotation that levels the page),
    from the horizontal projection profile: rulings and text lines give the
    sharpest row profile when level. Returns 0.0 when nothing stands out."""
    h, w = binary.shape
    scale = min(1.0, 1200.0 / max(h, w))
    small = cv2.resize(binary, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    small = (small > 64).astype(np.uint8) * 255
    if small.sum() == 0:
        return 0.0
    sh, sw = small.shape
    centre = (sw / 2.0, sh / 2.0)

    def score(a: float) -> float:
        m = cv2.getRotationMatrix2D(centre, a, 1.0)
        r = cv2.warpAffine(small, m, (sw, sh), flags=cv2.INTER_NEAREST, borderValue=0)
        prof = r.sum(axis=1, dtype=np.float64)
        return float(np.sum(np.diff(prof) ** 2))

    coarse = np.arange(-max_angle, max_angle + 1e-9, 0.25)
    scores = [score(a) for a in coarse]
    best = float(coarse[int(np.argmax(scores))])
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05)
    fscores = [score(a) for a in fine]
    best = float(fine[int(np.argmax(fscores))])
    base = score(0.0)
    if base > 0 and max(fscores) < base * 1.02:
        return 0.0
    return round(best, 2)


def deskew(img: PageImage, max_angle: float = 3.0) -> PageImage:
    angle = estimate_skew(binarize(img.gray, img.dpi), max_angle)
    if abs(angle) < 0.05:
        return img
    return rotate_small(img, angle)


# ------------------------------------------------------------- orientation

def _text_only(gray: np.ndarray, dpi: float) -> np.ndarray:
    """Binary ink (255) with the table rulings removed: only text (and specks) remain."""
    from lampiran.extract.scan.grid import find_rulings

    b = binarize(gray, dpi)
    r = find_rulings(b, dpi)
    k = max(3, round(dpi / 75.0) | 1)
    m = cv2.dilate(r.both, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    b[m > 0] = 0
    return b


def _profile_score(b: np.ndarray) -> float:
    """How strongly ink forms horizontal lines (row-profile sharpness)."""
    prof = b.sum(axis=1, dtype=np.float64)
    return float(np.sum(np.diff(prof) ** 2)) / max(1.0, float(b.sum()))


def turn_candidates(img: PageImage, s: ScanSettings = ScanSettings()) -> tuple[int, int]:
    """The two turns (degrees clockwise) that may make the page upright, the
    likelier first: (0, 180) when its text lines run across, (90, 270) when
    they run down.

    Geometry decides sideways-or-not: with the rulings removed, text lines
    make the row profile sharper than the column profile. Which of the two
    turns reads is left to the page's own OCR pass (``ScannedReader``):
    Tesseract reads text turned 90 degrees by itself, so it cannot tell
    sideways from upright, but it reads text upside down poorly.
    """
    gray = img.gray
    h, w = gray.shape
    scale = min(1.0, 1000.0 / max(h, w))
    small = cv2.resize(gray, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    tb = _text_only(small, img.dpi * scale)
    s0 = _levelled_profile_score(tb)
    s90 = _levelled_profile_score(cv2.rotate(tb, cv2.ROTATE_90_CLOCKWISE))
    return (90, 270) if s90 > s.sideways_profile * s0 else (0, 180)


# The page is judged before it is deskewed: a skew of 1.8 degrees smears the
# row profile of a body page's text lines (a random variant at 150 dpi: 645
# level against 801 turned, so it was read sideways, its words scrambled).
# Each way is scored at its best levelling within the skew deskew corrects.
# Measured on 31 pages of five 150 dpi scans, turned score over upright:
# 0.07-0.23 upright (0.08-0.84 unlevelled), 4.6-13.6 sideways.
_LEVEL_ANGLES = np.arange(-3.0, 3.01, 0.5)  # degrees: estimate_skew's range


def _levelled_profile_score(b: np.ndarray) -> float:
    """``_profile_score`` at the best of small rotations (``_LEVEL_ANGLES``)."""
    h, w = b.shape
    best = 0.0
    for a in _LEVEL_ANGLES:
        m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), float(a), 1.0)
        best = max(best, _profile_score(cv2.warpAffine(b, m, (w, h), flags=cv2.INTER_NEAREST)))
    return best


# ------------------------------------------------------------ stamps

def coloured_ink_share(color: np.ndarray) -> float:
    """Share of pixels in saturated, not-dark colour (stamps, signatures, seals)."""
    hsv = cv2.cvtColor(color, cv2.COLOR_BGR2HSV)
    return float(np.count_nonzero((hsv[..., 1] > 80) & (hsv[..., 2] > 60))) / max(hsv.shape[0] * hsv.shape[1], 1)
