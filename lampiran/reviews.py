"""``lampiran review``: find each document's PDF and reading, and write its page."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lampiran import __version__
from lampiran.model.errors import LampiranError
from lampiran.model.interim import Document, doc_id_for
from lampiran.model.io import sha256_file
from lampiran.normalize.corrections import Correction


def find_pdf(spec: str, raw: Path) -> Path:
    """A PDF path as given, or the PDF in ``raw`` whose doc_id is ``spec``."""
    p = Path(spec)
    if p.suffix.lower() == ".pdf" or p.is_file():
        if not p.is_file():
            raise LampiranError(p, "no such file", stage="review")
        return p
    for pdf in sorted(raw.rglob("*.pdf")) if raw.is_dir() else []:
        if doc_id_for(sha256_file(pdf)) == spec:
            return pdf
    raise LampiranError(spec, f"neither a PDF nor the doc_id of a PDF in {raw}", stage="review")


def _reading(pdf: Path, interim: Path | None, password: str | None) -> Document:
    """The intermediate file of this exact PDF and version when there is one
    (no second OCR of a scan), else a fresh extraction."""
    from lampiran.extract.stage import ExtractOptions, extract_document

    if interim is not None:
        f = interim / f"{doc_id_for(sha256_file(pdf))}.json"
        if f.is_file():
            try:
                doc = Document.load(f)
                if doc.pipeline_version == __version__:
                    return doc
            except (ValueError, KeyError, TypeError):
                pass  # unreadable: read the PDF again
    return extract_document(pdf, options=ExtractOptions(password=password))


def review(specs: Sequence[str], out: Path, raw: Path, interim: Path | None,
           corrections: list[Correction] | None, password: str | None = None) -> list[Path]:
    """One page per document; raises ``LampiranError`` for the first that cannot be read."""
    from lampiran.normalize.corrections import apply_corrections
    from lampiran.normalize.stage import normalize_document
    from lampiran.review.stage import review_document

    written = []
    for spec in specs:
        pdf = find_pdf(spec, raw)
        doc = _reading(pdf, interim, password)
        plan = normalize_document(doc)
        if corrections is not None:
            [plan], _ = apply_corrections([plan], corrections)
        written.append(review_document(doc, plan, pdf, out, password))
    return written
