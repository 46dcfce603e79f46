"""Both stages for one PDF, in memory: the app layer's entry the CLI, the
corpus runner and the diff's PDF sides build on."""

from __future__ import annotations

from pathlib import Path

from lampiran.extract.stage import extract_document
from lampiran.model.records import Plan
from lampiran.normalize.stage import normalize_document


def process(path: str | Path) -> Plan:
    """Extract and normalize one PDF; raises ``LampiranError`` with the reason."""
    return normalize_document(extract_document(Path(path)))
