"""Find the lampiran table's header by its text, not its position.

The result is a ``Layout``: for each column role (``no``, ``area``,
``kegiatan``, ``sub``, ``indikator``, ``pj``, ``ket``) and for each month,
the x-range it occupies. Data rows on any page, with or without a repeated
header, are read through the layout by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lampiran.model.interim import Cell, Table
from lampiran.model.text import activity_text
from lampiran.model.vocab import (HEADER_ROLES, MONTH_ABBREVIATIONS, MONTH_GROUP, MONTH_NAMES, MONTHS_IN_ONE_CELL,
                                  ROMAN_MONTHS, header_key)

_MONTH_ALIASES = MONTH_NAMES | MONTH_ABBREVIATIONS | ROMAN_MONTHS


def month_of(text: str) -> int | None:
    t = re.sub(r"[^0-9a-z]", "", text.lower())
    if t.isdigit():
        n = int(t)
        return n if 1 <= n <= 12 else None
    return _MONTH_ALIASES.get(t)


@dataclass
class Layout:
    roles: dict[str, tuple[float, float]]  # role -> x-range
    months: list[tuple[float, float]]  # 12 x-ranges, January first
    header_rows: int  # rows of the defining table taken by the header
    # The defining table's right border. A continuation is held to it, not to
    # the rightmost named column: a last column whose label OCR garbled (a
    # shaded "KET." read "X m 2" at 150 dpi) has no role, and every header-less
    # page after the first was refused, its activities dropped without a word.
    table_right: float
    labels: dict[str, str] = field(default_factory=dict)  # role -> header text as printed
    # Header labels that named no role, with their x-range: their columns'
    # text has no field in an activity (``checks.unnamed_columns`` says so).
    unnamed: list[tuple[str, tuple[float, float]]] = field(default_factory=list)
    # The month columns were taken by their place alone, no label read
    # (``_months_by_place``; ``checks.months_by_place`` says so).
    months_by_place: str = ""

    def role_at(self, x: float) -> str | None:
        for role, (a, b) in self.roles.items():
            if a <= x <= b:
                return role
        return None

    def month_at(self, x: float) -> int | None:
        for i, (a, b) in enumerate(self.months):
            if a <= x <= b:
                return i + 1
        return None

    def matches(self, table: Table, tol: float = 4.0) -> bool:
        """Does ``table`` have this layout's column boundaries (a header-less continuation)?"""
        edges = table.col_edges
        wanted = sorted({round(a, 1) for a, _ in self.roles.values()} | {round(a, 1) for a, _ in self.months})
        return all(any(abs(w - e) <= tol for e in edges) for w in wanted) and abs(edges[-1] - self.table_right) <= tol

    def column_roles(self, table: Table) -> list[str | int | None]:
        """Role (or month number) of each of ``table``'s grid columns, by its centre x."""
        out: list[str | int | None] = []
        for i in range(table.n_cols):
            x = (table.col_edges[i] + table.col_edges[i + 1]) / 2
            out.append(self.month_at(x) or self.role_at(x))
        return out


def _row_cells(grid: list[list[Cell | None]], r: int) -> list[Cell]:
    seen: list[Cell] = []
    for c in grid[r]:
        if c is not None and (not seen or seen[-1] is not c):
            seen.append(c)
    return seen


def _is_column_numbers(cells: list[Cell]) -> bool:
    """The ``1 2 3 ... n`` row under a header: every cell a consecutive
    integer. One cell may carry letters besides its number: a header label
    that overflowed its cell into the row below, as LibreOffice prints a
    Word-made repeated header whose label is too long for its narrow column
    ("N4" under "URAIAN KEGIATA/N"; "KE4GIA" under "URAIA N", an unseen
    variant whose every later page then read the row as an activity: 26
    activities for 14, warned only of a numbering gap). The numbers of every
    column in sequence leave no doubt that the row numbers the columns."""
    texts = [c.text.strip().rstrip(".") for c in cells]
    digits = [re.sub(r"\D", "", t) for t in texts]
    if len(texts) < 4 or not all(digits):
        return False
    impure = [t for t, d in zip(texts, digits) if t != d]
    return (len(impure) <= 1 and all(overflowed_label(t) for t in impure)
            and [int(d) for d in digits] == list(range(int(digits[0]), int(digits[0]) + len(digits))))


