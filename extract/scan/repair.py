"""OCR text repairs that the table's own structure makes safe: the
column-number row is an arithmetic sequence, the month labels a closed,
ordered set, a numbering's dot read as a comma, its "1." read as a letter."""

from __future__ import annotations

import re

from lampiran.model.interim import Cell
from lampiran.model.vocab import BULAN, BULAN_ABBR

_NUMBER_CELL = re.compile(r"^\(?(\d{1,2})\)?$")
_NUM_COMMA = re.compile(r"^(\d{1,3}),$")  # a numbering "1." read as "1," at low resolution


def numbering_dot(text: str) -> str:
    """A cell reading "1," is the numbering "1." with its dot read as a comma."""
    return _NUM_COMMA.sub(r"\1.", text)


# A cell's leading "1." read as a letter or a bare digit at low resolution:
# "L Perencanaan", "l Tersedianya", "I. Adanya", "| Penetapan", "1 Persentase".
_ONE_MISREAD = re.compile(r"^(?:[LlI|\]]\.?|1)\s+(?=[A-Z])")
_NUMBERED = re.compile(r"^\d{1,2}\.\s")
_LATER_TWO = re.compile(r"(?:^|\s)2\.?\s+[A-Z]")  # "2." or, its dot lost, "2" before a capital
_BARE_NUMBER = re.compile(r"^(\d{1,2})\s+(?=[A-Z])")  # "2 Penguatan": a numbering whose dot was lost


def repair_enumeration(cells: list[Cell]) -> None:
    """A numbered item "1." that OCR read as ``L``, ``l``, ``I``, ``|`` or a bare
    ``1`` is set back to "1." where the structure says it is a numbering:
    the same cell goes on to a "2." item, or its column is numbered (another
    cell starts with "N.", or three cells start with a bare number, 1 and 2
    among them, or it goes on to a "2" whose dot was lost). In a numbered
    column a bare "2 Penguatan" gets its dot back too, and so do the later
    items inside a cell (``_later_items``): the dot decides whether text at
    the top of the next page continues the cell. Measured at 150 dpi: 12 of 67 kegiatan cells of the seed plan
    began "L " for "1."; docx_kominfo gave 21 activities for 20 without the
    dots."""
    by_col: dict[int, list[Cell]] = {}
    for c in cells:
        if not c.mark and c.text:
            by_col.setdefault(c.col, []).append(c)
    for col_cells in by_col.values():
        bare = [int(m.group(1)) for c in col_cells if (m := _BARE_NUMBER.match(c.text))]
        numbered = any(_NUMBERED.match(c.text) for c in col_cells) or (len(bare) >= 3 and {1, 2} <= set(bare))
        for c in col_cells:
            m = _ONE_MISREAD.match(c.text)
            if m and (numbered or _LATER_TWO.search(c.text, m.end())):
                c.text = "1. " + c.text[m.end():]
                c.confidence = min(c.confidence, 0.6)
            elif numbered and (m := _BARE_NUMBER.match(c.text)):
                c.text = f"{m.group(1)}. " + c.text[m.end():]
                c.confidence = min(c.confidence, 0.6)
            items = _later_items(c.text)
            if items != c.text:
                c.text, c.confidence = items, min(c.confidence, 0.6)


def _later_items(text: str) -> str:
    """In a cell that starts "1. ", the later items 2, 3 ... in sequence get
    a dot OCR lost ("1. Terisinya aplikasi 2 Data e-Lapkin": a random
    variant at 150 dpi). Only the next number in the sequence counts, before
    a capital: "1. Jumlah 12 Bulan" stays."""
    if not text.startswith("1. "):
        return text
    k, pos = 2, 3
    while m := re.compile(rf"(?<=\s){k}(\.?)\s+(?=[A-Z])").search(text, pos):
        if not m.group(1):
            text = text[: m.start()] + f"{k}. " + text[m.end():]
        k, pos = k + 1, m.start() + 2
    return text


NUMBER_ROW_MIN = 5  # cells that must read col + k
NUMBER_ROW_SHARE = 0.5  # of the row's cells


