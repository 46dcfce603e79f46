"""Warnings: what a document's reading recovered from or found implausible.

A warning travels as one line of text (in the intermediate file, on the
terminal) of the form ``page 3: message [code]``; ``Notice`` writes and reads
that form, so every stage can say one without importing another, and the
``warnings`` table gets its page and code back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FORM = re.compile(r"^(?:page (\d+): )?(.*?)(?: \[([a-z_]+)\])?$", re.S)

# The codes, and what triggers each (the README lists them for users).
CODES: dict[str, str] = {
    "turned_page": "a page was read turned (its text runs sideways or upside down, or a scan lay sideways)",
    "orientation_guess": "a scanned page's orientation was decided by OCR confidence alone",
    "ocr_failed": "the OCR engine failed on a page or a part of it",
    "table_skipped": "a scanned table could not be read and was left out",
    "facts_from_heading": "a fact left blank in the keputusan body was taken from the lampiran heading",
    "no_table": "a readable document holds no ruled table",
    "no_plan_rows": "an action-plan header was found with no activity rows under it",
    "second_plan_table": "a second action-plan table on one page was read as a continuation",
    "marks_without_text": "months are marked on a row with no text",
    "learned_mark": "month cells are marked with a glyph learned from the table (a tick in a fallback font)",
    "months_unread": "month cells hold content but no month was read from them",
    "too_many_marks": "a row has more than 12 marks",
    "numbering_gap": "a kegiatan or sub-kegiatan numbering skips or restarts where no new kegiatan began",
    "group_unfilled": ("an area or kegiatan cell opened empty (its text expected further down, as a spreadsheet "
                       "prints a merged range) and no text came: the row takes the group above"),
    "merged_over_text": "a merged cell carried over a row whose own cell holds text",
    "table_not_continued": "a table ends at a page bottom and is not continued on the next page",
    "damaged_stream": "a page's content stream is damaged (the parser read past it): its table may be incomplete",
    "correction_unmatched": "a correction that matches nothing (a wrong doc_id, an activity or cell that is gone) or is invalid",
    "damaged_xref": "the file's cross-reference table is broken and was rebuilt by scanning: objects may be missing",
    "unmapped_glyphs": "glyphs with no text mapping (a font's ToUnicode missing or broken): text reads as (cid:N)",
    "ocr_poor": ("a scanned table's text was read with low OCR confidence, or too few of its words are dictionary "
                 "words: its words are likely wrong"),
    "nomor_implausible": ("the SK's nomor (or the amended one) was read without any digit, with roman letters "
                          "before its year that are no month, or, on a scan, cut where its line goes on with more "
                          "of a code (its slashes lost), or opening with letters that are no code where its "
                          "number stands"),
    "facts_unsure": ("a scanned line stating the nomor or a date, read at several scales, gave different facts: "
                     "the one most readings gave was taken"),
    "month_uncertain": ("a scanned nomor's roman month ends in a stroke that may be an I or the edge of the slash "
                        "after it (VI1: VII or VI); the I was taken"),
    "uncertain_join": ("a scanned page's first row was joined to the row above the break by its ticks, though its "
                       "numbering says it may be new"),
    "numbers_as_activity": ("an activity reads only bare numbers: the column-number row under the header read as "
                            "an activity"),
    "months_by_place": ("the month labels under a schedule's header were read in part or not at all (their row "
                        "merged into the header's, garbled): its twelve equal columns were taken as January to "
                        "December by their place"),
    "word_cut_unsure": ("a line filling its cell ends in a piece of a word that the cell's width may have cut, "
                        "and neither the document's words nor the dictionary tell: the pieces were left apart"),
    "column_unnamed": ("a plan column's header label named no activity field (unread or unknown) while its "
                       "cells hold text: that text is in the tables output only"),
}


@dataclass(frozen=True)
class Notice:
    code: str
    message: str
    page: int | None = None

    def __str__(self) -> str:
        where = f"page {self.page}: " if self.page else ""
        return f"{where}{self.message} [{self.code}]"

    @classmethod
    def parse(cls, text: str) -> Notice:
        m = _FORM.match(text.strip())
        assert m is not None  # the pattern matches any text
        page, message, code = m.groups()
        return cls(code or "other", message, int(page) if page else None)


def notice(code: str, message: str, page: int | None = None) -> str:
    """A warning line (the form ``Notice.parse`` reads back)."""
    if code not in CODES:
        raise ValueError(f"unknown warning code {code!r}")
    return str(Notice(code, message, page))
