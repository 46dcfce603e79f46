"""Lampiran tables (cells on pages) to activities: undo what pagination broke.

Steps, in order:
1. find the header layout by text; tables on later pages either repeat it
   (dropped) or match its column boundaries (a header-less continuation);
2. cut each table's data rows into *bands*: grid rows bound together by a
   cell that spans them in an activity-level column (sub kegiatan, indikator,
   PJ, KET, months); area/kegiatan/NO cells may span many bands;
3. carry merged area and kegiatan cells to every band they span, across
   pages, and append a merged cell's text that overflowed onto the next page;
4. join the first band of a page to the last band of the previous page when
   a page break split that row;
5. number the activities in document order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lampiran.model.interim import BBox, Cell, Document, Table
from lampiran.model.text import join_lines
from lampiran.model.warnings import notice
from lampiran.model.word_cuts import Vocabulary, join_cut, tables_vocabulary, unsure
from lampiran.normalize.checks import months_by_place, numbering, numbers_only, unnamed_columns
from lampiran.normalize.header import Layout, find_layout
from lampiran.normalize.marks import is_mark, learn_mark
from lampiran.normalize.numbering import BARE_NO, number_kegiatan
from lampiran.normalize.split_rows import continues, next_leading_item

ACTIVITY_ROLES = ("sub", "indikator", "pj", "ket")
# "1." and "2)" as printed; "1," and "1:" as OCR reads a small dot.
_LEADING_NO = re.compile(r"^\s*(\d{1,3})\s*[.),:]\s*(.*)$", re.S)


def split_no(text: str) -> tuple[str, str]:
    """``"1. Manajemen Perubahan"`` -> ``("1", "Manajemen Perubahan")``."""
    m = _LEADING_NO.match(text)
    if m and m.group(2):
        return m.group(1), m.group(2).strip()
    return "", text.strip()


def clean_no(text: str) -> str:
    return text.strip().rstrip(".)").strip()


@dataclass
class Group:
    """A merged area or kegiatan cell, possibly continued over pages."""

    no: str
    text: str
    numbered: bool  # its printed text carried a leading number
    opened_empty: bool = False  # a merged cell that opened with no text (its text expected further down)


@dataclass
class Activity:
    area: Group
    kegiatan: Group
    texts: dict[str, str]
    months: set[int]
    tick_months: set[int]
    page_first: int
    page_last: int
    # Where each month was read: the first cell that marked it (page, bbox).
    mark_boxes: dict[int, tuple[int, BBox]] = field(default_factory=dict)
    cut_end: frozenset[str] = frozenset()  # as its last band's (``Band.cut_end``)


@dataclass
class Band:
    page: int
    rows: tuple[int, int]  # first, last grid row
    no: Cell | None
    area: Cell | None
    kegiatan: Cell | None
    texts: dict[str, str]
    months: set[int]  # planned: a tick, or a colour the row's text cells do not share
    tick_months: set[int]  # planned by a tick glyph or ink (not by colour)
    at_bottom: bool = False  # the band ends on the table's last row
    mark_cells: int = 0  # month cells holding a mark (more than 12 is implausible)
    mark_boxes: dict[int, tuple[int, BBox]] = field(default_factory=dict)  # month -> (page, bbox) of its cell
    cut_end: frozenset[str] = frozenset()  # roles whose text may end in a word its cell's width cut

    @property
    def has_text(self) -> bool:
        return any(self.texts.values())


@dataclass
class Assembly:
    activities: list[Activity] = field(default_factory=list)
    layout: Layout | None = None
    warnings: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)  # the document's tables read as the plan
    # The document's words, counted at the first word cut over a page break (``_join_split_row``).
    vocab: Vocabulary | None = None


class NoPlanTable(Exception):
    """The document has no action-plan table; the message says what it has."""




def _cells_in(grid: list[list[Cell | None]], rows: range, cols: list[int]) -> list[Cell]:
    seen: list[Cell] = []
    ids: set[int] = set()
    for r in rows:
        for c in cols:
            cell = grid[r][c]
            if cell is not None and id(cell) not in ids:
                ids.add(id(cell))
                seen.append(cell)
    seen.sort(key=lambda c: (c.row, c.col))
    return seen


def bands(table: Table, layout: Layout, start_row: int, glyph: str | None = None) -> list[Band]:
    """``glyph``: the table's own mark where it uses one (see ``marks.learn_mark``)."""
    grid = table.grid()
    roles = layout.column_roles(table)
    cols_of: dict[str | int, list[int]] = {}
    for i, r in enumerate(roles):
        if r is not None:
            cols_of.setdefault(r, []).append(i)
    activity_cols = [i for i, r in enumerate(roles) if r in ACTIVITY_ROLES or isinstance(r, int)]

    cut_ends = {id(table.cells[i]) for i in table.cut_ends}
    # Rows r and r+1 are one band when an activity-level cell spans both.
    out: list[Band] = []
    r = start_row
    while r < table.n_rows:
        end = r
        k = r
        while k <= end:
            for c in activity_cols:
                cell = grid[k][c]
                if cell is not None:
                    end = max(end, cell.row + cell.row_span - 1)
            k += 1
        rows = range(r, end + 1)
        filled = {role: [c for c in _cells_in(grid, rows, cols_of.get(role, [])) if c.text.strip()]
                  for role in ACTIVITY_ROLES}
        texts = {role: join_lines(c.text for c in cs) for role, cs in filled.items()}
        # A colour marks a month only where the row's own text cells lack it:
        # a shaded row is emphasis, not twelve planned months.
        row_fills = {c.fill for role in ACTIVITY_ROLES for c in _cells_in(grid, rows, cols_of.get(role, []))}
        marked = [(m, cell) for m in range(1, 13) for cell in _cells_in(grid, rows, cols_of.get(m, [])) if is_mark(cell, glyph)]
        # A scan's month marked by its fill alone carries that colour and no
        # text: planned by colour, not a tick (see ``split_rows.continues``).
        ticks = {m for m, cell in marked if cell.text.strip() or not cell.fill}
        coloured_cells = [(m, cell) for m in range(1, 13) for cell in _cells_in(grid, rows, cols_of.get(m, []))
                          if cell.fill and cell.fill not in row_fills]
        coloured = {m for m, _ in coloured_cells}
        boxes: dict[int, tuple[int, BBox]] = {}
        for m, cell in marked + coloured_cells:
            boxes.setdefault(m, (cell.page, cell.bbox))

        def first(role: str) -> Cell | None:
            cs = cols_of.get(role)
            return grid[r][cs[0]] if cs else None

        out.append(Band(table.page, (r, end), first("no"), first("area"), first("kegiatan"), texts, ticks | coloured, ticks,
                        at_bottom=end == table.n_rows - 1, mark_cells=len({id(c) for _, c in marked}), mark_boxes=boxes,
                        cut_end=frozenset(role for role, cs in filled.items() if cs and id(cs[-1]) in cut_ends)))
        r = end + 1
    return out


