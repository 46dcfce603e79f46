"""Plausibility checks: what a person would notice at a glance, said as warnings.

Each check looks at the finished records, never at how they were made, so a
fault anywhere upstream that leaves an implausible result is reported even
when nothing failed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from lampiran.model.interim import Facts, Table
from lampiran.model.lexicon import plan_dictionary
from lampiran.model.vocab import ROMAN_MONTHS
from lampiran.model.warnings import Notice, notice
from lampiran.normalize.header import overflowed_label
from lampiran.normalize.marks import grid_glyph

if TYPE_CHECKING:
    from lampiran.normalize.assemble import Activity, PlanTable
    from lampiran.normalize.logical import LogicalTable

_LEADING = re.compile(r"^\s*(\d{1,3})\s*[.)]\s")  # a sub kegiatan's own number: "3. ..." or "3) ..."
_ITEM = re.compile(r"(?:^|(?<=[\s;]))(\d{1,2})\.\s")  # "2. " items inside the cell (in the leading style)


def _gaps(numbers: Iterable[tuple[int, int]], what: str) -> list[str]:
    """(page, number) in document order: each number one more than the last. A
    number repeated is left alone (documents repeat an item's number when an
    item is split in two), a skip or a restart is reported."""
    out = []
    prev: int | None = None
    for page, n in numbers:
        if prev is not None and n not in (prev, prev + 1):
            out.append(notice("numbering_gap", f"{what} numbering goes {prev} -> {n}", page))
        prev = n
    return out


_BARE_NUMBER = re.compile(r"^\(?\d{1,2}\)?\.?$")


def numbers_only(activities: list[Activity]) -> list[str]:
    """An activity whose every text is a bare number ("2", "3", "4" ...) is
    the column-number row under the header read as an activity: its months
    are the row's printed numbers taken for marks, and the rows after it may
    be misaligned (two random variants scanned at 150 dpi, before the scan
    reader learned to see such a row through OCR's slips)."""
    out = []
    for a in activities:
        texts = [t for t in (a.area.text, a.kegiatan.text, *a.texts.values()) if t.strip()]
        odd = [t.strip() for t in texts if not _BARE_NUMBER.match(t.strip())]
        # One text may carry letters beside its number ("N4", "KE4GIA": a header
        # label that overflowed into the row).
        if len(texts) >= 2 and (not odd or len(texts) >= 3 and len(odd) == 1
                                and overflowed_label(odd[0])):
            out.append(notice("numbers_as_activity", f"an activity reads only numbers ({' | '.join(texts)}): "
                              "the column-number row read as an activity", a.page_first))
    return out


def numbering(activities: list[Activity]) -> list[str]:
    """Kegiatan numbers within an area, and sub kegiatan numbers within a kegiatan,
    run 1, 2, 3 ...: a skip (``1, 2, 4``) or a restart where no new group began
    is a row lost, doubled or given the wrong group."""
    out: list[str] = []
    kegiatan: list[tuple[int, int]] = []
    sub: list[tuple[int, int]] = []
    for i, a in enumerate(activities):
        prev = activities[i - 1] if i else None
        if prev is None or a.area is not prev.area:
            out += _gaps(kegiatan, "kegiatan")
            kegiatan = []
        if prev is None or a.kegiatan is not prev.kegiatan:
            out += _gaps(sub, "sub kegiatan")
            sub = []
            if a.kegiatan.no.isdigit():
                kegiatan.append((a.page_first, int(a.kegiatan.no)))
        m = _LEADING.match(a.texts["sub"])
        if m:
            # A cell may hold several numbered items ("1. ... 2. ..."): the next
            # activity continues from its last one.
            items = [int(x) for x in _ITEM.findall(a.texts["sub"])]
            last = max([n for n in items if n > int(m.group(1))], default=int(m.group(1)))
            sub.append((a.page_first, int(m.group(1))))
            if last != int(m.group(1)):
                sub.append((a.page_first, last))
    out += _gaps(kegiatan, "kegiatan") + _gaps(sub, "sub kegiatan")
    return sorted(out, key=lambda w: Notice.parse(w).page or 0)


def continued(tables: list[Table], logical: list[LogicalTable], pages: int) -> list[str]:
    """A table that ends at a page's bottom, followed on the next page by a table
    of as many columns that was not joined to it: a continuation the layout
    check refused (columns moved, a header reworded) would split one table in two."""
    out = []
    first_on_page: dict[int, Table] = {}
    for t in tables:
        first_on_page.setdefault(t.page, t)
    for lt in logical:
        last = lt.fragments[-1]
        nxt = first_on_page.get(last.page + 1)
        if last.touches_page_bottom and last.page < pages and nxt is not None and nxt.n_cols == last.n_cols \
                and not any(nxt is f for f in lt.fragments):
            out.append(notice("table_not_continued",
                              f"a {last.n_cols}-column table ends at the page bottom and the next page's "
                              f"{nxt.n_cols}-column table was read as a new table", last.page))
    return out


def unnamed_columns(tables: list[PlanTable]) -> list[str]:
    """Plan columns whose header label named no field but whose body cells hold
    text: that text is in the ``tables`` output only, not in the activities (a
    shaded "KET." that a 150 dpi page pass read "X m 2" lost every row's
    keterangan so, without a word)."""
    rows: dict[str, set[tuple[int, int]]] = {}
    first_page: dict[str, int] = {}
    for table, layout, start in tables:
        for label, (x0, x1) in layout.unnamed:
            for c in table.cells:
                if c.row >= start and c.text.strip() and x0 - 1 <= (c.bbox[0] + c.bbox[2]) / 2 <= x1 + 1:
                    rows.setdefault(label, set()).add((c.page, c.row))
                    first_page.setdefault(label, c.page)
    return [notice("column_unnamed", f"the column headed {label!r} holds text in {len(r)} rows, but its label "
                   "names no activity field: its text is in the tables output only", first_page[label])
            for label, r in rows.items()]


def months_by_place(tables: list[PlanTable]) -> list[str]:
    """Month columns taken by their place alone, no label read under the
    schedule's header (``header._months_by_place``)."""
    said: set[str] = set()
    out: list[str] = []
    for table, layout, _ in tables:
        if layout.months_by_place and layout.months_by_place not in said:
            said.add(layout.months_by_place)
            out.append(notice("months_by_place", f"the month labels under {layout.months_by_place!r} were read in "
                              "part or not at all: its twelve columns were taken as January to December by their "
                              "place", table.page))
    return out


MIN_UNREAD_TICKS = 6  # ticks in a table no plan header was found for: a month grid read as nothing
def unread_ticks(tables: list[Table]) -> list[str]:
    """Tables that carry ticks although no action-plan header was read: a month
    grid whose header came out garbled (a damaged font, a scrambled text layer,
    turned month labels overflowing their cells) would otherwise leave the plan
    silently empty. A tick is a mark the extract stage set, or a short content
    recurring across the columns (``marks.grid_glyph``)."""
    out = []
    for t in tables:
        ticks = sum(1 for c in t.cells if c.mark)
        what = "ticks"
        if ticks < MIN_UNREAD_TICKS and (grid := grid_glyph(t)) is not None:
            what = f"cells marked {grid[0]!r} across its columns"
            ticks = grid[1]
        if ticks >= MIN_UNREAD_TICKS:
            out.append(notice("months_unread", f"a {t.n_cols}-column table holds {ticks} {what}, but no action-plan "
                              "header was read over them", t.page))
    return out


# A scanned table whose text OCR read with little confidence: a mean (over
# its text cells, by length) under this. Measured at 150 dpi on ten scans:
# the three spreadsheet-made ones, printed fit to page (text about 5 px
# high), 0.36-0.52 (text similarity 0.0-0.48 against the truth); the seven
# others 0.68-0.93 (text 0.91-0.99), the lowest under heavier blur.
OCR_POOR_CONFIDENCE = 0.6
OCR_MIN_CHARACTERS = 100  # less text than this proves nothing either way
# Or one whose words of four letters and more are in the plans' dictionary
# (``model.lexicon.plan_dictionary``) under this share, of at least
# OCR_MIN_WORDS. Tesseract can be sure of garbage: spreadsheet variants
# printed at 4-5 pt and scanned at 200 dpi read text 0.69-0.77 against the
# truth at a mean confidence of 0.61-0.66, unwarned; their tables' share of
# dictionary words was 0.52-0.67. Over 61 scans of three producers whose
# text read 0.96 or better, each table's share was 0.77-1.00.
OCR_KNOWN_WORDS = 0.7
OCR_MIN_WORDS = 40
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def poorly_read(tables: list[Table]) -> list[str]:
    """Scanned tables whose text was read with low confidence, or whose words
    are too seldom words: they are likely wrong, though every cell holds some."""
    out = []
    for t in tables:
        if t.reader != "scanned":
            continue
        cells = [c for c in t.cells if not c.mark and c.text.strip()]
        n = sum(len(c.text) for c in cells)
        if n < OCR_MIN_CHARACTERS:
            continue
        mean = sum(c.confidence * len(c.text) for c in cells) / n
        if mean < OCR_POOR_CONFIDENCE:
            out.append(notice("ocr_poor", f"a {t.n_cols}-column table's text was read with low OCR confidence "
                              f"({mean:.2f}): its words are likely wrong (the text is too small or too "
                              "blurred at this resolution)", t.page))
            continue
        words = [w.lower() for c in cells for w in _LONG_WORD.findall(c.text)]
        known = _known_share(words)
        if known is not None and known < OCR_KNOWN_WORDS:
            out.append(notice("ocr_poor", f"a {t.n_cols}-column table's text reads {known:.0%} dictionary words (of "
                              f"{len(words)}): its words are likely wrong (the text is too small or too blurred "
                              "at this resolution)", t.page))
    return out


def _known_share(words: list[str]) -> float | None:
    """The share of ``words`` in the plans' dictionary; None for too few
    words, or where Tesseract's dictionary is missing."""
    dictionary = plan_dictionary() if len(words) >= OCR_MIN_WORDS else frozenset()
    return sum(w in dictionary for w in words) / len(words) if dictionary else None


# The roman letters right before a nomor's year: its month ("/VI/2021"),
# with the letters OCR reads for a roman one's strokes ("VU", "Vl", "V1").
_MONTH_PART = re.compile(r"/([IVX][IVXUL1l|!]{1,4})/(?:19|20)\d\d$")


def implausible_facts(facts: Facts) -> list[str]:
    """A nomor is a number with codes ("07/HK.03.1/3508/2022"): one read
    without any digit is a misreading, not a nomor; and one whose roman
    letters before the year are no month ("VV" for "VI", which OCR gave an
    unseen variant at 150 dpi and nothing in it could correct, or "VL")."""
    out = []
    for what, value in (("nomor", facts.nomor), ("amended nomor", facts.mengubah_nomor)):
        if value and not any(ch.isdigit() for ch in value):
            out.append(notice("nomor_implausible", f"the {what} read as {value!r} holds no number"))
        elif (m := _MONTH_PART.search(value)) and m.group(1).lower() not in ROMAN_MONTHS:
            out.append(notice("nomor_implausible", f"the {what} read as {value!r} has {m.group(1)!r} where its "
                              "roman month stands"))
    return out
