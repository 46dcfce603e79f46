"""Where the month grid and the header are in a scanned table.

The month columns are found from geometry (a run of narrow columns of equal
width), the header rows from what the page pass read in them.
"""

from __future__ import annotations

import bisect
import re

import numpy as np

from lampiran.extract.lattice import GridCell
from lampiran.extract.scan.grid import Grid
from lampiran.extract.scan.ocr import Word
from lampiran.extract.scan.repair import column_offset
from lampiran.extract.scan.settings import ScanSettings
from lampiran.model.text import activity_text
from lampiran.model.vocab import MONTH_TOKEN, MONTHS_IN_ONE_CELL

_COLNUM = re.compile(r"^\(?\d{1,2}\)?$")  # a column-number cell: 1, (2), 18


def is_tall(box: tuple[int, int, int, int], ratio: float) -> bool:
    """Is the cell ``ratio`` times taller than wide (text set vertically)?"""
    return (box[3] - box[1]) > ratio * (box[2] - box[0])


# ----------------------------------------------------------- mark columns

def mark_columns(g: Grid, s: ScanSettings = ScanSettings()) -> list[int]:
    """The month columns: a run of >= ``min_month_columns`` narrow columns of near-equal width.

    When a header cell spans exactly a sub-run of them ("PELAKSANAAN (BULAN)"),
    its span wins (so a narrow KET column next to the months stays text)."""
    widths = np.diff(g.col_edges).astype(float)
    n = len(widths)
    if n < 5:
        return []
    best: tuple[int, int] = (0, 0)
    i = 0
    while i < n:
        j = i + 1
        while j < n:
            run = widths[i: j + 1]
            med = float(np.median(run))
            if np.all(np.abs(run - med) <= s.month_width_spread * med):
                j += 1
            else:
                break
        if j - i > best[1] - best[0]:
            best = (i, j)
        i += 1
    a, b = best
    if b - a < s.min_month_columns:
        return []
    run_med = float(np.median(widths[a:b]))
    others = np.concatenate([widths[:a], widths[b:]])
    table_w = float(widths.sum())
    if others.size and run_med > s.month_narrow_share * float(np.median(others)) and run_med > s.month_table_share * table_w:
        return []
    cols = list(range(a, b))
    # A header cell spanning enough of these columns fixes the exact set.
    spans = [gc for gc in g.cells if gc.col_span >= 2 and gc.col >= a and gc.col + gc.col_span <= b and gc.row <= 2]
    if spans:
        top = max(spans, key=lambda gc: gc.col_span)
        same = [gc for gc in spans if gc.row == top.row]
        c0 = min(gc.col for gc in same)
        c1 = max(gc.col + gc.col_span for gc in same)
        if c1 - c0 >= s.min_month_columns:
            cols = list(range(c0, c1))
    return cols


