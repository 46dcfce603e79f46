"""The REVIEW stage: ``(document, plan, pdf) -> <out>/<doc_id>.html``."""

from __future__ import annotations

from pathlib import Path

from lampiran.model.interim import Document
from lampiran.model.io import atomic_write_text
from lampiran.model.records import Plan
from lampiran.review.images import render
from lampiran.review.page import review_html


def review_document(doc: Document, plan: Plan, pdf: Path, out_dir: Path, password: str | None = None) -> Path:
    """Write the review page of one document: the pages that hold a table (the
    first page when none does), the reading over them, the records beside."""
    pages = sorted({t.page for t in doc.tables}) or [1]
    html = review_html(doc, plan, render(pdf, pages, password))
    path = Path(out_dir) / f"{plan.doc_id}.html"
    atomic_write_text(path, html)
    return path
