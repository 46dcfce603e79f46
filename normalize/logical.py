"""A logical table: the rows and cells of a lampiran table as a person reads
it, each cell remembering the interim cell it came from and where it was read."""

from __future__ import annotations

from dataclasses import dataclass, field

from lampiran.model.interim import BBox, Cell, Table


@dataclass
class LogicalCell:
    value: str
    merged: bool  # carried from a merged cell that starts in an earlier row
    page: int
    bbox: BBox
    confidence: float
    source: Cell | None = None


@dataclass
class LogicalRow:
    cells: list[LogicalCell]
    first_on_page: bool = False


@dataclass
class LogicalTable:
    fragments: list[Table]
    labels: list[str]
    rows: list[LogicalRow] = field(default_factory=list)
    # (page, pieces) of words a split row's join left apart, the document's
    # words unable to tell one word from two (``table_repairs.join_split_rows``).
    cut_doubts: list[tuple[int, str]] = field(default_factory=list)

    @property
    def page_first(self) -> int:
        return self.fragments[0].page

    @property
    def page_last(self) -> int:
        return self.fragments[-1].page
