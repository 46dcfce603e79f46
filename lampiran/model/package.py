"""The output contract as one schema: the pydantic records give each table's
column types once, and from them come the pandas dtypes the tables are built
with (so CSV and Parquet agree) and the Frictionless Data Package
(``datapackage.json``) that describes the CSV files to a portal or a
validator (``frictionless validate datapackage.json``)."""

from __future__ import annotations

import json
import types
import typing
from typing import Any, Literal

from pydantic import BaseModel

from lampiran.model.records import (
    DATE_COLUMNS,
    ActivityRecord,
    CorrectionRecord,
    DocumentRecord,
    ErrorRecord,
    ScheduleRecord,
    TableCellRecord,
    TableRecord,
    WarningRecord,
)

RECORDS: dict[str, type[BaseModel]] = {
    "documents": DocumentRecord,
    "activities": ActivityRecord,
    "schedule": ScheduleRecord,
    "tables": TableRecord,
    "table_cells": TableCellRecord,
    "warnings": WarningRecord,
}
ERRORS: dict[str, type[BaseModel]] = {"errors": ErrorRecord}
CORRECTIONS: dict[str, type[BaseModel]] = {"corrections": CorrectionRecord}

PRIMARY_KEYS: dict[str, list[str]] = {
    "documents": ["doc_id"],
    "activities": ["doc_id", "activity_no"],
    "schedule": ["doc_id", "activity_no", "bulan"],
    "tables": ["doc_id", "table_no"],
    "table_cells": ["doc_id", "table_no", "row_no", "col_no"],
}

# (table, its fields) -> (the table it points into, that table's fields)
FOREIGN_KEYS: dict[str, list[tuple[list[str], str, list[str]]]] = {
    "activities": [(["doc_id"], "documents", ["doc_id"])],
    "schedule": [(["doc_id", "activity_no"], "activities", ["doc_id", "activity_no"])],
    "tables": [(["doc_id"], "documents", ["doc_id"])],
    "table_cells": [(["doc_id", "table_no"], "tables", ["doc_id", "table_no"])],
    "warnings": [(["doc_id"], "documents", ["doc_id"])],
}

TABLE_DESCRIPTIONS: dict[str, str] = {
    "documents": "One row per SK (Surat Keputusan): its facts and what was read from it.",
    "activities": "One row per activity (kegiatan row) of a Rencana Aksi lampiran.",
    "schedule": "One row per planned month (bulan) of an activity: the ticked cells of the 12-month grid.",
    "tables": "One row per logical lampiran table (fragments across pages joined).",
    "table_cells": "Every body cell of every lampiran table, tidy: one row per (table, row, column).",
    "warnings": "What the reader recovered from or found implausible, one row per warning.",
    "revisions": "One row per change between two versions of a plan (an SK and its Perubahan).",
    "errors": "One row per PDF that could not be processed, and why.",
    "corrections": "One row per correction a person made (corrections/*.csv), and whether it was applied.",
}

FIELD_DESCRIPTIONS: dict[str, str] = {
    "doc_id": "Document id: the first 12 hex digits of the PDF's SHA-256 (always text).",
    "source_file": "File name of the PDF (in corrections: of the corrections CSV).",
    "sha256": "SHA-256 of the PDF's bytes.",
    "nomor": "The SK's number (nomor keputusan).",
    "tentang": "The SK's subject (tentang).",
    "instansi": "The issuing institution (instansi).",
    "tahun": "The plan's year (tahun).",
    "tanggal_ditetapkan": "Date the SK was signed (tanggal ditetapkan).",
    "mengubah_nomor": "The nomor of the SK this one amends (Perubahan: mengubah), if any.",
    "pages": "Pages in the PDF.",
    "kind": "How the pages were read: digital, scanned or mixed (documents); rencana_aksi or generic (tables).",
    "tables": "Logical lampiran tables found.",
    "warnings": "Rows of this document in the warnings table.",
    "activity_no": "Activity number, 1..N in document order.",
    "area_no": "Number of the area of change (area perubahan), as printed.",
    "area_perubahan": "Area of change of the Reformasi Birokrasi (area perubahan).",
    "kegiatan_no": "Number of the kegiatan, as printed.",
    "kegiatan": "The activity group (kegiatan).",
    "sub_kegiatan": "The activity (sub kegiatan / rencana aksi).",
    "indikator_keberhasilan": "Indicator of success (indikator keberhasilan / output).",
    "penanggung_jawab": "Who is responsible (penanggung jawab / tim kerja).",
    "keterangan": "Remarks (keterangan).",
    "page_first": "First page the row or table is on.",
    "page_last": "Last page the row or table is on.",
    "bulan": "Planned month, 1 (Januari) to 12 (Desember).",
    "table_no": "Logical table number, 1..N in document order.",
    "lampiran": "Lampiran numeral from the heading above the table (I, II, ...), if any.",
    "title": "Heading printed above the table, if any.",
    "n_rows": "Body rows after the pagination repairs.",
    "n_cols": "Columns.",
    "columns": "JSON list of the column labels.",
    "row_no": "Body row number within the table, 1..N.",
    "col_no": "Column number within the table, 1..N.",
    "column": "Column label path, e.g. 'Tahun 2020 / Target'.",
    "value": "Cell text; a merged cell's text is carried to every row it spans.",
    "merged": "The value comes from a merged cell that starts in an earlier row.",
    "page": "Page number.",
    "x0": "Left edge of the cell, PDF points from the page's left.",
    "top": "Top edge of the cell, PDF points from the page's top.",
    "x1": "Right edge of the cell, PDF points.",
    "bottom": "Bottom edge of the cell, PDF points.",
    "confidence": "Reading confidence, 0..1 (1 for digital text).",
    "code": "Warning code (see README, warning codes).",
    "message": "Warning text.",
    "old_doc_id": "doc_id of the earlier version.",
    "new_doc_id": "doc_id of the later version.",
    "old_activity_no": "Activity in the earlier version (empty for added).",
    "new_activity_no": "Activity in the later version (empty for removed).",
    "change": "What changed.",
    "field": "The field that changed.",
    "old_value": "Value before.",
    "new_value": "Value after.",
    "stage": "The stage that failed: extract, normalize or run.",
    "target": "What a correction addresses: an activity_no, or <table_no>:<row_no>:<col_no> for a table cell.",
    "status": "applied, unmatched (it names nothing that exists) or invalid.",
    "reason": "Why a correction was not applied.",
    "line": "Line of the corrections file.",
    "note": "The corrector's note.",
    "error": "Why, in one line.",
}


