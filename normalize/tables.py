"""Logical tables: every ruled lampiran table as a person reads it.

Steps, in order:
1. ``fragments``: tables on consecutive pages are one table when the later
   one starts its page, the earlier one ends its page, and the column layout
   continues (the same column edges, or the same header);
2. ``header``: the header rows (a cell spanning rows or grouping columns
   pulls the rows under it in), the label path of each column
   (``Tahun 2020 / Target``), and the column-number row (``1 2 3 ...`` or
   ``(1) (2) ...``) under it, which is dropped; later fragments that repeat
   the header or the number row lose them too;
3. ``body``: every grid row under the header; a merged cell's value carried to
   every row it spans, and across a page break when one side of the break
   holds the text and the other is the empty rest of the same merged cell;
4. ``repairs``: a row that a page break split is joined (its numbering cell
   empty, or its text a continuation); section rows (one text across the
   row, ``A SEKRETARIAT DAERAH``) are kept and carried into a ``section``
   column; empty rows and columns are dropped (``table_repairs``).
"""

from __future__ import annotations

import functools
import re

from lampiran.model.interim import Cell, Table
from lampiran.model.text import join_lines
from lampiran.model.word_cuts import tables_vocabulary
from lampiran.normalize.header import overflowed_label
from lampiran.normalize.logical import LogicalCell, LogicalRow, LogicalTable
from lampiran.normalize.table_repairs import carry_sections, drop_empty, join_split_rows

MAX_HEADER_ROWS = 5  # a lampiran header runs to 3 rows; more is a table without a header
EDGE_TOLERANCE = 4.0  # points: the same column edge on two pages (1% of the width where that is more)
MIN_FILLED = 0.3  # a "table" with fewer cells holding text is boxes (a letterhead, an org chart)

_NUMBER = re.compile(r"^\(?\s*(\d{1,3})\s*\)?\.?$")  # a column number: 1, (2), 3.
_PLAIN_NO = re.compile(r"^\d{1,4}\.?$")  # an item's own number


def logical_tables(tables: list[Table]) -> list[LogicalTable]:
    """The document's tables, joined across pages and repaired (see the module doc)."""
    out = []
    # Cells whose last line may end in a word their width cut (``Table.cut_ends``):
    # the document's words decide when a split row is joined.
    cut_ends = {id(t.cells[i]) for t in tables for i in t.cut_ends}
    words = functools.cache(lambda: tables_vocabulary(tables))
    for frags in fragments(tables):
        lt = _assemble(frags)
        join_split_rows(lt, cut_ends, words)
        drop_empty(lt)
        carry_sections(lt)
        if lt.rows and _filled_share(frags) >= MIN_FILLED:
            out.append(lt)
    return out


# ---------------------------------------------------------------- 1. fragments


def fragments(tables: list[Table]) -> list[list[Table]]:
    """Tables grouped into logical tables, in document order."""
    first_on_page: dict[int, Table] = {}
    last_on_page: dict[int, Table] = {}
    for t in tables:
        first_on_page.setdefault(t.page, t)
        last_on_page[t.page] = t
    groups: list[list[Table]] = []
    for t in tables:
        prev = groups[-1][-1] if groups else None
        if (
            prev is not None
            and t.page == prev.page + 1
            and first_on_page[t.page] is t
            and last_on_page[prev.page] is prev
            and _layout_continues(groups[-1][0], prev, t)
            and not (t.title and t.title != groups[-1][0].title)
        ):
            groups[-1].append(t)
        else:
            groups.append([t])
    return groups


def _layout_continues(first: Table, prev: Table, t: Table) -> bool:
    """The same columns (by edges or by header), or fewer columns whose edges
    are the first fragment's: a spreadsheet prints no rulings for a column
    that is one merged cell all down the page."""
    for ref in (prev, first):
        if t.n_cols == ref.n_cols and (_edges_match(ref, t) or _same_header(first, t) or _column_numbers(_row(t, 0))):
            return True
    return t.n_cols < first.n_cols and _edges_within(t, first)


def _tolerance(t: Table) -> float:
    return max(EDGE_TOLERANCE, 0.01 * (t.bbox[2] - t.bbox[0]))


def _edges_match(a: Table, b: Table) -> bool:
    tol = _tolerance(a)
    return all(abs(x - y) <= tol for x, y in zip(a.col_edges, b.col_edges))


