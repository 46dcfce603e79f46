"""Stage 2, normalize: intermediate JSON -> validated tidy tables in ``data/clean/``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from lampiran.model.errors import LampiranError
from lampiran.model.interim import Document
from lampiran.model.vocab import ROLE_FIELDS
from lampiran.model.records import (COLUMNS, ActivityRecord, DocumentRecord, Plan, ScheduleRecord, TableCellRecord,
                                    TableRecord, WarningRecord)
from lampiran.model.package import RECORDS, dtypes_of
from lampiran.model.frame import Frame, frame
from lampiran.model.warnings import Notice, notice
from lampiran.model.word_cuts import unsure
from lampiran.normalize.assemble import ACTIVITY_ROLES, Assembly, NoPlanTable, assemble
from lampiran.normalize.checks import continued, implausible_facts, poorly_read, unread_ticks
from lampiran.normalize.header import find_layout
from lampiran.normalize.logical import LogicalTable
from lampiran.normalize.tables import logical_tables
from lampiran.normalize.vocabulary import vouch_tables


def normalize_document(doc: Document) -> Plan:
    """Every document gets its record and its tables; an action plan, where
    there is one, also becomes activities and schedule."""
    warnings = list(doc.warnings)
    as_read = doc.tables  # OCR's own reading: how well it read is judged on it (``poorly_read``)
    doc = vouch_tables(doc)  # a scan's misread words set back by the document's own vocabulary
    logical = logical_tables(doc.tables)
    try:
        asm = assemble(doc)
    except NoPlanTable as e:
        asm = Assembly()
        if not logical:
            warnings.append(notice("no_table", str(e)))
        warnings += unread_ticks(doc.tables)
    else:
        if not asm.activities:
            warnings.append(notice("no_plan_rows", "lampiran table header found but no activity rows under it"))
        # A ticked table the plan left out: its header garbled, or its columns
        # refused as a continuation (a 150 dpi page whose month labels read
        # "Jan |" lost 4 of 6 activities, said only by an unrelated warning).
        warnings += unread_ticks([t for t in doc.tables if not any(t is p for p in asm.tables)])
    warnings += asm.warnings + continued(doc.tables, logical, doc.pages)
    # A plan's tables are logical tables too: its split rows' doubts are said once, by assemble.
    plan_pages = {t.page for t in asm.tables}
    warnings += [unsure(pieces, page) for lt in logical for page, pieces in lt.cut_doubts if page not in plan_pages]
    warnings += poorly_read(as_read) + implausible_facts(doc.facts)
    try:
        document = _document(doc, len(logical), len(warnings))
        activities, schedule = _activities(doc.doc_id, asm)
        tables, cells = _tables(doc.doc_id, logical)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise LampiranError(doc.source_file, f"invalid record ({where}: {first['msg']})", stage="normalize") from None
    return Plan(document, activities, schedule, warnings=warnings, tables=tables, cells=cells)


def _document(doc: Document, n_tables: int, n_warnings: int) -> DocumentRecord:
    f = doc.facts
    return DocumentRecord(
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
        tables=n_tables,
        warnings=n_warnings,
    )


def _stored(box: tuple[float, ...]) -> tuple[float, ...]:
    """A box rounded as the intermediate file rounds it: run and normalize agree to the byte."""
    return tuple(round(v, 2) for v in box)


def _activities(doc_id: str, asm: Assembly) -> tuple[list[ActivityRecord], list[ScheduleRecord]]:
    activities: list[ActivityRecord] = []
    schedule: list[ScheduleRecord] = []
    for i, a in enumerate(asm.activities, start=1):
        activities.append(
            ActivityRecord(
                doc_id=doc_id,
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
        for m in sorted(a.months):
            page, box = a.mark_boxes.get(m, (None, None))
            x0, top, x1, bottom = _stored(box) if box else (None,) * 4
            schedule.append(ScheduleRecord(doc_id=doc_id, activity_no=i, bulan=m, page=page, x0=x0, top=top, x1=x1,
                                           bottom=bottom))
    return activities, schedule


def _tables(doc_id: str, logical: list[LogicalTable]) -> tuple[list[TableRecord], list[TableCellRecord]]:
    tables: list[TableRecord] = []
    cells: list[TableCellRecord] = []
    lampiran = ""  # a lampiran heading holds for the pages after it, until the next one
    for no, lt in enumerate(logical, start=1):
        first = lt.fragments[0]
        lampiran = first.lampiran or lampiran
        tables.append(TableRecord(
            doc_id=doc_id, table_no=no, lampiran=lampiran, title=first.title,
            page_first=lt.page_first, page_last=lt.page_last, n_rows=len(lt.rows), n_cols=len(lt.labels),
            columns=json.dumps(lt.labels, ensure_ascii=False),
            kind="rencana_aksi" if find_layout(first) is not None else "generic",
        ))
        for r, row in enumerate(lt.rows, start=1):
            for c, (label, cell) in enumerate(zip(lt.labels, row.cells), start=1):
                x0, top, x1, bottom = _stored(cell.bbox)
                cells.append(TableCellRecord(
                    doc_id=doc_id, table_no=no, row_no=r, col_no=c, column=label, value=cell.value,
                    merged=cell.merged, page=cell.page, x0=x0, top=top, x1=x1, bottom=bottom,
                    confidence=round(cell.confidence, 2),
                ))
    return tables, cells


def tables_of(plans: Iterable[Plan]) -> dict[str, Frame]:
    """The contract tables for ``plans``, in a stable order."""
    ordered = sorted(plans, key=lambda p: (p.document.source_file, p.document.doc_id))
    rows = {
        "documents": [p.document.model_dump() for p in ordered],
        "activities": [a.model_dump() for p in ordered for a in p.activities],
        "schedule": [s.model_dump() for p in ordered for s in p.schedule],
        "tables": [t.model_dump() for p in ordered for t in p.tables],
        "table_cells": [c.model_dump() for p in ordered for c in p.cells],
        "warnings": [warning_record(p.doc_id, w).model_dump() for p in ordered for w in p.warnings],
    }
    return {name: frame(rows[name], COLUMNS[name], dtypes_of(RECORDS[name])) for name in COLUMNS}


def warning_record(doc_id: str, text: str) -> WarningRecord:
    n = Notice.parse(text)
    return WarningRecord(doc_id=doc_id, page=n.page, code=n.code, message=n.message)


def load_interim(folder: Path) -> list[Path]:
    return sorted(Path(folder).glob("*.json"))
