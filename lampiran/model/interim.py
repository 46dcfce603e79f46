"""The per-document intermediate that both readers (digital, scanned) produce.

One JSON file per document under ``data/interim/``. It keeps everything the
normalize stage needs and nothing it would have to guess: every cell carries
its page, bbox (PDF points, origin top-left, as pdfplumber reports them),
grid position and span, text, mark and confidence.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SCHEMA = "lampiran.interim/1"

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points


def doc_id_for(sha256: str) -> str:
    """A document's id: the first 12 hex digits of its file's sha256."""
    return sha256[:12]


@dataclass
class Cell:
    page: int  # 1-based page number
    row: int  # 0-based grid row within its table
    col: int  # 0-based grid column within its table
    row_span: int
    col_span: int
    bbox: BBox
    text: str  # lines joined with single spaces, end-of-line hyphenation repaired
    mark: bool  # a checkmark (tick glyph, symbol-font tick, ink or fill in a scan)
    confidence: float  # 1.0 for a text layer; OCR / ink confidence for scans
    fill: str = ""  # background colour "#rrggbb" covering the cell, "" for none (or white)


@dataclass
class Table:
    """One ruled table on one page: a grid of ``n_rows`` x ``n_cols``.

    ``cells`` covers the grid: a merged cell appears once, at its top-left
    grid position, with its spans.
    """

    page: int
    bbox: BBox
    n_rows: int
    n_cols: int
    col_edges: list[float]  # n_cols + 1 x positions
    row_edges: list[float]  # n_rows + 1 y positions
    cells: list[Cell]
    reader: str = "digital"  # "digital" | "scanned"
    # True when the table's last row ends at the page's lowest table bottom,
    # i.e. it may continue on the next page (a split-row candidate).
    touches_page_bottom: bool = False
    title: str = ""  # the heading printed just above the table, if any
    lampiran: str = ""  # "II" when its page is headed "LAMPIRAN II"; "" otherwise
    # Cells (indices into ``cells``) whose last line may end in a word the
    # cell's width cut: where the row goes on over a page break, normalize
    # asks the document's words whether the pieces are one word.
    cut_ends: list[int] = field(default_factory=list)

    def grid(self) -> list[list[Cell | None]]:
        """Rows of cells indexed by column; a spanned position holds the
        owning cell (the same object), so a merged cell reads in every row."""
        g: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row, c.row + c.row_span):
                for k in range(c.col, c.col + c.col_span):
                    g[r][k] = c
        return g


@dataclass
class Facts:
    """The SK's own facts, read from the keputusan body (not the lampiran)."""

    nomor: str = ""
    tentang: str = ""
    instansi: str = ""
    tahun: int | None = None
    tanggal_ditetapkan: str = ""  # YYYY-MM-DD or ""
    mengubah_nomor: str = ""


@dataclass
class Document:
    doc_id: str
    source_file: str
    sha256: str
    pages: int
    kind: str  # "digital" | "scanned" | "mixed"
    page_kinds: list[str]  # per page: "digital" | "scanned"
    facts: Facts
    tables: list[Table]
    warnings: list[str] = field(default_factory=list)
    pipeline_version: str = ""
    schema: str = SCHEMA

    def to_json(self) -> str:
        # sort_keys + fixed float rounding keeps the file byte-stable per input.
        # No indent: json's C encoder runs only without it (0.07 against 0.28 s
        # for the 99-page Bali lampiran's 35,000 cells).
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"

    def to_dict(self) -> dict[str, Any]:
        """``asdict`` with floats to 0.01, built field by field: ``asdict``'s
        deep copy and a second pass to round took 0.38 s on the Bali lampiran."""
        d = {f: getattr(self, f) for f in ("doc_id", "source_file", "sha256", "pages", "kind", "pipeline_version", "schema")}
        d["page_kinds"] = list(self.page_kinds)
        d["warnings"] = list(self.warnings)
        d["facts"] = asdict(self.facts)
        d["tables"] = [_table_dict(t) for t in self.tables]
        return d

    @classmethod
    def from_json(cls, text: str) -> Document:
        d = json.loads(text)
        if d.get("schema") != SCHEMA:
            raise ValueError(f"unknown intermediate schema {d.get('schema')!r}")
        tables = []
        for t in d["tables"]:
            cells = [Cell(**{**c, "bbox": tuple(c["bbox"])}) for c in t.pop("cells")]
            tables.append(Table(**{**t, "bbox": tuple(t["bbox"]), "cells": cells}))
        return cls(**{**d, "facts": Facts(**d["facts"]), "tables": tables})

    @classmethod
    def load(cls, path: Path) -> Document:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


def _table_dict(t: Table) -> dict[str, Any]:
    return {
        "page": t.page, "bbox": [round(v, 2) for v in t.bbox], "n_rows": t.n_rows, "n_cols": t.n_cols,
        "col_edges": [round(v, 2) for v in t.col_edges], "row_edges": [round(v, 2) for v in t.row_edges],
        "reader": t.reader, "touches_page_bottom": t.touches_page_bottom, "title": t.title, "lampiran": t.lampiran,
        "cut_ends": list(t.cut_ends),
        "cells": [{"page": c.page, "row": c.row, "col": c.col, "row_span": c.row_span, "col_span": c.col_span,
                   "bbox": [round(v, 2) for v in c.bbox], "text": c.text, "mark": c.mark,
                   "confidence": round(c.confidence, 2), "fill": c.fill} for c in t.cells],
    }


def _round(o: Any) -> Any:
    if isinstance(o, float):
        return round(o, 2)
    if isinstance(o, dict):
        return {k: _round(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_round(v) for v in o]
    return o
