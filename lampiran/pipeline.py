"""Both stages for one PDF, in memory; the API other stages (diff) build on."""

from __future__ import annotations

from pathlib import Path

from extract.stage import extract_document
from normalize.records import ActivityRecord, DocumentRecord, ScheduleRecord
from normalize.stage import Plan, normalize_document


def process(path: str | Path) -> Plan:
    """Extract and normalize one PDF; raises ``LampiranError`` with the reason."""
    return normalize_document(extract_document(Path(path)))


def process_pdf(path: str | Path) -> tuple[DocumentRecord, list[ActivityRecord], list[ScheduleRecord]]:
    plan = process(path)
    return plan.document, plan.activities, plan.schedule