def _echoes_header(band: Band, layout: Layout) -> bool:
    """A band that repeats the header's labels, or the column-number row."""
    def norm(t: str) -> str:
        return re.sub(r"[^A-Z]", "", t.upper())

    texts = {**band.texts, "area": band.area.text if band.area else "", "kegiatan": band.kegiatan.text if band.kegiatan else ""}
    same = sum(1 for role, label in layout.labels.items() if texts.get(role) and norm(texts[role]) == norm(label))
    if same >= 2:
        return True
    values = [v for v in band.texts.values() if v]
    return bool(values) and all(v.strip().isdigit() for v in values) and not band.months and len(values) >= 2


def _starts_here(cell: Cell | None, band: Band) -> bool:
    return cell is not None and cell.row == band.rows[0] and bool(cell.text.strip())


def _overflow(text: str, numbered: bool) -> bool:
    """Is ``text`` at the top of a page the rest of the previous merged cell?"""
    t = text.strip()
    if numbered:  # the next number opens a new kegiatan, with its dot or without
        return not (_LEADING_NO.match(t) or BARE_NO.match(t))
    return bool(t) and (t[0].islower() or t[0] in ",;:)-")


PlanTable = tuple[Table, Layout, int]  # a table of the plan, its header layout, its first body row


def plan_tables(doc: Document, warnings: list[str]) -> list[PlanTable]:
    """The tables that hold the action plan: those that start with its header,
    and header-less continuations with the same column boundaries."""
    out: list[PlanTable] = []
    layout: Layout | None = None
    for table in doc.tables:
        found = find_layout(table)
        if found is not None:
            if out and table.page == out[-1][0].page:
                warnings.append(notice("second_plan_table", "a second plan table on the same page; read as a continuation", table.page))
            # A repeated header over the same columns keeps the first header's
            # reading: a label garbled on a later page (Calc prints a merged
            # cell's text over the repeated header) must not lose its column.
            if layout is None or not layout.matches(table):
                layout = found
            out.append((table, layout, found.header_rows))
        elif layout is not None and layout.matches(table):
            out.append((table, layout, 0))
    return out


