"""The digital reader: a page's text layer and rulings to tables of cells."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

import pdfplumber

from lampiran.extract.base import PageResult
from lampiran.extract.grid import GridSettings, GridTable, find_tables, segments_from_edges
from lampiran.extract.lattice import owner_map
from lampiran.extract.pageobjects import PageObjects, from_layout
from lampiran.extract.marks import cell_mark, display_text
from lampiran.extract.orient import upright
from lampiran.extract.heading import name_tables
from lampiran.extract.text import boxed_lines, cell_text, text_lines
from lampiran.model.interim import Cell, Table
from lampiran.model.warnings import notice


@dataclass
class DigitalReader:
    name: str = "digital"
    settings: GridSettings = field(default_factory=GridSettings)

    def read_page(self, pdf: pdfplumber.PDF, page_no: int) -> PageResult:
        page = pdf.pages[page_no - 1]
        try:
            return self.read_objects(from_layout(page), page_no)
        finally:
            # pdfplumber caches parsed objects per page; free them as we go so a
            # 100-page lampiran does not hold every page in memory.
            page.close()

    def read_objects(self, objs: PageObjects, page_no: int) -> PageResult:
        return read_page_objects(objs, page_no, self.settings)


def read_page_objects(objs: PageObjects, page_no: int, settings: GridSettings) -> PageResult:
    objs, turn = upright(objs)
    chars = objs.chars
    segs = segments_from_edges(objs.edges, settings)
    fills = _fills(objs.rects, settings)
    grids = find_tables(segs, settings)
    tables: list[Table] = []
    in_table: set[int] = set()
    cuts: list[tuple[int, int, int]] = []
    for g in grids:
        table, used, table_cuts = _build_table(g, chars, fills, page_no)
        if table is not None:
            cuts += [(len(tables), cell, at) for cell, at in table_cuts]
            tables.append(table)
            in_table |= used
    # Page text (for the SK's facts and lampiran headings): everything outside tables.
    rest = [c for i, c in enumerate(chars) if i not in in_table]
    text = "\n".join(text_lines(rest))
    name_tables(tables, boxed_lines(rest))
    warnings = [notice("turned_page", f"read turned {turn} degrees: its text runs that way")] if turn else []
    unmapped = sum(1 for c in chars if c["text"].startswith("(cid:"))
    if unmapped:
        warnings.append(notice("unmapped_glyphs", f"{unmapped} glyphs have no text mapping; their text reads as (cid:N)"))
    return PageResult(page=page_no, kind="digital", text=text, tables=tables, warnings=warnings, word_cuts=cuts)


Fill = tuple[float, float, float, float, str]  # x0, top, x1, bottom, colour


def _colour(c: Any) -> str:
    """A pdfplumber fill colour as ``#rrggbb``; "" for white, patterns and unknowns."""
    if isinstance(c, (int, float)):
        c = (c,)
    if not isinstance(c, (tuple, list)) or not all(isinstance(v, (int, float)) for v in c):
        return ""
    if len(c) == 1:
        rgb = (c[0],) * 3
    elif len(c) == 3:
        rgb = tuple(c)
    elif len(c) == 4:  # CMYK
        k = c[3]
        rgb = tuple((1 - v) * (1 - k) for v in c[:3])
    else:
        return ""
    if min(rgb) >= 0.97:
        return ""  # white paper, not a mark
    # Half up, as pdfium and viewers round (0.7 -> 179): both object routes
    # then give one colour.
    return "#" + "".join(f"{int(max(0.0, min(1.0, v)) * 255 + 0.5):02x}" for v in rgb)


def _fills(rects: list[dict[str, Any]], settings: GridSettings) -> list[Fill]:
    """Filled areas (cell shading), in painting order; thin rects are rulings."""
    out: list[Fill] = []
    for r in rects:
        if r.get("fill") and r["width"] > settings.max_line_thickness and r["height"] > settings.max_line_thickness:
            colour = _colour(r.get("non_stroking_color"))
            if colour:
                out.append((r["x0"], r["top"], r["x1"], r["bottom"], colour))
    return out


def _cell_fill(bbox: tuple[float, float, float, float], fills: list[Fill]) -> str:
    """The colour painted last over most (60%+) of the cell."""
    x0, top, x1, bottom = bbox
    area = max((x1 - x0) * (bottom - top), 1e-6)
    for fx0, ftop, fx1, fbottom, colour in reversed(fills):
        w = min(x1, fx1) - max(x0, fx0)
        h = min(bottom, fbottom) - max(top, ftop)
        if w > 0 and h > 0 and w * h >= 0.6 * area:
            return colour
    return ""


def _build_table(
    g: GridTable, chars: list[dict[str, Any]], fills: list[Fill], page_no: int
) -> tuple[Table | None, set[int], list[tuple[int, int]]]:
    """Assign chars to the grid's cells by their centre; build cell text and
    marks. Also the (cell index, offset) of each space in a cell's text where
    the cell's width may have cut a word (``text.cell_text``)."""
    owner = owner_map(g.cells, len(g.row_edges) - 1, len(g.col_edges) - 1)
    buckets: list[list[dict[str, Any]]] = [[] for _ in g.cells]
    used: set[int] = set()
    cols, rows = g.col_edges, g.row_edges
    left, right, top, bottom = cols[0], cols[-1], rows[0], rows[-1]
    last_col, last_row = len(cols) - 2, len(rows) - 2
    for idx, ch in enumerate(chars):
        # ``lattice.position_at``, inlined: once per glyph and table
        x, y = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        if left <= x <= right and top <= y <= bottom:
            c = min(max(bisect_right(cols, x) - 1, 0), last_col)
            r = min(max(bisect_right(rows, y) - 1, 0), last_row)
            buckets[owner[r][c]].append(ch)
            used.add(idx)
    cells: list[Cell] = []
    cuts: list[tuple[int, int]] = []
    cut_ends: list[int] = []
    for gc, bucket in zip(g.cells, buckets):
        bbox = (
            g.col_edges[gc.col],
            g.row_edges[gc.row],
            g.col_edges[gc.col + gc.col_span],
            g.row_edges[gc.row + gc.row_span],
        )
        mark = cell_mark(bucket)
        if mark:
            text = "".join(display_text(c) for c in bucket if not c["text"].isspace())
        else:
            text, at, end_cut = cell_text(bucket, bbox[0], bbox[2])
            cuts += [(len(cells), a) for a in at]
            if end_cut:
                cut_ends.append(len(cells))
        cells.append(Cell(page_no, gc.row, gc.col, gc.row_span, gc.col_span, bbox, text, mark, 1.0, _cell_fill(bbox, fills)))
    table = Table(
        page=page_no,
        bbox=g.bbox,
        n_rows=len(g.row_edges) - 1,
        n_cols=len(g.col_edges) - 1,
        col_edges=list(g.col_edges),
        row_edges=list(g.row_edges),
        cells=cells,
        reader="digital",
        cut_ends=cut_ends,
    )
    return table, used, cuts

