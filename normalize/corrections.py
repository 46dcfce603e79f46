"""Corrections a person made, applied over the machine's reading on every run.

A corrections folder holds CSV files with the columns ``doc_id, activity_no,
field, value`` and optionally ``note`` (what the review page downloads):

- ``field`` a text column of ``activities`` (``sub_kegiatan``, ``kegiatan``, ...):
  ``value`` replaces that activity's text;
- ``field`` = ``bulan``: ``value`` is the activity's full list of planned months
  (``2,8``; empty for none), replacing its schedule rows;
- ``field`` = ``table_cells``: ``activity_no`` addresses a cell of any lampiran
  table as ``<table_no>:<row_no>:<col_no>`` and ``value`` replaces its text.

Corrections are applied to the plans as the corpus store holds them (the
machine's reading), when the output tables are written: a first run, a re-run
that skips every document, and ``--force`` give the same corrected tables, and
a changed corrections file takes effect without reading any PDF again. Files
are read in name order and rows in file order; a later correction of the same
value wins. Every row becomes a row of the ``corrections`` table (applied, or
why not); one that matches nothing or is invalid is also a warning of its
document (``correction_unmatched``), never a silent no-op.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import ValidationError

from lampiran.model.errors import LampiranError
from lampiran.model.records import ActivityRecord, CorrectionRecord, Plan, ScheduleRecord
from lampiran.model.warnings import notice

TEXT_FIELDS = ("area_no", "area_perubahan", "kegiatan_no", "kegiatan", "sub_kegiatan", "indikator_keberhasilan",
               "penanggung_jawab", "keterangan")
FIELDS = (*TEXT_FIELDS, "bulan", "table_cells")
REQUIRED = ("doc_id", "activity_no", "field", "value")


@dataclass(frozen=True)
class Correction:
    source_file: str
    line: int
    doc_id: str
    target: str
    field: str
    value: str
    note: str = ""


def load_corrections(folder: Path) -> list[Correction]:
    """Every row of ``folder/*.csv``; a file without the required columns is
    an error naming it (a typo in a header would otherwise drop every row)."""
    out: list[Correction] = []
    for path in sorted(Path(folder).glob("*.csv")):
        try:
            with open(path, newline="", encoding="utf-8-sig") as f:
                rows = list(csv.DictReader(f))
                header = rows[0].keys() if rows else []
        except (OSError, UnicodeDecodeError, csv.Error) as e:
            raise LampiranError(path, f"unreadable corrections file ({e})", stage="normalize") from None
        missing = [c for c in REQUIRED if rows and c not in header]
        if missing:
            raise LampiranError(path, f"corrections file without the column(s) {', '.join(missing)} "
                                      f"(expected: {', '.join(REQUIRED)}[, note])", stage="normalize")
        for i, row in enumerate(rows, start=2):
            out.append(Correction(path.name, i, (row.get("doc_id") or "").strip(), (row.get("activity_no") or "").strip(),
                                  (row.get("field") or "").strip(), row.get("value") or "", (row.get("note") or "").strip()))
    return out


def _months(text: str) -> list[int]:
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    months = sorted({int(p) for p in parts})
    if any(not 1 <= m <= 12 for m in months):
        raise ValueError("a month outside 1..12")
    return months


def _record(c: Correction, status: str, old: str = "", reason: str = "") -> CorrectionRecord:
    return CorrectionRecord(doc_id=c.doc_id, target=c.target, field=c.field, old_value=old, new_value=c.value,
                            status=status, reason=reason, source_file=c.source_file, line=c.line, note=c.note)


def _apply_one(plan: Plan, c: Correction) -> CorrectionRecord:
    """Apply ``c`` to ``plan`` in place; what became of it."""
    if c.field not in FIELDS:
        return _record(c, "invalid", reason=f"unknown field {c.field!r} (one of: {', '.join(FIELDS)})")
    if c.field == "table_cells":
        return _apply_cell(plan, c)
    if not c.target.isdigit():
        return _record(c, "invalid", reason=f"activity_no {c.target!r} is not a number")
    no = int(c.target)
    index = next((i for i, a in enumerate(plan.activities) if a.activity_no == no), None)
    if index is None:
        return _record(c, "unmatched", reason=f"no activity {no} in {plan.doc_id} (it has {len(plan.activities)})")
    if c.field == "bulan":
        return _apply_months(plan, no, c)
    act = plan.activities[index]
    old = getattr(act, c.field)
    try:
        plan.activities[index] = ActivityRecord.model_validate({**act.model_dump(), c.field: c.value.strip()})
    except ValidationError as e:
        return _record(c, "invalid", old, reason=f"the activity would not be valid: {e.errors()[0]['msg']}")
    return _record(c, "applied", old)


def _apply_months(plan: Plan, no: int, c: Correction) -> CorrectionRecord:
    try:
        months = _months(c.value)
    except ValueError as e:
        return _record(c, "invalid", reason=f"bulan must be months 1..12 separated by commas ({e})")
    mine = {s.bulan: s for s in plan.schedule if s.activity_no == no}
    old = ",".join(str(m) for m in sorted(mine))
    # A month kept keeps the cell it was read from; an added one has none.
    new = [mine.get(m) or ScheduleRecord(doc_id=plan.doc_id, activity_no=no, bulan=m) for m in months]
    plan.schedule = sorted([s for s in plan.schedule if s.activity_no != no] + new, key=lambda s: (s.activity_no, s.bulan))
    return _record(c, "applied", old)


def _apply_cell(plan: Plan, c: Correction) -> CorrectionRecord:
    try:
        t, r, k = (int(x) for x in c.target.split(":"))
    except ValueError:
        return _record(c, "invalid", reason=f"a table cell is addressed as <table_no>:<row_no>:<col_no>, not {c.target!r}")
    index = next((i for i, x in enumerate(plan.cells) if (x.table_no, x.row_no, x.col_no) == (t, r, k)), None)
    if index is None:
        return _record(c, "unmatched", reason=f"no cell {c.target} in {plan.doc_id}")
    old = plan.cells[index].value
    plan.cells[index] = plan.cells[index].model_copy(update={"value": c.value.strip()})
    return _record(c, "applied", old)


def apply_corrections(plans: list[Plan], corrections: list[Correction]) -> tuple[list[Plan], list[CorrectionRecord]]:
    """The plans with ``corrections`` applied (new objects: the store's stay as
    read), and one record per correction."""
    by_id = {p.doc_id: replace(p, activities=list(p.activities), schedule=list(p.schedule), cells=list(p.cells),
                               warnings=list(p.warnings)) for p in plans}
    records: list[CorrectionRecord] = []
    for c in corrections:
        plan = by_id.get(c.doc_id)
        rec = _apply_one(plan, c) if plan is not None else _record(
            c, "unmatched", reason=f"no document {c.doc_id!r} in this output")
        records.append(rec)
        if plan is not None and rec.status != "applied":
            plan.warnings.append(notice("correction_unmatched", f"{c.source_file} line {c.line}: {rec.reason}"))
    out = []
    for p in plans:
        q = by_id[p.doc_id]
        q.document = q.document.model_copy(update={"warnings": len(q.warnings)})
        out.append(q)
    return out, records