def assemble(doc: Document) -> Assembly:
    asm = Assembly()
    area: Group | None = None
    keg: Group | None = None
    prev_table: Table | None = None
    tables = plan_tables(doc, asm.warnings)
    asm.tables = [t for t, _, _ in tables]
    glyph = learn_mark(tables, asm.warnings)
    for table, layout, start in tables:
        asm.layout = asm.layout or layout
        continuation = prev_table is not None and table.page > prev_table.page and prev_table.touches_page_bottom
        new_page = prev_table is not None and table.page > prev_table.page
        for i, band in enumerate(bands(table, layout, start, glyph)):
            top_of_page = continuation and i == 0
            # Merged area and kegiatan cells run on over a page break wherever
            # the page ended (a spreadsheet breaks pages at set rows).
            area, keg = _carry_groups(band, new_page and i == 0, area, keg)
            prev = asm.activities[-1] if asm.activities else None
            if top_of_page and prev is not None and prev.kegiatan is keg and continues(
                    prev.texts, band.texts, prev.tick_months, band.tick_months,
                    prev.months - prev.tick_months, band.months - band.tick_months):
                _join_split_row(prev, band, doc, asm)
                continue
            if _echoes_header(band, layout):
                continue  # a repeated header that find_layout did not take as one
            if band.mark_cells > 12:
                asm.warnings.append(notice("too_many_marks", f"a row with {band.mark_cells} marks", band.page))
            if not band.has_text:
                if band.months:
                    asm.warnings.append(notice("marks_without_text", "months marked on a row with no text; ignored", band.page))
                continue
            asm.activities.append(Activity(area, keg, dict(band.texts), set(band.months), set(band.tick_months), band.page,
                                           band.page, dict(band.mark_boxes), band.cut_end))
        prev_table = table
    if asm.layout is None:
        raise NoPlanTable(_no_plan_reason(doc))
    _fill_unfilled(asm.activities, asm.warnings)
    number_kegiatan(asm.activities, scanned=doc.kind != "digital")
    asm.warnings += (numbering(asm.activities) + numbers_only(asm.activities) + unnamed_columns(tables)
                     + months_by_place(tables))
    return asm


def _join_split_row(prev: Activity, band: Band, doc: Document, asm: Assembly) -> None:
    """The first band atop a page joined to the activity above the break."""
    for role in ACTIVITY_ROLES:
        if band.texts[role] and role in prev.cut_end:
            # A word cut at the cell's edge on the row's last line before the break.
            asm.vocab = asm.vocab or tables_vocabulary(doc.tables)
            prev.texts[role], doubt = join_cut(prev.texts[role], band.texts[role], asm.vocab)
            if doubt:
                asm.warnings.append(unsure(doubt, band.page))
        elif band.texts[role]:
            prev.texts[role] = join_lines([prev.texts[role], band.texts[role]])
    prev.cut_end = band.cut_end
    # In a scan a month cell's ink may be a fill, not a tick, and fills say
    # nothing about a split (a scan joined an activity so); on a text layer
    # ticks are glyphs, and a cell's items "1. ... 2. ..." split at the break
    # join rightly (the sample).
    if doc.kind != "digital" and next_leading_item(prev.texts["sub"], band.texts["sub"]):
        asm.warnings.append(notice("uncertain_join", "the first row was joined to the row above the page break by "
                                   "its ticks, though it opens with the next item of that row's numbering: it may "
                                   "be an activity of its own", band.page))
    prev.months |= band.months
    prev.tick_months |= band.tick_months
    prev.mark_boxes = {**band.mark_boxes, **prev.mark_boxes}
    prev.page_last = band.page


