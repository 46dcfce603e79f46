"""The output contract: tidy records, validated with pydantic.

Column names and order are a public contract (downstream users read them);
``COLUMNS`` is the single place that fixes both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# The contract's date columns: typed as dates in Parquet even when every value is missing.
DATE_COLUMNS = frozenset({"tanggal_ditetapkan"})


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class DocumentRecord(_Record):
    doc_id: str = Field(min_length=1)
    source_file: str = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    nomor: str
    tentang: str
    instansi: str
    tahun: int | None = Field(default=None, ge=1945, le=2100)
    tanggal_ditetapkan: str
    mengubah_nomor: str
    pages: int = Field(ge=1)
    kind: Literal["digital", "scanned", "mixed"]
    tables: int = Field(default=0, ge=0)  # logical lampiran tables found
    warnings: int = Field(default=0, ge=0)  # rows of this document in the warnings table

    @field_validator("tanggal_ditetapkan")
    @classmethod
    def _iso_or_empty(cls, v: str) -> str:
        if v and not _DATE.match(v):
            raise ValueError(f"tanggal_ditetapkan must be YYYY-MM-DD or empty, got {v!r}")
        return v


class ActivityRecord(_Record):
    doc_id: str = Field(min_length=1)
    activity_no: int = Field(ge=1)
    area_no: str
    area_perubahan: str
    kegiatan_no: str
    kegiatan: str
    sub_kegiatan: str
    indikator_keberhasilan: str
    penanggung_jawab: str
    keterangan: str
    page_first: int = Field(ge=1)
    page_last: int = Field(ge=1)

    @model_validator(mode="after")
    def _check(self) -> ActivityRecord:
        if self.page_last < self.page_first:
            raise ValueError("page_last before page_first")
        if not (self.sub_kegiatan or self.indikator_keberhasilan or self.kegiatan):
            raise ValueError("an activity needs a kegiatan, sub_kegiatan or indikator")
        return self


class ScheduleRecord(_Record):
    doc_id: str = Field(min_length=1)
    activity_no: int = Field(ge=1)
    bulan: int = Field(ge=1, le=12)
    # Where the month was read: the marked (or coloured) cell, PDF points from
    # the page's top-left. Empty for a month a correction added.
    page: int | None = Field(default=None, ge=1)
    x0: float | None = None
    top: float | None = None
    x1: float | None = None
    bottom: float | None = None


class TableRecord(_Record):
    """One logical table: fragments on consecutive pages joined, as a person sees it."""

    doc_id: str = Field(min_length=1)
    table_no: int = Field(ge=1)  # 1..N in document order
    lampiran: str  # "I", "II", ... from the heading above it; "" if unnumbered
    title: str  # the heading printed above the table, if any
    page_first: int = Field(ge=1)
    page_last: int = Field(ge=1)
    n_rows: int = Field(ge=0)  # body rows, after the pagination repairs
    n_cols: int = Field(ge=1)
    columns: str  # JSON list of the column labels
    kind: Literal["rencana_aksi", "generic"]


class TableCellRecord(_Record):
    """One body cell of a logical table, where it was read."""

    doc_id: str = Field(min_length=1)
    table_no: int = Field(ge=1)
    row_no: int = Field(ge=1)
    col_no: int = Field(ge=1)
    column: str  # the header label path, e.g. "Tahun 2020 / Target"
    value: str  # merged cells carried to every row they span
    merged: bool  # the value comes from a merged cell that starts in an earlier row
    page: int = Field(ge=1)
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float = Field(ge=0.0, le=1.0)


class WarningRecord(_Record):
    """What reading the document recovered from or found implausible (see ``model.warnings``)."""

    doc_id: str = Field(min_length=1)
    page: int | None = Field(default=None, ge=1)
    code: str = Field(min_length=1)
    message: str


class CorrectionRecord(_Record):
    """One row of a corrections file and what became of it (the ``corrections`` table)."""

    doc_id: str
    target: str  # the activity_no, or <table_no>:<row_no>:<col_no> for a table cell
    field: str
    old_value: str  # what the machine read (for bulan: the months, "2,8")
    new_value: str
    status: Literal["applied", "unmatched", "invalid"]
    reason: str  # why not applied; empty when applied
    source_file: str  # the corrections CSV
    line: int = Field(ge=2)  # its line in that file (1 is the header)
    note: str


class ErrorRecord(_Record):
    """A PDF that could not be processed (the ``errors`` table)."""

    source_file: str
    sha256: str  # empty when the file could not be read at all
    stage: str
    error: str


COLUMNS: dict[str, list[str]] = {
    "documents": list(DocumentRecord.model_fields),
    "activities": list(ActivityRecord.model_fields),
    "schedule": list(ScheduleRecord.model_fields),
    "tables": list(TableRecord.model_fields),
    "table_cells": list(TableCellRecord.model_fields),
    "warnings": list(WarningRecord.model_fields),
}


@dataclass(eq=True)
class Plan:
    """One document's validated records: what normalize produces, what the
    corpus store keeps (``to_json``), what the diff compares."""

    document: DocumentRecord
    activities: list[ActivityRecord]
    schedule: list[ScheduleRecord]
    warnings: list[str] = field(default_factory=list)
    tables: list[TableRecord] = field(default_factory=list)
    cells: list[TableCellRecord] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.document.doc_id

    @property
    def months(self) -> dict[int, tuple[int, ...]]:
        """activity_no -> its planned months, sorted."""
        out: dict[int, list[int]] = {}
        for s in self.schedule:
            out.setdefault(s.activity_no, []).append(s.bulan)
        return {k: tuple(sorted(set(v))) for k, v in sorted(out.items())}

    def bulan(self, activity_no: int) -> tuple[int, ...]:
        return self.months.get(activity_no, ())

    def wide(self, table_no: int) -> tuple[list[str], list[list[str]]]:
        """Logical table ``table_no`` as a spreadsheet shows it: its labels and its rows."""
        meta = next((t for t in self.tables if t.table_no == table_no), None)
        if meta is None:
            raise KeyError(f"{self.doc_id}: no table {table_no} (it has {len(self.tables)})")
        rows: dict[int, list[str]] = {}
        for c in self.cells:  # in (table, row, column) order
            if c.table_no == table_no:
                rows.setdefault(c.row_no, []).append(c.value)
        return json.loads(meta.columns), [rows[r] for r in sorted(rows)]

    def activity(self, activity_no: int) -> ActivityRecord:
        for a in self.activities:
            if a.activity_no == activity_no:
                return a
        raise KeyError(f"{self.doc_id}: no activity {activity_no}")

    @classmethod
    def from_records(
        cls,
        document: DocumentRecord,
        activities: Iterable[ActivityRecord],
        schedule: Iterable[ScheduleRecord] = (),
    ) -> Plan:
        """A plan from whole tables: other documents' records are ignored;
        activities ordered by number, schedule by (activity, month)."""
        doc_id = document.doc_id
        acts = sorted((a for a in activities if a.doc_id == doc_id), key=lambda a: a.activity_no)
        nos = [a.activity_no for a in acts]
        if len(set(nos)) != len(nos):
            dupes = sorted({n for n in nos if nos.count(n) > 1})
            raise ValueError(f"{doc_id}: duplicate activity_no {dupes}")
        known = set(nos)
        sched: set[tuple[int, int]] = set()
        for s in schedule:
            if s.doc_id != doc_id:
                continue
            if s.activity_no not in known:
                raise ValueError(f"{doc_id}: schedule row for unknown activity {s.activity_no}")
            sched.add((s.activity_no, s.bulan))
        rows = [ScheduleRecord(doc_id=doc_id, activity_no=n, bulan=m) for n, m in sorted(sched)]
        return cls(document, acts, rows)

    def to_json(self, pipeline_version: str) -> str:
        return json.dumps(
            {
                "pipeline_version": pipeline_version,
                "document": self.document.model_dump(),
                "activities": [a.model_dump() for a in self.activities],
                "schedule": [s.model_dump() for s in self.schedule],
                "tables": [t.model_dump() for t in self.tables],
                "table_cells": [c.model_dump() for c in self.cells],
                "warnings": self.warnings,
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),  # json's C encoder runs only without indent
        )

    @classmethod
    def from_json(cls, text: str) -> Plan:
        d = json.loads(text)
        return cls(
            DocumentRecord(**d["document"]),
            [ActivityRecord(**a) for a in d["activities"]],
            [ScheduleRecord(**s) for s in d["schedule"]],
            warnings=d.get("warnings", []),
            tables=[TableRecord(**t) for t in d.get("tables", [])],
            cells=[TableCellRecord(**c) for c in d.get("table_cells", [])],
        )
