"""Stage 2, normalize: intermediate JSON -> validated tidy tables in ``data/clean/``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from lampiran.model.errors import LampiranError
from lampiran.model.interim import Document
from lampiran.model.vocab import ROLE_FIELDS
from lampiran.normalize.assemble import ACTIVITY_ROLES, NoPlanTable, assemble
from lampiran.model.records import COLUMNS, ActivityRecord, DocumentRecord, Plan, ScheduleRecord
from lampiran.model.write import frame


def normalize_document(doc: Document) -> Plan:
    try:
        asm = assemble(doc)
    except NoPlanTable as e:
        raise LampiranError(doc.source_file, str(e), stage="normalize") from None
    if not asm.activities:
        raise LampiranError(doc.source_file, "lampiran table header found but no activity rows under it", stage="normalize")
    try:
        f = doc.facts
        document = DocumentRecord(
            doc_id=doc.doc_id,
            source_file=doc.source_file,
            sha256=doc.sha256,
            nomor=f.nomor,
            tentang=f.tentang,
            instansi=f.instansi,
            tahun=f.tahun,
            tanggal_ditetapkan=f.tanggal_ditetapkan,
            mengubah_nomor=f.mengubah_nomor,
            pages=doc.pages,
            kind=doc.kind,
        )
        activities: list[ActivityRecord] = []
        schedule: list[ScheduleRecord] = []
        for i, a in enumerate(asm.activities, start=1):
            activities.append(
                ActivityRecord(
                    doc_id=doc.doc_id,
                    activity_no=i,
                    area_no=a.area.no,
                    area_perubahan=a.area.text,
                    kegiatan_no=a.kegiatan.no,
                    kegiatan=a.kegiatan.text,
                    **{ROLE_FIELDS[role]: a.texts[role] for role in ACTIVITY_ROLES},
                    page_first=a.page_first,
                    page_last=a.page_last,
                )
            )
            schedule.extend(ScheduleRecord(doc_id=doc.doc_id, activity_no=i, bulan=m) for m in sorted(a.months))
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise LampiranError(doc.source_file, f"invalid record ({where}: {first['msg']})", stage="normalize") from None
    return Plan(document, activities, schedule, warnings=list(doc.warnings) + asm.warnings)


_DTYPES = {
    "documents": {"tahun": "Int64", "pages": "int64"},
    "activities": {"activity_no": "int64", "page_first": "int64", "page_last": "int64"},
    "schedule": {"activity_no": "int64", "bulan": "int64"},
}


def tables_of(plans: Iterable[Plan]) -> dict[str, pd.DataFrame]:
    """The three contract tables for ``plans``, in a stable order."""
    ordered = sorted(plans, key=lambda p: (p.document.source_file, p.document.doc_id))
    rows = {
        "documents": [p.document.model_dump() for p in ordered],
        "activities": [a.model_dump() for p in ordered for a in p.activities],
        "schedule": [s.model_dump() for p in ordered for s in p.schedule],
    }
    return {name: frame(rows[name], COLUMNS[name], _DTYPES[name]) for name in COLUMNS}


def load_interim(folder: Path) -> list[Path]:
    return sorted(Path(folder).glob("*.json"))
