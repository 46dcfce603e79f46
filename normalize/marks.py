"""What a mark looks like in this document's month grid.

Most grids tick with a recognised glyph (``✓``, ``√``, ``v``, a symbol-font
tick: the extract stage sets ``Cell.mark``). A grid typed in a symbol font on
a machine that lacked the font prints the tick's code in a fallback font:
Wingdings 2 ``P`` as the letter ``P``, Wingdings ``ü`` as ``ü``. Such a grid is
read from its own vocabulary: a short content that recurs across the month
cells and stands nowhere else in the rows is the mark. A dash, a zero or a
blank is never a mark. Whatever is learned is reported.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from lampiran.model.interim import Cell, Table
from lampiran.model.vocab import SYMBOL_TICKS, TEXT_TICKS
from lampiran.model.warnings import notice

if TYPE_CHECKING:
    from lampiran.normalize.assemble import PlanTable

NOT_A_MARK = frozenset({"-", "0", "–", "—", "--", "."})
MAX_MARK_LEN = 2  # a mark is a glyph or two, never a word
MIN_SHARE = 0.8  # of the month cells with content, the share the learned glyph must hold
MIN_COUNT = 2  # a glyph seen once is no vocabulary
# Codes that symbol fonts use for ticks: their letters are what a fallback font prints.
_FALLBACK_TICKS = frozenset(chr(code) for codes in SYMBOL_TICKS.values() for code in codes)


def is_mark(cell: Cell, glyph: str | None = None) -> bool:
    """A tick: set by the extract stage, a tick glyph in a text font, or the table's learned glyph."""
    t = cell.text.strip()
    if cell.mark or (bool(t) and len(t) <= 2 and all(ch in TEXT_TICKS for ch in t)):
        return True
    return glyph is not None and t == glyph


def _contents(tables: list[PlanTable]) -> tuple[bool, Counter[str], Counter[str]]:
    """(any recognised mark, month-cell contents, other body-cell contents)."""
    known = False
    months: Counter[str] = Counter()
    others: Counter[str] = Counter()
    for table, layout, start in tables:
        roles = layout.column_roles(table)
        for cell in table.cells:
            if cell.row < start:
                continue
            text = cell.text.strip()
            if isinstance(roles[cell.col], int):
                known = known or is_mark(cell)
                if text and not cell.mark:
                    months[text] += 1
            elif text:
                others[text] += 1
    return known, months, others


def learn_mark(tables: list[PlanTable], warnings: list[str]) -> str | None:
    """The glyph this document marks its months with, when it is not a recognised tick.

    Appends a ``learned_mark`` warning when one is learned, and a
    ``months_unread`` warning when the month cells hold content of which
    nothing reads as a mark."""
    known, months, others = _contents(tables)
    if known or not months:
        return None
    content = {t: n for t, n in months.items() if t not in NOT_A_MARK}
    if not content:
        return None
    glyph, n = Counter(content).most_common(1)[0]
    page = tables[0][0].page
    if len(glyph) <= MAX_MARK_LEN and n >= MIN_COUNT and n >= MIN_SHARE * sum(content.values()) and not others[glyph]:
        why = " (fallback font for a symbol tick)" if glyph in _FALLBACK_TICKS else ""
        warnings.append(notice("learned_mark", f"month cells marked with {glyph!r}{why}", page))
        return glyph
    seen = ", ".join(repr(t) for t, _ in Counter(content).most_common(3))
    warnings.append(notice("months_unread", f"month cells hold content but no month was read from them (seen: {seen})", page))
    return None


# Columns one short content must recur in to be a grid's mark, not a column's
# code (a grade "A", a "1" in a count column): a year's grid spans twelve.
MIN_MARK_COLUMNS = 6


def grid_glyph(table: Table) -> tuple[str, int] | None:
    """The short content that recurs in the most of a table's columns, when it
    does in at least ``MIN_MARK_COLUMNS`` of them, with its count: a tick typed
    in a symbol font the exporting machine lacked prints as a letter (``P``),
    which the extract stage cannot know for a tick. ``learn_mark``'s rule for
    a table with no plan header to name its month columns."""
    columns: dict[str, set[int]] = {}
    counts: Counter[str] = Counter()
    for c in table.cells:
        t = c.text.strip()
        if t and len(t) <= MAX_MARK_LEN and t not in NOT_A_MARK:
            columns.setdefault(t, set()).add(c.col)
            counts[t] += 1
    wide = [(len(cols), counts[t], t) for t, cols in columns.items() if len(cols) >= MIN_MARK_COLUMNS]
    if not wide:
        return None
    _, n, glyph = max(wide)
    # Most of what those columns hold in its rows (a header's month labels
    # stand above them): a count column's "1" stands among 2s and 3s.
    rows = {c.row for c in table.cells if c.text.strip() == glyph}
    held = sum(1 for c in table.cells if c.row in rows and c.col in columns[glyph] and c.text.strip())
    return (glyph, n) if n >= MIN_SHARE * held else None
