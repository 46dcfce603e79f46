"""Optical mark reading in month cells: ink after the rulings are removed,
and fills (shading, colour), each cut at a threshold the table learns.

Month (mark) cells are never read as text. Each table learns its own cut:
the sorted values of all its mark cells, cut at the first large jump (as OMR
tools do), so a faint tick and a heavy one both count while specks and
ruling fragments do not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from lampiran.extract.scan.grid import Grid, GridCell
from lampiran.extract.scan.image import PageImage
from lampiran.extract.scan.settings import ScanSettings



# ------------------------------------------------------------------- marks

def ink_without_rulings(binary: np.ndarray, rulings: Any, dpi: float) -> np.ndarray:
    k = max(3, round(dpi / 75.0) | 1)
    mask = cv2.dilate(rulings.both, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    out = binary.copy()
    out[mask > 0] = 0
    # drop 1-2 px specks
    return cv2.morphologyEx(out, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (2, 2)))


def _interior(box: tuple[int, int, int, int], dpi: float, share: float = 0.12) -> tuple[int, int, int, int]:
    """The cell without its rulings: a margin of ``share`` of the size (marks
    sit in the middle) but at least ~0.25 mm."""
    x0, y0, x1, y1 = box
    m = max(2, round(0.5 * dpi / 25.4))
    mx = max(m, int(share * (x1 - x0)))
    my = max(m, int(share * (y1 - y0)))
    return x0 + mx, y0 + my, max(x0 + mx + 1, x1 - mx), max(y0 + my + 1, y1 - my)


def ink_mm2(clean_bin: np.ndarray, box: tuple[int, int, int, int], dpi: float, share: float = 0.12,
            drop_bands: bool = False, speck_mm2: float = ScanSettings.speck_mm2) -> float:
    """Ink in the cell interior in mm^2, counting only blobs above speck size.

    Absolute area, not a share of the cell: a tick is the same size in a
    short row and in a tall one."""
    x0, y0, x1, y1 = _interior(box, dpi, share)
    roi = clean_bin[y0:y1, x0:x1]
    if roi.size == 0:
        return 0.0
    px_mm2 = (dpi / 25.4) ** 2
    n, _, st, _ = cv2.connectedComponentsWithStats((roi > 0).astype(np.uint8), connectivity=8)
    if n <= 1:
        return 0.0
    areas = st[1:, cv2.CC_STAT_AREA].astype(float) / px_mm2
    H, W = roi.shape
    w, h = st[1:, cv2.CC_STAT_WIDTH], st[1:, cv2.CC_STAT_HEIGHT]
    # For marks: bands along the cell's sides are the edge of a shaded area or
    # a ruling's remains, never a tick (a digit "1" in a text cell may look so).
    band = ((w >= 0.8 * W) & (h <= 0.3 * H)) | ((h >= 0.8 * H) & (w <= 0.3 * W))
    if not drop_bands:
        band[:] = False
    return float(areas[(areas >= speck_mm2) & ~band].sum())


def _fill(img: PageImage, box: tuple[int, int, int, int], dpi: float, paper: float) -> float:
    """How much darker or more coloured than paper the cell's interior is (0..255)."""
    x0, y0, x1, y1 = _interior(box, dpi)
    g = img.gray[y0:y1, x0:x1]
    if g.size == 0:
        return 0.0
    dark = paper - float(np.median(g))
    sat = 0.0
    if img.color is not None:
        hsv = cv2.cvtColor(img.color[y0:y1, x0:x1], cv2.COLOR_BGR2HSV)
        sat = float(np.median(hsv[..., 1]))
    return max(dark, sat)


@dataclass
class Cut:
    threshold: float
    gap: float  # size of the jump the cut sits in (0 when none)


def learn_cut(values: Sequence[float], min_jump: float, absolute: float) -> Cut:
    """The first large jump in the sorted values (from the low end).

    A jump is large when it is at least ``min_jump`` and at least a quarter of
    the largest jump. Without one, all values are one class: marked when their
    median is above ``absolute``, else unmarked."""
    v = sorted(values)
    if len(v) < 2:
        return Cut(absolute, 0.0)
    gaps = np.diff(v)
    big = float(gaps.max())
    need = max(min_jump, 0.25 * big)
    for i, gp in enumerate(gaps):
        if gp >= need and v[i + 1] >= absolute * 0.5:
            return Cut((v[i] + v[i + 1]) / 2.0, float(gp))
    med = float(np.median(v))
    return Cut(-1.0 if med > absolute else float("inf"), 0.0)


