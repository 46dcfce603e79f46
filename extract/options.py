"""The extract stage's options, read once by the app and passed down
explicitly, and its inputs (``find_pdfs``).

Its own module, free of the readers' imports, so that the command line and
the corpus runner name them without loading pdfplumber or pypdfium2 (0.14 s:
a re-run with nothing to read needs neither).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ExtractOptions:
    """Options of the extract stage, read once by the app and passed down."""

    # Processes for one document's pages: its scanned pages (OCR dominates, so
    # one single-threaded Tesseract per core) and, from ``pages.PARALLEL_PAGES``
    # pages on, its digital pages in ranges. 0 = up to the cores (at most 2,
    # what a page pool measured worth on this project's 2-core machine); the
    # corpus runner sets 1 inside its pool of documents, more when there are
    # fewer documents than jobs.
    page_jobs: int = 0
    # The password of an encrypted PDF (None: try the empty one, as viewers do).
    password: str | None = None
    # Where a digital page's characters, rulings and fills are read from:
    # "pdfium" (C, 4x pdfminer's layout parse here) or "pdfminer", the
    # reference the tests hold the pdfium route to.
    objects: str = "pdfium"
    # Tesseract's languages for scanned pages ('+'-joined traineddata names).
    ocr_lang: str = "ind+eng"
    # How Tesseract is run: "command" (the installed ``tesseract``, the release
    # the accuracy figures were measured with) or "api" (its library through
    # tesserocr, a newer release: a third faster on a 150 dpi scan, and as
    # accurate on average but not on every document; see the README).
    ocr_engine: str = "command"
    # The resolution scanned pages are rendered at (None: the scan's own, from
    # its embedded image, bounded to 150-400 dpi).
    dpi: float | None = None

    def reading(self, kind: str) -> str:
        """The options that shape a document's reading, for its kind: a
        stored reading made under others is stale (a re-run with another
        ``--ocr-lang`` must read its scans again, and may keep its digital
        documents)."""
        digital = f"objects={self.objects}"
        scanned = f"ocr_engine={self.ocr_engine} ocr_lang={self.ocr_lang} dpi={self.dpi}"
        return {"digital": digital, "scanned": scanned}.get(kind, f"{digital} {scanned}")

    def page_workers(self, pages: int) -> int:
        import multiprocessing

        if multiprocessing.current_process().daemon:
            return 1  # a daemonic worker (Dask's, multiprocessing.Pool's) may not start processes
        jobs = self.page_jobs or min(2, os.cpu_count() or 1)
        return max(1, min(jobs, pages))


def find_pdfs(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders expanded to their ``*.pdf`` files, sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() == ".pdf"))
        else:
            out.append(p)
    return out