def overflowed_label(text: str) -> bool:
    """A number with a header label's overflow around it: letters in capitals
    ("KE4GIA"), or one or two of any case ("N4"); not a word and a number
    ("Nama 4") nor punctuation ("5X)")."""
    m = re.fullmatch(r"([^\W\d_]*)\d+([^\W\d_]*)", text.replace(" ", ""))
    letters = m.group(1) + m.group(2) if m else ""
    return m is not None and (letters.isupper() or len(letters) <= 2)


def find_layout(table: Table, max_header_rows: int = 8) -> Layout | None:
    """The header layout if ``table`` starts with an action-plan header."""
    grid = table.grid()
    for r in range(min(max_header_rows, table.n_rows)):
        cells = _row_cells(grid, r)
        if _is_column_numbers(cells):
            continue
        months = (_month_run(cells) or _months_in_one_cell(cells, table.col_edges)
                  or _months_by_structure(grid, r, table.col_edges))
        by_place = ""
        if months is None and (placed := _months_by_place(grid, r, table.col_edges)):
            by_place, months = placed
        if months is None:
            continue
        roles: dict[str, tuple[float, float]] = {}
        labels: dict[str, str] = {}
        unnamed: list[Cell] = []
        month_x0, month_x1 = months[0][0], months[-1][1]
        for rr in range(0, r + 1):
            for c in _row_cells(grid, rr):
                x0, x1 = c.bbox[0], c.bbox[2]
                if x0 >= month_x0 - 1 and x1 <= month_x1 + 1:
                    continue  # the month group header and the month labels
                if x0 < month_x0 - 1 and x1 > month_x1 + 1:
                    continue  # a title across the whole table ("RENCANA AKSI ..."), not a column's label
                text = header_key(c.text)
                if not text or MONTH_GROUP.search(text) and not any(p.search(text) for _, p in HEADER_ROLES[:-1]):
                    continue
                role = next((r for r, pat in HEADER_ROLES if pat.search(text) and r not in roles), None)
                role = role or _folded_role(text, roles) or _near_role(text, roles)
                if role:
                    roles[role] = (x0, x1)
                    labels[role] = " ".join(c.text.split())
                else:
                    unnamed.append(c)
        if "kegiatan" not in roles and "sub" not in roles:
            continue
        # A cell spanning header rows is met once per row, and named on one.
        named = set(roles.values())
        unnamed = [c for c in {id(c): c for c in unnamed}.values() if (c.bbox[0], c.bbox[2]) not in named]
        _number_column(unnamed, roles, labels)
        _indikator_column(unnamed, roles, labels, month_x0)
        header_rows = r + 1
        # Skip the column-number row right under the header.
        while header_rows < table.n_rows and _is_column_numbers(_row_cells(grid, header_rows)):
            header_rows += 1
        named = set(roles.values())  # again: _number_column and _indikator_column may have named some
        left = [(" ".join(c.text.split()), (c.bbox[0], c.bbox[2])) for c in unnamed if (c.bbox[0], c.bbox[2]) not in named]
        return Layout(roles=roles, months=months, header_rows=header_rows, table_right=table.col_edges[-1],
                      labels=labels, unnamed=left, months_by_place=by_place)
    return None


# The longest label a number column is printed with and still read by its
# place ("NO", "NO."): OCR read a 150 dpi "NO" as "XO".
NUMBER_LABEL_MAX = 3


def _number_column(unnamed: list[Cell], roles: dict[str, tuple[float, float]], labels: dict[str, str]) -> None:
    """A number column whose label OCR misread ("XO" for "NO") named by its
    place: the leftmost column, left of every named one, with a label of a
    few characters."""
    if "no" in roles or not unnamed or not roles:
        return
    c = min(unnamed, key=lambda c: c.bbox[0])
    key = header_key(c.text)
    if c.bbox[2] <= min(a for a, _ in roles.values()) + 1 and 0 < len(key) <= NUMBER_LABEL_MAX:
        roles["no"] = (c.bbox[0], c.bbox[2])
        labels["no"] = " ".join(c.text.split())


# How near a garbled label in the indikator's place must still be to one of
# its words ("OUVIPUTr" for "OUTPUT" at 150 dpi: 0.71 folded; "ANGGARAN" or
# "SASARAN" in that place: at most 0.53).
NEAR_IN_PLACE = 0.65