def _edges_within(t: Table, first: Table) -> bool:
    tol = _tolerance(first)
    return abs(t.col_edges[0] - first.col_edges[0]) <= tol and all(
        any(abs(x - y) <= tol for y in first.col_edges) for x in t.col_edges)


def column_map(t: Table, first: Table) -> list[int | None]:
    """For each logical column (the first fragment's), the column of ``t``
    under its middle; None where ``t`` has no column there."""
    if t is first or t.n_cols == first.n_cols:
        return list(range(first.n_cols))
    out: list[int | None] = []
    for c in range(first.n_cols):
        x = (first.col_edges[c] + first.col_edges[c + 1]) / 2
        out.append(next((j for j in range(t.n_cols) if t.col_edges[j] <= x <= t.col_edges[j + 1]), None))
    return out


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _same_header(first: Table, t: Table) -> bool:
    """``t`` starts with ``first``'s header row: the same labels, one of them
    perhaps cut short or run on (a label too long for its narrow column, whose
    overflow a Word-made repeated header prints differently on each page:
    "URAIA N KEGIA" on the first, "URAIA N" on the next)."""
    mine, theirs = [_norm(c.text) for c in _row(t, 0)], [_norm(c.text) for c in _row(first, 0)]
    if not any(mine) or len(mine) != len(theirs):
        return False
    differ = [(a, b) for a, b in zip(mine, theirs) if a != b]
    return not differ or (len(differ) == 1 and len(mine) >= 4 and all(differ[0])
                          and (differ[0][0].startswith(differ[0][1]) or differ[0][1].startswith(differ[0][0])))


def _row(t: Table, r: int) -> list[Cell]:
    """The distinct cells of grid row ``r``, left to right."""
    if r >= t.n_rows:
        return []
    out: list[Cell] = []
    for c in t.grid()[r]:
        if c is not None and (not out or out[-1] is not c):
            out.append(c)
    return out


# ------------------------------------------------------------------- 2. header


def _column_numbers(cells: list[Cell]) -> bool:
    """The ``1 2 3 ...`` row numbering the columns: consecutive integers (one
    of them may carry a header label's overflow, ``header.overflowed_label``)."""
    texts = [c.text.strip() for c in cells if c.text.strip()]
    nums = [m.group(1) if (m := _NUMBER.match(t)) else "" for t in texts]
    odd = [i for i, n in enumerate(nums) if not n]
    if len(odd) == 1 and len(texts) >= 4 and overflowed_label(texts[odd[0]]):
        nums[odd[0]] = re.sub(r"\D", "", texts[odd[0]])
    if len(nums) < 3 or not all(nums) or len(texts) < 0.6 * len(cells):
        return False
    values = [int(n) for n in nums]
    return values == list(range(values[0], values[0] + len(values)))


def _looks_like_header(cells: list[Cell]) -> bool:
    texts = [c.text.strip() for c in cells if c.text.strip()]
    return bool(texts) and not _column_numbers(cells) and not any(_PLAIN_NO.match(t) for t in texts)


def header_rows(t: Table) -> int:
    """How many rows the header takes: a cell spanning rows pulls them in, and
    a label spanning columns has its sub-labels in the row under it."""
    if not _looks_like_header(_row(t, 0)):
        return 0
    h, grown = 1, True
    while grown and h < min(t.n_rows, MAX_HEADER_ROWS):
        grown = False
        for c in t.cells:
            end = c.row + c.row_span
            # An empty cell, or one running deep into the table, is layout, not a label.
            if c.row >= h or not c.text.strip() or end > MAX_HEADER_ROWS:
                continue
            if end > h or (end == h and _groups_labels(t, c)):
                h, grown = max(end, h + 1), True
                break
    return min(h, t.n_rows)


def _groups_labels(t: Table, c: Cell) -> bool:
    """A one-row label over several columns whose own labels are in the row
    under it (``2018`` over ``Target`` and ``Rp.``)."""
    if c.row_span != 1 or not 1 < c.col_span < t.n_cols:
        return False
    under = {id(x) for x in _row(t, c.row + 1) if c.col <= x.col < c.col + c.col_span}
    return len(under) >= 2


def labels(t: Table, h: int) -> list[str]:
    """Each column's header label path, top to bottom (``2018 / Target``)."""
    grid = t.grid()
    out = []
    for c in range(t.n_cols):
        parts: list[str] = []
        for r in range(h):
            cell = grid[r][c]
            text = " ".join(cell.text.split()) if cell is not None else ""
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        out.append(" / ".join(parts))
    return out


