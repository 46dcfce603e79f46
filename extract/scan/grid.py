"""Ruled tables in a page image: rulings -> grid -> cells with spans.

1. Rulings. Morphological opening with long thin kernels keeps horizontal and
   vertical strokes; a short closing first bridges broken or faint lines.
2. Line positions. Each ruling's connected components become segments;
   segments at (nearly) the same y (x) merge, so doubled or thick rules give
   one line.
3. Tables. Connected groups of rulings that contain both directions.
4. Grid. Row edges = the table's horizontal lines, column edges = its
   vertical lines.
5. Spans. Two neighbouring grid cells are one merged cell when the ruling
   between them is absent: little ink along that segment of the line mask.

All coordinates here are pixels of the (upright, deskewed) page image.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import cv2
import numpy as np

from lampiran.extract.lattice import GridCell, cluster, merged_spans
from lampiran.extract.scan.faint_rulings import LONG_RIDGE_CONTRAST, THIN_RULING_COVERAGE, long_ridge, thin_coverage


@dataclass
class Grid:
    box: tuple[int, int, int, int]
    row_edges: list[int]
    col_edges: list[int]
    cells: list[GridCell]
    # ruling presence: h_present[i][c] - is row edge i drawn across column c
    h_present: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), bool))
    v_present: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), bool))

    @property
    def n_rows(self) -> int:
        return len(self.row_edges) - 1

    @property
    def n_cols(self) -> int:
        return len(self.col_edges) - 1


@dataclass
class Rulings:
    horizontal: np.ndarray  # uint8 mask, 255 = ruling ink
    vertical: np.ndarray

    @property
    def both(self) -> np.ndarray:
        return cv2.bitwise_or(self.horizontal, self.vertical)


def find_rulings(binary: np.ndarray, dpi: float) -> Rulings:
    """Horizontal and vertical ruling masks from a binary (ink=255) image.

    Opening with a ~4 mm line kernel keeps only long straight strokes (text
    strokes are shorter); a closing along the line then bridges breaks of up
    to ~1.5 mm in faint or broken rulings."""
    mm = dpi / 25.4
    open_len = max(9, round(4 * mm))
    gap = max(3, round(1.5 * mm))
    h = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (open_len, 1)))
    h = cv2.morphologyEx(h, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    v = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, open_len)))
    v = cv2.morphologyEx(v, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, gap)))
    return Rulings(h, v)


@dataclass
class _Seg:
    pos: float  # y for horizontal, x for vertical (centre)
    a: int  # start along the line
    b: int  # end along the line
    thick: int


def _segments(mask: np.ndarray, horizontal: bool, min_len: int, max_thick: float) -> list[_Seg]:
    """Line segments of a ruling mask. A segment's position is the median of
    its pixels (a glyph touching the line does not shift it); horizontal
    segments thicker than ``max_thick`` are dropped: at low resolution, a line
    of text binarises into a solid bar that survives the opening."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    segs: list[_Seg] = []
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        length, across = (w, h) if horizontal else (h, w)
        if length < min_len or across > max(8, length // 4):
            continue
        ys, xs = np.nonzero(labels[y: y + h, x: x + w] == i)
        # Thickness: the median over the line's length (a fill or a glyph
        # touching part of a ruling does not make it thick). Only horizontal
        # bars come from text; a column line may run along a dark fill.
        if horizontal and float(np.median(np.bincount(xs)[np.bincount(xs) > 0])) > max_thick:
            continue
        if horizontal:
            segs.append(_Seg(y + float(np.median(ys)), int(x), int(x + w), int(h)))
        else:
            segs.append(_Seg(x + float(np.median(xs)), int(y), int(y + h), int(w)))
    return segs


def _coverage(mask: np.ndarray, horizontal: bool, pos: float, a: int, b: int, band: int) -> float:
    """Share of positions a..b along a line at ``pos`` that carry ruling ink (within +-band)."""
    if b <= a:
        return 0.0
    p = round(pos)
    if horizontal:
        strip = mask[max(0, p - band): p + band + 1, a:b]
        if strip.size == 0:
            return 0.0
        return float((strip.max(axis=0) > 0).mean())
    strip = mask[a:b, max(0, p - band): p + band + 1]
    if strip.size == 0:
        return 0.0
    return float((strip.max(axis=1) > 0).mean())


def detect_tables(binary: np.ndarray, dpi: float, rulings: Rulings | None = None,
                  min_rows: int = 2, min_cols: int = 2, gray: np.ndarray | None = None) -> list[Grid]:
    """Ruled tables of a page, top to bottom (``gray``: the page's grey image,
    where a faint row ruling the binary image lost is still found, see
    ``faint_rulings.long_ridge``)."""
    if rulings is None:
        rulings = find_rulings(binary, dpi)
    mm = dpi / 25.4
    min_len = max(12, round(4.5 * mm))
    tol = max(3.0, 1.2 * mm)  # lines closer than ~1.2 mm are one line (double rules)
    band = max(2, round(0.6 * mm))
    max_thick = max(3.0, 0.9 * mm)  # a ruling is thinner than ~0.9 mm on average
    both = rulings.both
    # Tables = connected groups of rulings; dilate a little so a line that
    # stops just short of its neighbour still joins.
    k = max(3, round(1.0 * mm))
    joined = cv2.dilate(both, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    grids: list[Grid] = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if w < 3 * min_len or h < 2 * min_len // 2:
            continue
        region = labels[y: y + h, x: x + w] == i
        hm = np.where(region, rulings.horizontal[y: y + h, x: x + w], 0).astype(np.uint8)
        vm = np.where(region, rulings.vertical[y: y + h, x: x + w], 0).astype(np.uint8)
        # Presence is judged on all ruling ink in the box: the pieces of a
        # ruling broken by a poor scan may lie too far apart to join the
        # table's group (gaps of 8 mm at 150 dpi left one at 47% coverage).
        g = _grid_from_masks(hm, vm, min_len, tol, band, max_thick,
                             (rulings.horizontal[y: y + h, x: x + w], rulings.vertical[y: y + h, x: x + w]),
                             binary[y: y + h, x: x + w], mm, None if gray is None else gray[y: y + h, x: x + w])
        if g is None or g.n_rows < min_rows or g.n_cols < min_cols:
            continue
        # shift to page coordinates
        g.row_edges = [r + y for r in g.row_edges]
        g.col_edges = [c + x for c in g.col_edges]
        g.box = (g.col_edges[0], g.row_edges[0], g.col_edges[-1], g.row_edges[-1])
        for c in g.cells:
            x0, y0, x1, y1 = c.box
            c.box = (x0 + x, y0 + y, x1 + x, y1 + y)
        grids.append(g)
    grids.sort(key=lambda g: (g.box[1], g.box[0]))
    return grids


def _grid_from_masks(hm: np.ndarray, vm: np.ndarray, min_len: int, tol: float, band: int,
                     max_thick: float = 1e9, presence: tuple[np.ndarray, np.ndarray] | None = None,
                     binary: np.ndarray | None = None, mm: float = 0.0, gray: np.ndarray | None = None) -> Grid | None:
    """The grid of one table's ruling masks; ``presence``: the masks that say
    whether each ruling segment is drawn (default: the same masks); with the
    table's ``binary`` image (``mm``: pixels per millimetre), a row ruling
    broken into pieces too short for the masks is found by its thin runs
    (``faint_rulings.thin_coverage``), and with its ``gray`` image, a faint one the
    binarisation lost by its long ridge (``faint_rulings.long_ridge``)."""
    hsegs = _segments(hm, True, min_len, max_thick)
    vsegs = _segments(vm, False, min_len, max_thick)
    if len(hsegs) < 2 or len(vsegs) < 2:
        return None
    # Weighted by length: a long ruling decides the edge, not a short stub beside it.
    rows = cluster([s.pos for s in hsegs], tol, [float(s.b - s.a) for s in hsegs])
    cols = cluster([s.pos for s in vsegs], tol, [float(s.b - s.a) for s in vsegs])
    if len(rows) < 2 or len(cols) < 2:
        return None

    # Keep a line only when it runs the full width of at least one cell of
    # the other direction's lines (text strokes and underlines do not).
    for _ in range(2):
        rows = [r for r in rows if _full_somewhere(hm, True, r, cols, band)] or rows[:0]
        cols = [c for c in cols if _full_somewhere(vm, False, c, rows, band)] or cols[:0]
        if len(rows) < 2 or len(cols) < 2:
            return None
    # Merge edges that are too close to bound a real cell (< ~2 mm).
    rows = _drop_close(rows, 1.6 * tol)
    cols = _drop_close(cols, 1.6 * tol)
    if len(rows) < 2 or len(cols) < 2:
        return None
    ph, pv = presence or (hm, vm)
    h_present, v_present = _presence(rows, cols, ph, pv, band, binary, mm, gray)
    # A column edge drawn in one header row only is a month label set
    # vertically: its letters binarise into a bar along its baseline, centred
    # in the cell, that the closing joins to the rulings above and below
    # ("September" in a Word-made header at 150 dpi split its column in two,
    # and the month grid, 13 columns, was not found: 0 of 8 activities).
    # A real column runs on into the body.
    lone = [j for j in range(1, len(cols) - 1)
            if len(rows) - 1 >= LONE_EDGE_MIN_ROWS and v_present[:, j].sum() == 1 and v_present[:HEADER_BAND_ROWS, j].any()]
    if lone:
        cols = [c for j, c in enumerate(cols) if j not in lone]
        h_present, v_present = _presence(rows, cols, ph, pv, band, binary, mm, gray)
    ri = [round(r) for r in rows]
    ci = [round(c) for c in cols]
    cells = [GridCell(r, c, rs, cs, (ci[c], ri[r], ci[c + cs], ri[r + rs]))
             for r, c, rs, cs in merged_spans(h_present, v_present)]
    return Grid(box=(ci[0], ri[0], ci[-1], ri[-1]), row_edges=ri, col_edges=ci, cells=cells,
                h_present=h_present, v_present=v_present)


LONE_EDGE_MIN_ROWS = 4  # a table this tall has a body a real column runs on into
HEADER_BAND_ROWS = 3  # a lampiran header runs to three rows


def _presence(rows: list[float], cols: list[float], ph: np.ndarray, pv: np.ndarray, band: int,
              binary: np.ndarray | None, mm: float, gray: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Is each row ruling drawn across each column, and each column ruling
    down each row (``h_present[i][c]``, ``v_present[r][j]``)?"""
    nr, nc = len(rows) - 1, len(cols) - 1
    ri = [round(r) for r in rows]
    ci = [round(c) for c in cols]
    # presence of each ruling segment; te: how close a ruling's end must come
    # to the crossing line (~ a ruling's thickness)
    te = max(2, round(band * 0.6))
    h_present = np.array([[_drawn(ph, True, y, ci[c], ci[c + 1], band, te) for c in range(nc)] for y in rows], bool)
    if binary is not None and mm > 0:
        for i, y in enumerate(rows[1:-1], start=1):
            for c in range(nc):
                if h_present[i, c]:
                    continue
                if (thin_coverage(binary, y, ci[c], ci[c + 1], band, mm) >= THIN_RULING_COVERAGE
                        or (gray is not None and long_ridge(gray, y, ci[c], ci[c + 1], band, mm) >= LONG_RIDGE_CONTRAST)):
                    h_present[i, c] = True
    v_present = np.array([[_drawn(pv, False, x, ri[r], ri[r + 1], band, te) for x in cols] for r in range(nr)], bool)
    return h_present, v_present


def _drawn(mask: np.ndarray, horizontal: bool, pos: float, a: int, b: int, band: int, te: int) -> bool:
    """Is the ruling at ``pos`` drawn from crossing ``a`` to crossing ``b``:
    ink along most of it (ends padded off) and touching both crossings?"""
    pad = max(1, (b - a) // 8)
    return (_coverage(mask, horizontal, pos, a + pad, b - pad, band) >= 0.5
            and _touches(mask, horizontal, pos, a, band, te) and _touches(mask, horizontal, pos, b, band, te))


def _touches(mask: np.ndarray, horizontal: bool, pos: float, end: int, band: int, tol_end: int = 3) -> bool:
    """Does the ruling at ``pos`` reach the crossing line at ``end``? A real
    ruling runs from one crossing to the next; a glyph that merged into a
    ruling from one side (a "(" sitting on a column line) stops short."""
    p = round(pos)
    r = tol_end
    if horizontal:
        win = mask[max(0, p - band): p + band + 1, max(0, end - r): end + r + 1]
    else:
        win = mask[max(0, end - r): end + r + 1, max(0, p - band): p + band + 1]
    return bool(win.size) and bool((win > 0).any())


def _full_somewhere(mask: np.ndarray, horizontal: bool, pos: float, cross: list[float], band: int) -> bool:
    """Does the line run the full width of at least one cell, from one crossing
    line to the next? A line of text binarised into a bar (low resolution)
    covers a cell but stops short of its rulings (the cell padding)."""
    te = max(2, round(band * 0.6))
    for a, b in itertools.pairwise(cross):
        a_i, b_i = round(a), round(b)
        pad = max(1, (b_i - a_i) // 10)
        if (b_i - a_i > 2 * pad and _coverage(mask, horizontal, pos, a_i + pad, b_i - pad, band) >= 0.9
                and _touches(mask, horizontal, pos, a_i, band, te) and _touches(mask, horizontal, pos, b_i, band, te)):
            return True
    return False


def _drop_close(edges: list[float], min_gap: float) -> list[float]:
    out = [edges[0]]
    for e in edges[1:]:
        if e - out[-1] < min_gap:
            out[-1] = (out[-1] + e) / 2.0
        else:
            out.append(e)
    return out


def table_ruling_mask(rulings: Rulings, grids: list[Grid], dpi: float, long_mm: float = 25.0) -> np.ndarray:
    """Rulings worth painting out before OCR: those of detected tables, and
    outside them any stroke longer than ``long_mm`` (underlines, frames).
    Shorter "rulings" elsewhere are usually bold text, which must stay; and
    inside a table no long horizontal stroke but its drawn rulings goes: a
    line of small serif text blurred at 150 dpi fills its x-height solidly
    and survives the opening as a bar of up to 35 mm, and painting it out
    cut words out of the middle of a cell ("penandatanganan Piagam" lost in
    a random variant)."""
    both = rulings.both
    out = np.zeros_like(both)
    pad = max(2, round(dpi / 25.4))
    H, W = both.shape
    band = max(2, round(0.8 * dpi / 25.4))
    for g in grids:
        # Only the ruling segments the grid holds as drawn: a glyph merged into
        # a ruling's end (and so into the mask) is not painted out.
        for i, y in enumerate(g.row_edges):
            for c in range(g.n_cols):
                if g.h_present[i, c]:
                    ys, ye = max(0, y - band), min(H, y + band + 1)
                    xs, xe = max(0, g.col_edges[c] - pad), min(W, g.col_edges[c + 1] + pad + 1)
                    out[ys:ye, xs:xe] |= rulings.horizontal[ys:ye, xs:xe]
        for j, x in enumerate(g.col_edges):
            for r in range(g.n_rows):
                if g.v_present[r, j]:
                    xs, xe = max(0, x - band), min(W, x + band + 1)
                    ys, ye = max(0, g.row_edges[r] - pad), min(H, g.row_edges[r + 1] + pad + 1)
                    out[ys:ye, xs:xe] |= rulings.vertical[ys:ye, xs:xe]
    min_len = long_mm * dpi / 25.4
    inside = np.zeros_like(both, bool)
    for g in grids:
        x0, y0, x1, y1 = g.box
        inside[y0 + band + 1: y1 - band, x0 + band + 1: x1 - band] = True
    for mask, horizontal in ((rulings.horizontal, True), (rulings.vertical, False)):
        _n, lab, st, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        length = st[:, cv2.CC_STAT_WIDTH] if horizontal else st[:, cv2.CC_STAT_HEIGHT]
        keep = length >= min_len
        keep[0] = False
        # A long vertical stroke inside a table is a ruling, even where the
        # grid holds it undrawn (its "|" read between "Jul" and "Agu" put a
        # letter into a month label): only text makes long horizontal bars.
        out[keep[lab] & ~inside if horizontal else keep[lab]] = 255
    return out