def _base(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``None``, and whether ``None`` was allowed."""
    if isinstance(annotation, str):
        annotation = eval(annotation, vars(typing))  # noqa: S307 - our own annotations only
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0], True
    return annotation, False


def field_type(name: str, annotation: Any) -> tuple[str, dict[str, Any]]:
    """The Frictionless type of a record field, and its constraints."""
    base, _ = _base(annotation)
    if name in DATE_COLUMNS:
        return "date", {}
    if typing.get_origin(base) is Literal:
        return "string", {"enum": list(typing.get_args(base))}
    return {int: "integer", float: "number", bool: "boolean"}.get(base, "string"), {}


def dtypes_of(model: type[BaseModel]) -> dict[str, str]:
    """The pandas dtypes ``frame.frame`` builds a table with."""
    out: dict[str, str] = {}
    for name, info in model.model_fields.items():
        typ, _ = field_type(name, info.annotation)
        _, optional = _base(info.annotation)
        if typ == "date":
            out[name] = "date"
        elif typ == "integer":
            out[name] = "Int64" if optional else "int64"
        elif typ == "number":
            out[name] = "float64"
        elif typ == "boolean":
            out[name] = "bool"
    return out


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    fields = []
    for name, info in model.model_fields.items():
        typ, constraints = field_type(name, info.annotation)
        _, optional = _base(info.annotation)
        f: dict[str, Any] = {"name": name, "type": typ, "description": FIELD_DESCRIPTIONS.get(name, "")}
        if typ == "date":
            f["format"] = "default"  # ISO 8601, YYYY-MM-DD
        if not optional and typ in ("integer", "number", "boolean"):
            constraints = {**constraints, "required": True}
        if constraints:
            f["constraints"] = constraints
        fields.append(f)
    return {"fields": fields, "missingValues": [""]}


def descriptor(resources: dict[str, type[BaseModel]], name: str = "lampiran") -> dict[str, Any]:
    """The Data Package of the CSV files named after ``resources``' keys."""
    out = []
    for table, model in resources.items():
        schema = schema_of(model)
        if table in PRIMARY_KEYS:
            schema["primaryKey"] = PRIMARY_KEYS[table]
        keys = [{"fields": own, "reference": {"resource": ref, "fields": theirs}}
                for own, ref, theirs in FOREIGN_KEYS.get(table, []) if ref in resources]
        if keys:
            schema["foreignKeys"] = keys
        out.append({"name": table, "path": f"{table}.csv", "profile": "tabular-data-resource", "format": "csv",
                    "mediatype": "text/csv", "encoding": "utf-8", "description": TABLE_DESCRIPTIONS.get(table, ""),
                    "schema": schema})
    return {"profile": "tabular-data-package", "name": name,
            "title": "Lampiran tables of Indonesian government decrees (Surat Keputusan)", "resources": out}


def descriptor_json(resources: dict[str, type[BaseModel]]) -> str:
    return json.dumps(descriptor(resources), ensure_ascii=False, indent=2) + "\n"