def _fill_unfilled(activities: list[Activity], warnings: list[str]) -> None:
    """An area or kegiatan cell that opened empty at a page bottom and was
    never filled: the group above goes on, and it is said. A spreadsheet's
    merged range prints its text further down, on the next page; where no
    text comes (a Word table whose last row has no cells under the merged
    ones: a random Word-made variant gave its last activity no area and no
    kegiatan, unwarned), the row belongs with the one above it."""
    told: set[int] = set()
    for prev, a in zip(activities, activities[1:]):
        for role in ("area", "kegiatan"):
            group, above = getattr(a, role), getattr(prev, role)
            if group.opened_empty and not group.text and not group.no and (above.text or above.no):
                setattr(a, role, above)
                if id(group) not in told:
                    told.add(id(group))
                    warnings.append(notice("group_unfilled", f"the {role} cell of a row opened empty and no text "
                                           "came for it: taken from the row above", a.page_first))


def _carry_groups(band: Band, top_of_page: bool, area: Group | None, keg: Group | None) -> tuple[Group, Group]:
    """The band's area and kegiatan: new, continued (merged from above or from
    the previous page), or the previous one's text overflowing onto this page.

    A merged cell that opens empty is a group whose text is printed further
    down: a spreadsheet prints a merged range's text once, in its middle,
    which may be on the next page. Its text, met at the top of that page,
    fills the group for every activity it already holds."""
    no_text = band.no.text if band.no is not None and band.no.row == band.rows[0] else ""
    # Atop a page, a number other than the area's own opens the next area, its
    # merged cell's text printed on a later page (a spreadsheet variant's
    # "3." stood alone atop page 2, "Penguatan Pengawasan" atop page 3, and
    # the two areas' texts were read as one, unwarned).
    another = top_of_page and area is not None and bool(area.no) and clean_no(no_text) not in ("", area.no)
    if _starts_here(band.area, band) or (_starts_here(band.no, band) and (not top_of_page or another)):
        text = band.area.text if band.area is not None and band.area.row == band.rows[0] else ""
        if top_of_page and area is not None and not no_text.strip() and (
                not area.text or _overflow(text, area.numbered or bool(area.no))):
            area.text = join_lines([area.text, text])
        else:
            n, t = split_no(text)
            area = Group(clean_no(no_text) or n, t, bool(n), opened_empty=not t)
            keg = None
    elif not top_of_page and _opens_empty(band.area, band):
        area, keg = Group("", "", False, opened_empty=True), None
    if _starts_here(band.kegiatan, band):
        text = band.kegiatan.text
        if top_of_page and keg is not None and not keg.text:
            keg.no, keg.text = split_no(text)
            keg.numbered = bool(keg.no)
        # A kegiatan whose dot a scan lost ("1 Pelaksanaan pengendalian") is
        # numbered too: an unnumbered text atop the next page is its overflow
        # ("Gratifikasi KPU"), not a new kegiatan (a 150 dpi variant split
        # one activity in two so).
        elif top_of_page and keg is not None and _overflow(text, keg.numbered or bool(BARE_NO.match(keg.text))):
            keg.text = join_lines([keg.text, text])
        else:
            n, t = split_no(text)
            keg = Group(n, t, bool(n))
    elif not top_of_page and _opens_empty(band.kegiatan, band):
        keg = Group("", "", False, opened_empty=True)
    return area or Group("", "", False), keg or Group("", "", False)


def _opens_empty(cell: Cell | None, band: Band) -> bool:
    """An empty cell that opens on this band and runs on (merged, or to the page bottom)."""
    return (cell is not None and cell.row == band.rows[0] and not cell.text.strip()
            and (cell.row_span > 1 or band.at_bottom))


def _no_plan_reason(doc: Document) -> str:
    from lampiran.normalize.header import describe

    if not doc.tables:
        if any(k == "scanned" for k in doc.page_kinds) and not any(k == "digital" for k in doc.page_kinds):
            return "no lampiran table found (no ruled table detected on the scanned pages)"
        return "no lampiran table found (no ruled table in the document)"
    # The widest table, first in the document: its header says what it is.
    biggest = max(doc.tables, key=lambda t: (t.n_cols, -t.page))
    return f"no action-plan table with a 12-month grid found (largest table: {describe(biggest)} on page {biggest.page})"