def _indikator_column(unnamed: list[Cell], roles: dict[str, tuple[float, float]], labels: dict[str, str],
                      month_x0: float) -> None:
    """An indikator column whose label OCR garbled past ``_near_role``, named
    by its place: the one unnamed column between the sub kegiatan and the
    person responsible (or the months), its label still near an indikator
    word."""
    from rapidfuzz import fuzz

    if "indikator" in roles or "sub" not in roles:
        return
    right = roles["pj"][0] if "pj" in roles else month_x0
    between = [c for c in unnamed if c.bbox[0] >= roles["sub"][1] - 1 and c.bbox[2] <= right + 1]
    if len(between) != 1:
        return
    c = between[0]
    folded = header_key(c.text).translate(_OCR_FOLD)
    near = max((fuzz.ratio(w, folded) / 100.0 for role, w in _FOLDED_ROLE_WORDS if role == "indikator"), default=0.0)
    if near >= NEAR_IN_PLACE:
        roles["indikator"] = (c.bbox[0], c.bbox[2])
        labels["indikator"] = " ".join(c.text.split())


# The header words of each role, from its pattern (anchors, look-aheads and
# optional dots taken out): "SUBKEGIATAN", "INDIKATOR", "PENANGGUNG" ...
_ROLE_WORDS = [(role, w) for role, pat in HEADER_ROLES
               for w in (re.sub(r"\(\?[!=<][^)]*\)|\\\.\?|[\^$]", "", part) for part in pat.pattern.split("|"))]
# OCR of a small header ("SUS KEGIATAN", "INDIKATDR") is within one letter in
# ten of the word; short words (NO, PIC, KET) are left to their patterns.
NEAR_HEADER_WORD = 0.85
NEAR_MIN_LEN = 6


# Letters OCR takes for one another in a small bold header, folded to one
# before comparing: a letter's horizontal bars lost at 150 dpi (E read as
# L, I or F: "PLRUBAHAN", "KI GIATAN", "KLBLRHASILAN", "PLLAKSANA"; U, its
# right stem lost, read as L: "SLB KEGINTAN", "PERLBAHAN"), a bowl closed or
# opened (O/D/0, B/8, S/5: "INDIKATDR", "JAWA8").
_OCR_FOLD = str.maketrans("LIFUDQ085", "EEEEOOOBS")


# The role patterns with the same letters folded ("AREA" is still "AREA",
# "KET" still "KET"): a header read "ARLA PERUBAILAN" or "KLT," is matched
# as printed once both sides are folded (a random variant at 150 dpi lost
# its area and keterangan columns so). The patterns hold no escapes a fold
# could change (no \d, \s).
_FOLDED_ROLES = [(role, re.compile(pat.pattern.translate(_OCR_FOLD))) for role, pat in HEADER_ROLES]
_FOLDED_ROLE_WORDS = [(role, w.translate(_OCR_FOLD)) for role, w in _ROLE_WORDS]  # folded once, not per header cell


def _folded_role(key: str, taken: dict[str, tuple[float, float]]) -> str | None:
    """The first free role whose folded pattern matches the folded ``key``."""
    folded = key.translate(_OCR_FOLD)
    return next((r for r, pat in _FOLDED_ROLES if r not in taken and pat.search(folded)), None)


def _near_role(key: str, taken: dict[str, tuple[float, float]]) -> str | None:
    """The free role one of whose header words ``key`` nearly holds (OCR
    slips: "SUSKEGIATAN", "INDIKATDRKEBERHASILAN", "KIGINTAN"), or None,
    the letters OCR confuses folded first (``_OCR_FOLD``). A word longer
    than the key is not looked for in it (a second "KEGIATAN" column is not
    a "SUBKEGIATAN" one)."""
    from rapidfuzz import fuzz

    folded = key.translate(_OCR_FOLD)
    scored = [(fuzz.partial_ratio(w, folded) / 100.0, role) for role, w in _FOLDED_ROLE_WORDS
              if role not in taken and NEAR_MIN_LEN <= len(w) <= len(key) + 1]
    best = max(scored, default=(0.0, None))
    return best[1] if best[0] >= NEAR_HEADER_WORD else None


def _month_run(cells: list[Cell]) -> list[tuple[float, float]] | None:
    """x-ranges of twelve consecutive month labels January..December in a row."""
    seq = [(month_of(c.text), c) for c in cells]
    for i in range(len(seq) - 11):
        if all(seq[i + k][0] == k + 1 for k in range(12)):
            # Numeric labels: the run must not be part of a longer 1..n sequence
            # that starts at the left edge (that is the column-number row).
            if i + 12 < len(seq) and seq[i + 12][0] is None and cells[i].text.strip().isdigit():
                nxt = cells[i + 12].text.strip().rstrip(".")
                if nxt.isdigit() and int(nxt) == 13:
                    continue
            return [(c.bbox[0], c.bbox[2]) for _, c in seq[i : i + 12]]
    return None