def header_rows(g: Grid, mark_cols: list[int], cell_words: list[list[Word]], s: ScanSettings = ScanSettings()) -> set[int]:
    """Rows whose month cells hold header text (PELAKSANAAN, 1..12, JAN..DES)."""
    header: set[int] = set()
    lo, hi = mark_cols[0], mark_cols[-1]
    # A spanning cell with words near the top ("PELAKSANAAN (BULAN)", "JADWAL")
    # marks a header band: it and the row of month labels under it. (A body
    # row may merge month cells into one filled bar: that has no words.)
    for i, gc in enumerate(g.cells):
        if not (gc.col_span >= 2 and gc.col >= lo and gc.col + gc.col_span - 1 <= hi):
            continue
        if gc.row <= 2 and any(sum(ch.isalpha() for ch in w.text) >= 3 for w in cell_words[i]):
            last = gc.row + gc.row_span - 1
            # Unless the labels are in it (the ruling under the group header
            # lost: "WAKTU PELAKSANAAN Jan Feb ... Des" in one cell), the row
            # under it holds them; else that row is the first activity's (an
            # unseen Word-made variant at 150 dpi lost that activity's months).
            # So are labels merged over some month columns ("Apr Mel jun jul
            # Agu Sep" over six, their rulings lost: a spreadsheet scanned at
            # 200 dpi then lost its first activity's months, unwarned).
            names = sum(1 for w in cell_words[i] if w.text.isalpha() and MONTH_TOKEN.match(w.text))
            labels = names >= min(MONTHS_IN_ONE_CELL, max(2, (gc.col_span + 1) // 2))
            header |= set(range(last + (1 if labels or _activity_row(g, cell_words, last + 1, lo, hi) else 2)))
    # Rows where most month cells carry distinct month/number tokens.
    by_row: dict[int, list[str]] = {}
    for i, gc in enumerate(g.cells):
        if gc.col < lo or gc.col > hi or gc.col_span != 1:
            continue
        toks = [w.text for w in cell_words[i] if w.conf >= s.header_token_conf]
        tok = " ".join(toks).strip()
        if tok and MONTH_TOKEN.match(tok):
            by_row.setdefault(gc.row, []).append(tok.lower())
    need = max(3, len(mark_cols) // 2)
    for r, toks in by_row.items():
        if len(set(toks)) >= need:
            header.add(r)
    # The column-number row ("1 2 3 ... 18"): its text cells hold only
    # numbers, or most of its cells count the columns, of all its cells or of
    # its text cells (at 150 dpi a "5" read "s", a "19" read "wa wo", the
    # small digits in the month cells read as "~", "@", "ro": left a body
    # row, its month cells were decided as marks by their ink).
    texts: dict[int, list[str]] = {}
    numbers: dict[int, list[tuple[int, str]]] = {}
    outside: dict[int, list[tuple[int, str]]] = {}
    for i, gc in enumerate(g.cells):
        if gc.row_span != 1:
            continue
        t = " ".join(w.text for w in cell_words[i]).strip()
        if gc.col_span == 1:
            numbers.setdefault(gc.row, []).append((gc.col, t))
        if t and not lo <= gc.col <= hi:
            texts.setdefault(gc.row, []).append(t)
            if gc.col_span == 1:
                outside.setdefault(gc.row, []).append((gc.col, t))
    for r, ts in texts.items():
        if len(ts) >= 2 and all(_COLNUM.match(t) for t in ts):
            header.add(r)
    header |= {r for rows in (numbers, outside) for r, row in rows.items() if column_offset(row) is not None}
    return {r for r in header if r < g.n_rows}


def _activity_row(g: Grid, cell_words: list[list[Word]], r: int, lo: int, hi: int) -> bool:
    """Does row ``r`` open with an activity's cells beside the month columns
    ``lo..hi``, starting in that row (``model.text.activity_text``)? The
    labels' row under a schedule's header has none (the other columns'
    labels span both header rows). An unseen Word-made variant
    at 150 dpi had its turned month labels merged into "JADWAL PELAKSANAAN"
    and read as garbage ("lan TT Mar App"): its first activity's row was
    taken for the labels' row, and its months read as text (one lost)."""
    for i, gc in enumerate(g.cells):
        if gc.row != r or lo <= gc.col <= hi:
            continue
        if activity_text(" ".join(w.text for w in cell_words[i]), gc.col == 0):
            return True
    return False


def split_label_cells(g: Grid, words: list[list[Word]], mark_cols: list[int],
                      rows: set[int]) -> tuple[list[GridCell], list[list[Word]]]:
    """A month-label cell drawn over two or more month columns because a short
    ruling between them was lost ("Jul Agu" over July and August, a 150 dpi
    scan of a spreadsheet) is split into one cell per column, when each of
    its columns holds a month label by its words' centres. Only cells of the
    header ``rows``; returns the grid's cells and their words."""
    lo, hi = mark_cols[0], mark_cols[-1]
    cells: list[GridCell] = []
    out: list[list[Word]] = []
    for gc, ws in zip(g.cells, words):
        if ws and gc.row in rows and gc.row_span == 1 and gc.col_span >= 2 and lo <= gc.col and gc.col + gc.col_span - 1 <= hi:
            groups: list[list[Word]] = [[] for _ in range(gc.col_span)]
            for w in ws:
                j = bisect.bisect_right(g.col_edges, (w.bbox_px[0] + w.bbox_px[2]) / 2.0) - 1 - gc.col
                groups[min(max(j, 0), gc.col_span - 1)].append(w)
            if all(grp and MONTH_TOKEN.match(" ".join(w.text for w in grp)) for grp in groups):
                for j, grp in enumerate(groups):
                    c = gc.col + j
                    cells.append(GridCell(gc.row, c, 1, 1, (g.col_edges[c], gc.box[1], g.col_edges[c + 1], gc.box[3])))
                    out.append(grp)
                continue
        cells.append(gc)
        out.append(ws)
    return cells, out
