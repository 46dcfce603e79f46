"""The seam between the extract pipeline and its page readers.

Like camelot's lattice/stream parsers, each reader turns one page into the
same result; the pipeline never needs to know which reader ran.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from lampiran.model.interim import Table

if TYPE_CHECKING:
    import pdfplumber


@dataclass
class PageResult:
    page: int  # 1-based
    kind: str  # "digital" | "scanned"
    text: str  # the page's text in reading order, one line per line (facts, lampiran detection)
    tables: list[Table]
    warnings: list[str] = field(default_factory=list)
    # A second reading of the page for the SK's facts (scans: coloured stamp
    # ink faded out); "" when there is none.
    alt_text: str = ""
    # Facts a scanned line gave in only some of its readings: (fact, why) (``scan.fact_lines``).
    fact_doubts: list[tuple[str, str]] = field(default_factory=list)
    # Spaces where a cell's width may have cut a word: (table index on the
    # page, cell index, offset in the cell's text); ``cut_words`` decides.
    word_cuts: list[tuple[int, int, int]] = field(default_factory=list)


class PageReader(Protocol):
    name: str

    def read_page(self, pdf: pdfplumber.PDF, page_no: int) -> PageResult:
        """Read page ``page_no`` (1-based) of an open document."""
        ...