def column_offset(row: list[tuple[int, str]]) -> int | None:
    """``k`` when the (column, text) cells of one row count their columns,
    most of them reading col + k: the column-number row ("1 2 3 ... 18").
    Half of the row agreeing on one k is the sign (at least five cells): no
    data row holds five numbers that count its columns by chance, and a
    random variant's 18 or 19 numbers at 150 dpi were read right 10 or 11
    times ("&" or "s" for 6 and 5, "o" for 8, "ul" for 11, "1S" for 15)."""
    offsets = [int(m.group(1)) - col for col, text in row if (m := _NUMBER_CELL.match(text.strip()))]
    if len(offsets) < NUMBER_ROW_MIN:
        return None
    k, n = max(((o, offsets.count(o)) for o in set(offsets)), key=lambda t: (t[1], -t[0]))
    return k if n >= max(NUMBER_ROW_MIN, NUMBER_ROW_SHARE * len(row)) else None


def repair_number_rows(cells: list[Cell]) -> None:
    """The column-number row (``column_offset``): a cell the OCR garbled (a
    lone "11" read as "- ta") is set to its col + k, with a low confidence.
    Left garbled, the row was read as an activity and cut a row the page
    break split in two."""
    by_row: dict[int, list[Cell]] = {}
    for c in cells:
        if c.row_span == 1 and c.col_span == 1 and not c.mark:
            by_row.setdefault(c.row, []).append(c)
    for row_cells in by_row.values():
        k = column_offset([(c.col, c.text) for c in row_cells])
        if k is None:
            continue
        for c in row_cells:
            m = _NUMBER_CELL.match(c.text)
            if not m or int(m.group(1)) - c.col != k:
                c.text = str(c.col + k)
                c.confidence = min(c.confidence, 0.5)


def _month_of(text: str) -> tuple[int, str] | None:
    """(month 1..12, style) of a month label, allowing one or two OCR slips
    ("Jull", "Mel", "Oxtober"), a ruling read at its edge ("Jan |"), a gap
    read inside it ("Se member", a turned label of a spreadsheet variant at
    200 dpi); style is "full" or "abbr"."""
    from rapidfuzz.distance import Levenshtein

    # A ruling's edge read with the label: "Jan |", "Feb!", "Okt |" (a
    # shaded header at 150 dpi, where 7 of 12 labels then missed the run).
    t = "".join(text.split()).strip(".|!'`:;,")
    if not t.isalpha() or len(t) < 3:
        return None
    best: tuple[int, int, str] | None = None
    for i, (full, abbr) in enumerate(zip(BULAN, BULAN_ABBR)):
        for name, style in ((full, "full"), (abbr, "abbr")):
            d = Levenshtein.distance(t.lower(), name.lower())
            if d <= (1 if len(name) <= 5 else 2) and (best is None or d < best[0]):
                best = (d, i + 1, style)
    return (best[1], best[2]) if best else None


def repair_month_labels(cells: list[Cell], mark_cols: set[int]) -> None:
    """Month labels over the month columns are a closed, ordered set: when most
    cells of such a header row read as month (col + k), the others are set
    to the label their position gives, in the row's style and case; so is
    a label left unread (a turned "Mei" at 150 dpi left eleven labels and no
    month run, and a random variant's first lampiran page was refused, its
    activities lost, warned ``months_unread``)."""
    by_row: dict[int, list[Cell]] = {}
    unread: dict[int, list[Cell]] = {}
    for c in cells:
        if c.col in mark_cols and c.row_span == 1 and c.col_span == 1 and not c.mark:
            (by_row if c.text else unread).setdefault(c.row, []).append(c)
    for row, row_cells in by_row.items():
        if len(row_cells) < max(4, 0.6 * len(mark_cols)):
            continue
        found = [(c, m) for c in row_cells if (m := _month_of(c.text))]
        if len(found) < 0.6 * len(row_cells):
            continue
        offsets = [m[0] - c.col for c, m in found]
        k = max(set(offsets), key=offsets.count)
        if offsets.count(k) < 0.6 * len(row_cells):
            continue
        styles = [m[1] for _, m in found]
        style = max(set(styles), key=styles.count)
        upper = sum(c.text.isupper() for c, _ in found) > len(found) / 2
        for c in row_cells + unread.get(row, []):
            month = c.col + k
            if not 1 <= month <= 12:
                continue
            label = (BULAN if style == "full" else BULAN_ABBR)[month - 1]
            label = label.upper() if upper else label
            if c.text != label:
                c.text = label
                c.confidence = min(c.confidence, 0.6)