def decide_marks(g: Grid, cells: list[GridCell], img: PageImage, clean_bin: np.ndarray,
                 others: Sequence[GridCell] = (),
                 s: ScanSettings = ScanSettings()) -> dict[tuple[int, int], tuple[bool, float, str]]:
    """Mark or not, with a confidence, for each month cell, and the cell's
    colour ("#rrggbb") when the fill alone marks it: a colour covers both
    parts of a row split by a page break, a tick only one, and the
    pagination repair must tell them apart as it does on a text layer.
    ``others``: the body rows' text cells; a row whose text cells are shaded
    like its month cells has a shaded background (a section row, zebra
    stripes), so only ink counts there."""
    if not cells:
        return {}
    dpi = img.dpi
    x0, y0, x1, y1 = g.box
    paper = float(np.percentile(img.gray[y0:y1, x0:x1], 95)) if img.gray[y0:y1, x0:x1].size else 255.0
    inks = [ink_mm2(clean_bin, c.box, dpi, 0.0, drop_bands=True, speck_mm2=s.speck_mm2) for c in cells]  # a tick may sit at the top
    fills = [_fill(img, c.box, dpi, paper) for c in cells]
    ink_cut = learn_cut(inks, s.ink_min_jump, s.ink_absolute)
    fill_cut = learn_cut(fills, s.fill_min_jump, s.fill_absolute)
    shaded: dict[int, float] = {}  # row -> its background fill
    if np.isfinite(fill_cut.threshold) and others:
        by_row: dict[int, list[float]] = {}
        for c in others:
            if c.row_span == 1:  # a merged cell's median speaks for its other rows
                by_row.setdefault(c.row, []).append(_fill(img, c.box, dpi, paper))
        shaded = {r: float(np.median(fs)) for r, fs in by_row.items()
                  if sum(f > fill_cut.threshold for f in fs) >= 0.6 * len(fs)}
    out: dict[tuple[int, int], tuple[bool, float, str]] = {}
    for c, ink, fill in zip(cells, inks, fills):
        # In a shaded row a month counts as filled only when clearly darker
        # or more coloured than the row's own background.
        m_fill = fill > fill_cut.threshold and (c.row not in shaded or fill > shaded[c.row] + 2 * s.fill_min_jump)
        # In a filled cell, only a tick's worth of ink is a tick: the fill's
        # speckle would make a colour (on both sides of a page break) a tick
        # (on one), and the pagination repair join two activities.
        m_ink = ink > ink_cut.threshold and (not m_fill or ink >= s.tick_in_fill_mm2)
        mark = m_ink or m_fill
        conf = min(_margin(ink, ink_cut, s.ink_min_jump), _margin(fill, fill_cut, s.fill_min_jump)) if not mark else \
            max(_margin(ink, ink_cut, s.ink_min_jump) if m_ink else 0.0, _margin(fill, fill_cut, s.fill_min_jump) if m_fill else 0.0)
        out[(c.row, c.col)] = (bool(mark), round(conf, 3), _colour(img, c.box, dpi) if m_fill and not m_ink else "")
    return out


def _colour(img: PageImage, box: tuple[int, int, int, int], dpi: float) -> str:
    """The median colour of the cell's interior as "#rrggbb"."""
    x0, y0, x1, y1 = _interior(box, dpi)
    if img.color is None or x1 <= x0 or y1 <= y0:
        v = int(np.median(img.gray[y0:y1, x0:x1])) if img.gray[y0:y1, x0:x1].size else 0
        return f"#{v:02x}{v:02x}{v:02x}"
    b, g, r = (int(np.median(img.color[y0:y1, x0:x1, k])) for k in range(3))
    return f"#{r:02x}{g:02x}{b:02x}"


def _margin(v: float, cut: Cut, min_jump: float) -> float:
    if not np.isfinite(cut.threshold) or cut.threshold < 0:
        return 0.9
    half = max(cut.gap, min_jump) / 2.0
    return float(min(1.0, 0.5 + 0.5 * abs(v - cut.threshold) / half))