# How far the twelve columns' widths may stray from their median: a month grid's are equal.
MONTH_WIDTH_SPREAD = 0.35


def _months_in_one_cell(cells: list[Cell], col_edges: list[float]) -> list[tuple[float, float]] | None:
    """The twelve columns under one header cell whose text lists the months in
    order: the month labels' row merged into the group header's, where a
    scan's ruling between them was not found ("WAKTU PELAKSANAAN Jan Feb Mar
    Apr Mel Ju..." over twelve columns: an unseen Word-made variant at 150 dpi
    read no plan at all, warned only that its ticks were unread)."""
    for c in cells:
        if c.col_span != 12:
            continue
        found = [m for m in (month_of(w) for w in c.text.split()) if m]
        run = [m for i, m in enumerate(found) if i == 0 or m > found[i - 1]]
        if len(set(run)) >= MONTHS_IN_ONE_CELL and (months := _twelve_equal(col_edges, c.col)):
            return months
    return None


def _twelve_equal(col_edges: list[float], first: int) -> list[tuple[float, float]] | None:
    """The x-ranges of the twelve columns from ``first``, if their widths are
    equal (within ``MONTH_WIDTH_SPREAD`` of their median), as a month grid's are."""
    widths = [col_edges[first + k + 1] - col_edges[first + k] for k in range(12)]
    median = sorted(widths)[6]
    if any(abs(w - median) > MONTH_WIDTH_SPREAD * median for w in widths):
        return None
    return [(col_edges[first + k], col_edges[first + k + 1]) for k in range(12)]


def _months_by_structure(grid: list[list[Cell | None]], r: int, col_edges: list[float]) -> list[tuple[float, float]] | None:
    """The twelve equal columns under one header cell that names a schedule
    ("JADWAL", "WAKTU PELAKSANAAN"), their labels in row ``r`` read in part:
    a month grid by its shape, January first, where no label reads as another
    month than its place gives and one at least as its own (a spreadsheet's
    turned month names, 4.6 pt scanned at 200 dpi, read "Maret" and garbage:
    its plan was refused, every activity lost, warned ``months_unread``)."""
    if r == 0:
        return None
    for c in _row_cells(grid, r - 1):
        if c.col_span != 12 or c.row + c.row_span != r or not MONTH_GROUP.search(header_key(c.text)):
            continue
        # Names only: garbage of a turned label reads digits ("€ 2").
        read = [(k, m) for k in range(12) if (cell := grid[r][c.col + k]) is not None and cell.col_span == 1
                and re.search(r"[A-Za-z]{3}", cell.text) and (m := month_of(cell.text))]
        if read and all(m == k + 1 for k, m in read) and (months := _twelve_equal(col_edges, c.col)):
            return months
    return None


def _months_by_place(grid: list[list[Cell | None]], r: int,
                     col_edges: list[float]) -> tuple[str, list[tuple[float, float]]] | None:
    """The twelve equal columns under a header cell of row ``r`` that names a
    schedule, where the row under it opens the first activity (not a row of
    month labels: ``model.text.activity_text``) and its own text names no
    month out of place: the labels' row merged into the schedule's cell, its
    names read as garbage ("JADWAL PELAKSANAAN lan TT", turned names at 150
    dpi: an unseen Word-made variant read no plan, warned ``months_unread``).
    Taken January first, and said (``checks.months_by_place``); returns the
    schedule cell's text too."""
    for c in _row_cells(grid, r):
        if c.col_span != 12 or not MONTH_GROUP.search(header_key(c.text)):
            continue
        found = [m for m in (month_of(w) for w in c.text.split() if len(w) >= 3) if m]
        if found and found != sorted(set(found)):
            continue
        if r + 1 >= len(grid) or not any(
                cell is not None and cell.row == r + 1 and not c.col <= cell.col < c.col + 12
                and activity_text(cell.text, cell.col == 0)
                for cell in grid[r + 1]):
            continue
        if months := _twelve_equal(col_edges, c.col):
            return " ".join(c.text.split()), months
    return None


def describe(table: Table) -> str:
    """A short description of a table's header row, for error messages."""
    grid = table.grid()
    for r in range(min(3, table.n_rows)):
        cells = _row_cells(grid, r)
        head = [" ".join(c.text.split())[:24] for c in cells if c.text.strip()][:6]
        if head and not _is_column_numbers(cells):
            return f"{table.n_cols}-column table ({', '.join(head)})"
    return f"{table.n_cols}-column table"
