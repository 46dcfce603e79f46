"""Stage 1, extract: PDF -> per-document intermediate JSON in ``data/interim/``.

Named steps, each small: check and open the file, pick a reader per page,
read the pages, read the SK's facts from the body, mark the tables that may
continue on the next page, write the intermediate atomically.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pdfplumber

from extract.base import PageReader, PageResult
from extract.digital import DigitalReader
from extract.facts import parse_facts
from extract.pdf import open_pdf
from lampiran import __version__
from lampiran.errors import LampiranError
from lampiran.interim import Document, Table
from lampiran.io import atomic_write_text, sha256_file

_LAMPIRAN_HEAD = re.compile(r"^\s*LAMPIRAN\b", re.I | re.M)
# A table bottom within this distance of the lowest table bottom on same-size
# pages ends at the page's printable limit: its last row may continue overleaf.
_BOTTOM_SLACK = 14.0


def doc_id_for(sha256: str) -> str:
    return sha256[:12]


def find_pdfs(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders expanded to their ``*.pdf`` files, sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() == ".pdf"))
        else:
            out.append(p)
    return out


def _scanned_reader() -> PageReader | None:
    try:
        from extract.scanned import ScannedReader
    except ImportError:
        return None
    return ScannedReader()


def _needs_ocr(page: pdfplumber.page.Page) -> bool:
    try:
        from extract.scanned import needs_ocr
    except ImportError:
        return not page.chars and bool(page.images)
    return needs_ocr(page)


def read_pages(pdf: pdfplumber.PDF, path: Path, progress: Callable[[int, int], None] | None = None) -> tuple[list[PageResult], list[str]]:
    digital: PageReader = DigitalReader()
    scanned: PageReader | None = None
    results: list[PageResult] = []
    warnings: list[str] = []
    n = len(pdf.pages)
    for page_no in range(1, n + 1):
        page = pdf.pages[page_no - 1]
        if _needs_ocr(page):
            scanned = scanned or _scanned_reader()
            if scanned is None:
                warnings.append(f"page {page_no}: image-only page and no scanned reader installed; skipped")
                results.append(PageResult(page_no, "scanned", "", []))
                continue
            res = scanned.read_page(pdf, page_no)
        else:
            res = digital.read_page(pdf, page_no)
        results.append(res)
        warnings.extend(f"page {page_no}: {w}" for w in res.warnings)
        if progress:
            progress(page_no, n)
    return results, warnings


def _mark_page_bottoms(tables: list[Table], page_heights: dict[int, float]) -> None:
    """Flag tables that end at their page's printable bottom (see ``_BOTTOM_SLACK``)."""
    lowest: dict[float, float] = {}
    for t in tables:
        h = round(page_heights.get(t.page, 0.0))
        lowest[h] = max(lowest.get(h, 0.0), t.bbox[3])
    for t in tables:
        t.touches_page_bottom = t.bbox[3] >= lowest[round(page_heights.get(t.page, 0.0))] - _BOTTOM_SLACK


def body_text(results: list[PageResult]) -> str:
    """The keputusan body: page texts before the lampiran begins."""
    parts = []
    for r in results:
        m = _LAMPIRAN_HEAD.search(r.text)
        if m and r.tables:
            parts.append(r.text[: m.start()])
            break
        if r.tables and parts:
            break
        parts.append(r.text)
    return "\n".join(parts)


def extract_document(path: Path, progress: Callable[[int, int], None] | None = None) -> Document:
    path = Path(path)
    sha = sha256_file(path) if path.is_file() else ""
    pdf = open_pdf(path)
    try:
        page_heights = {i + 1: float(p.height) for i, p in enumerate(pdf.pages)}
        results, warnings = read_pages(pdf, path, progress)
    except LampiranError:
        raise
    except Exception as e:  # a reader failing on a broken page stream
        raise LampiranError(path, f"cannot read pages ({type(e).__name__}: {e})") from None
    finally:
        pdf.close()
    tables = [t for r in results for t in r.tables]
    _mark_page_bottoms(tables, page_heights)
    facts = parse_facts(body_text(results))
    if not facts.nomor:
        # A lampiran-only file: its heading repeats the SK's nomor and date.
        facts = parse_facts("\n".join(r.text for r in results[:2]))
    kinds = [r.kind for r in results]
    kind = kinds[0] if len(set(kinds)) == 1 else "mixed"
    return Document(
        doc_id=doc_id_for(sha),
        source_file=path.name,
        sha256=sha,
        pages=len(results),
        kind=kind,
        page_kinds=kinds,
        facts=facts,
        tables=tables,
        warnings=warnings,
        pipeline_version=__version__,
    )


def write_interim(doc: Document, out_dir: Path) -> Path:
    path = Path(out_dir) / f"{doc.doc_id}.json"
    atomic_write_text(path, doc.to_json())
    return path
