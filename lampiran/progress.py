"""Progress for corpus runs: a live bar on a terminal, log lines elsewhere,
and the closing summary table."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TextIO

from lampiran.batch import DocResult
from lampiran.model.warnings import Notice


class Progress:
    def __init__(self, total_docs: int, total_pages: int, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.total_docs, self.total_pages = total_docs, total_pages
        self.pages = 0
        self.done = 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.quiet = quiet  # errors and warnings only
        self.t0 = time.perf_counter()
        self.reading: dict[str, int] = {}  # pages read so far of each document in hand
        self.finished: set[str] = set()  # a worker's late page event must not count a done document twice
        self.label = ""

    def page(self, path: str, page_no: int, n_pages: int) -> None:
        """A page of a document in hand is read (in any worker)."""
        if path in self.finished:
            return
        self.reading[path] = page_no
        self.label = f"{Path(path).name} p.{page_no}/{n_pages}"
        self.tick()

    def tick(self) -> None:
        """Redraw: the clock runs while a long page is read."""
        if self.tty and not self.quiet:
            self._draw(self.done, self.pages + sum(self.reading.values()), self.label)

    def _draw(self, done: int, pages_done: int, label: str) -> None:
        width = 24
        filled = int(width * done / max(self.total_docs, 1))
        pages = f"{pages_done}/{self.total_pages} pages" if self.total_pages else f"{pages_done} pages"
        elapsed = time.perf_counter() - self.t0
        left = ""
        if self.total_pages and 0 < pages_done < self.total_pages:
            left = f", ~{elapsed / pages_done * (self.total_pages - pages_done):.0f}s left"
        line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total_docs} documents, {pages}, {elapsed:.0f}s{left}  {label[:48]}"
        self.stream.write("\r" + line[:118].ljust(118))
        self.stream.flush()

    def update(self, r: DocResult, done: int, total: int) -> None:
        self.done = done
        self.pages += r.pages
        self.reading.pop(r.path, None)
        self.finished.add(r.path)
        name = Path(r.path).name
        if r.status == "failed":
            self._clear()
            print(f"lampiran: error: {r.path}: {r.error}", file=self.stream)
        for w in r.warnings:
            if r.status != "skipped" and not self.quiet:
                self._clear()
                print(f"lampiran: warning: {r.path}: {w}", file=self.stream)
        if self.quiet:
            return
        if self.tty:
            self.label = name
            self.tick()
            if done == total:
                self._clear()
        else:
            what = {"ok": f"{r.kind}, {r.pages} pages, {r.activities} activities, {r.seconds:.1f}s", "skipped": "unchanged, skipped", "failed": "failed"}[r.status]
            print(f"lampiran: [{done}/{total}] {r.path}: {what}", file=self.stream)

    def _clear(self) -> None:
        if self.tty:
            self.stream.write("\r" + " " * 118 + "\r")


def summary(results: list[DocResult], stream: TextIO | None = None) -> None:
    """One line per document: kind, pages, tables, activities, warnings, errors,
    seconds; then the warnings by code."""
    stream = stream or sys.stdout
    rows = [("document", "status", "kind", "pages", "tables", "activities", "warnings", "errors", "seconds")]
    codes: Counter[str] = Counter()
    for r in results:
        entry = json.loads(r.plan_json) if r.plan_json else {}
        warnings = entry.get("warnings", r.warnings)
        codes.update(Notice.parse(w).code for w in warnings)
        rows.append(
            (
                Path(r.path).name,
                r.status,
                r.kind or "-",
                str(r.pages) if r.plan_json else "-",
                str(entry["document"].get("tables", 0)) if entry else "-",
                str(r.activities) if r.plan_json else "-",
                str(len(warnings)),
                "1" if r.status == "failed" else "0",
                f"{r.seconds:.2f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for k, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].ljust(widths[2])]
        cells += [row[i].rjust(widths[i]) for i in range(3, len(row))]
        print("  ".join(cells), file=stream)
        if k == 0:
            print("  ".join("-" * w for w in widths), file=stream)
    ok = sum(r.status == "ok" for r in results)
    skipped = sum(r.status == "skipped" for r in results)
    failed = sum(r.status == "failed" for r in results)
    print(f"{len(results)} documents: {ok} processed, {skipped} unchanged, {failed} failed", file=stream)
    if codes:
        print("warnings: " + ", ".join(f"{n} {code}" for code, n in sorted(codes.items())), file=stream)


def count_pages(paths: list[Path]) -> int:
    """Total pages, read cheaply (pdfium) for the progress bar; unreadable files count 0."""
    import pypdfium2 as pdfium

    n = 0
    for p in paths:
        try:
            doc = pdfium.PdfDocument(str(p))
            n += len(doc)
            doc.close()
        except Exception:
            pass
    return n
