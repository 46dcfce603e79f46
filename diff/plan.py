"""One SK's action plan as the diff sees it: its document, activities, months.

Plans come from a normalized output folder (``documents``/``activities``/
``schedule`` tables, several documents per folder) or straight from records.
"""

from __future__ import annotations

import csv
import math
from datetime import date
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import pyarrow.parquet as pq
from pydantic import BaseModel

from lampiran.diff.text import norm_nomor
from lampiran.model.records import ActivityRecord, DocumentRecord, Plan, ScheduleRecord

R = TypeVar("R", bound=BaseModel)


def plans_from_records(
    documents: Iterable[DocumentRecord],
    activities: Iterable[ActivityRecord],
    schedule: Iterable[ScheduleRecord],
) -> dict[str, Plan]:
    """Every document's plan, keyed by doc_id (one pass over each table)."""
    docs = list(documents)
    acts: dict[str, list[ActivityRecord]] = {d.doc_id: [] for d in docs}
    sched: dict[str, list[ScheduleRecord]] = {d.doc_id: [] for d in docs}
    for a in activities:
        acts.setdefault(a.doc_id, []).append(a)
    for s in schedule:
        sched.setdefault(s.doc_id, []).append(s)
    return {d.doc_id: Plan.from_records(d, acts[d.doc_id], sched[d.doc_id]) for d in docs}


# ---- reading an output folder -------------------------------------------------


def _optional(model: type[BaseModel], name: str) -> bool:
    # get_args covers both Optional[int] and int | None.
    return type(None) in typing.get_args(model.model_fields[name].annotation)


def _rows(out_dir: Path, name: str) -> list[dict[str, Any]]:
    """Rows of ``name`` from Parquet (typed) or, failing that, CSV (all text)."""
    pq_path, csv_path = out_dir / f"{name}.parquet", out_dir / f"{name}.csv"
    if pq_path.exists():
        return pq.read_table(pq_path).to_pylist()
    if csv_path.exists():
        with open(csv_path, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    raise FileNotFoundError(f"no {name}.parquet or {name}.csv in {out_dir}")


def _missing(v: Any) -> bool:
    # "" from CSV; NaN if a writer stored a nullable int as float.
    return v is None or v == "" or (isinstance(v, float) and math.isnan(v))


def _value(model: type[BaseModel], name: str, v: Any) -> Any:
    """A stored value as the record wants it: missing is None where the field
    allows it, else "" (Parquet stores an empty text as null); a date as text."""
    if _missing(v):
        return None if _optional(model, name) else ""
    if isinstance(v, date):
        return v.isoformat()
    return v


def _records(out_dir: Path, name: str, model: type[R]) -> list[R]:
    out: list[R] = []
    for row in _rows(out_dir, name):
        # CSV has no nulls: an empty cell in a nullable column means None; other
        # text is left to pydantic's lax coercion ("3" -> 3).
        # Columns the records do not know are skipped: the diff only needs the
        # contract's columns, and a table that grew one should still load.
        fixed = {k: _value(model, k, v) for k, v in row.items() if k in model.model_fields}
        out.append(model.model_validate(fixed))
    return out


def load_documents(out_dir: Path) -> list[DocumentRecord]:
    return _records(Path(out_dir), "documents", DocumentRecord)


def load_plans(out_dir: Path) -> dict[str, Plan]:
    """Every plan in an output folder, keyed by doc_id."""
    out_dir = Path(out_dir)
    return plans_from_records(
        load_documents(out_dir),
        _records(out_dir, "activities", ActivityRecord),
        _records(out_dir, "schedule", ScheduleRecord),
    )


def find_document(documents: Iterable[DocumentRecord], key: str) -> DocumentRecord:
    """The document whose doc_id is ``key`` or, failing that, whose nomor is ``key``."""
    docs = list(documents)
    for d in docs:
        if d.doc_id == key:
            return d
    want = norm_nomor(key)
    hits = [d for d in docs if want and norm_nomor(d.nomor) == want]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise LookupError(f"nomor {key!r} is ambiguous: doc_id {', '.join(sorted(d.doc_id for d in hits))}")
    known = ", ".join(sorted(d.doc_id for d in docs)) or "none"
    raise LookupError(f"no document with doc_id or nomor {key!r} (doc_ids: {known})")


def load_plan(out_dir: Path, key: str) -> Plan:
    """One plan from an output folder, by doc_id or by nomor."""
    out_dir = Path(out_dir)
    doc = find_document(load_documents(out_dir), key)
    return Plan.from_records(
        doc,
        _records(out_dir, "activities", ActivityRecord),
        _records(out_dir, "schedule", ScheduleRecord),
    )