def _body_start(t: Table, first: Table, h_first: int) -> int:
    """Where a fragment's body starts: after its header when it repeats the
    first fragment's, and after a column-number row."""
    r = 0
    if t is first:
        r = h_first
    elif h_first and _same_header(first, t):
        r = header_rows(t)
    while r < t.n_rows and _column_numbers(_row(t, r)):
        r += 1
    return r


# --------------------------------------------------------------------- 3. body


def _assemble(frags: list[Table]) -> LogicalTable:
    first = frags[0]
    h = header_rows(first)
    lt = LogicalTable(frags, labels(first, h) if h else [f"Kolom {i + 1}" for i in range(first.n_cols)])
    runs: list[list[LogicalCell]] = [[] for _ in range(first.n_cols)]  # the merged run each column is in
    for k, t in enumerate(frags):
        grid = t.grid()
        start = _body_start(t, first, h)
        cmap = column_map(t, first)
        for r in range(start, t.n_rows):
            row = LogicalRow([], first_on_page=k > 0 and r == start)
            for c, j in enumerate(cmap):
                if j is None:  # no column drawn here: the rest of a merged cell, or nothing
                    row.cells.append(_absent_cell(runs[c], first, t, r, c))
                    continue
                cell = grid[r][j]
                lc = _logical_cell(cell, t, r, j)
                if cell is not None and cell.col == j and cell.row < r and runs[c]:
                    lc.value = runs[c][0].value  # the rest of a merged cell: its value, joined over pages
                    runs[c].append(lc)
                elif row.first_on_page and cell is not None and cell.col == j and _continues_run(runs[c], cell, frags[k - 1]):
                    _join_run(runs[c], lc)
                else:
                    runs[c] = [lc]
                row.cells.append(lc)
            lt.rows.append(row)
    return lt


def _absent_cell(run: list[LogicalCell], first: Table, t: Table, r: int, c: int) -> LogicalCell:
    box = (first.col_edges[c], t.row_edges[r], first.col_edges[c + 1], t.row_edges[r + 1])
    last = run[-1].source if run else None
    if last is None or not (last.row_span > 1 or len(run) > 1):
        return LogicalCell("", False, t.page, box, 1.0)
    lc = LogicalCell(run[0].value, True, t.page, box, 1.0, last)
    run.append(lc)
    return lc


def _logical_cell(cell: Cell | None, t: Table, r: int, c: int) -> LogicalCell:
    if cell is None:
        box = (t.col_edges[c], t.row_edges[r], t.col_edges[c + 1], t.row_edges[r + 1])
        return LogicalCell("", False, t.page, box, 1.0)
    if cell.col != c:  # a cell spanning columns holds its value in its first column
        return LogicalCell("", False, t.page, cell.bbox, cell.confidence, cell)
    value = cell.text or ("✓" if cell.mark else "")
    return LogicalCell(value, cell.row < r, t.page, cell.bbox, cell.confidence, cell)


def _continues_run(run: list[LogicalCell], cell: Cell, prev: Table) -> bool:
    """Is ``cell`` (top of a page) the rest of the merged cell that ended the
    previous page? One of them spans rows, it reached that page's bottom,
    and one side is empty (Excel prints a merged cell's text once, on the
    page where its middle falls) or the text runs on (lower case)."""
    last = run[-1].source if run else None
    if last is None:
        return False
    spans = last.row_span > 1 or len(run) > 1 or cell.row_span > 1
    at_bottom = run[-1].page == prev.page and abs(run[-1].bbox[3] - prev.row_edges[-1]) < 1.0
    text, before = cell.text.strip(), run[0].value.strip()
    return spans and at_bottom and (not text or not before or text[0].islower())


def _join_run(run: list[LogicalCell], lc: LogicalCell) -> None:
    before = run[0].value
    value = join_lines([before, lc.value]) if before and lc.value else (before or lc.value)
    run.append(lc)
    for i, x in enumerate(run):
        x.value, x.merged = value, i > 0


def _filled_share(frags: list[Table]) -> float:
    cells = [c for t in frags for c in t.cells]
    return sum(1 for c in cells if c.text.strip() or c.mark) / max(len(cells), 1)
