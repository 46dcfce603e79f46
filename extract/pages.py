"""Route every page and read the digital ones: in this process, or, for a long
document with cores to spare, in page ranges across processes.

A page is routed by its objects: only a page carrying a large image can need
its image read (the scanned reader, run after); every other page is read from
its text layer and rulings here. The damage checks run in this process over
all pages, in order: their verdicts on streams shared by pages (fonts) are
per document.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber

from lampiran.extract.base import PageResult
from lampiran.extract.damage import Verdicts, page_damage
from lampiran.extract.digital import DigitalReader
from lampiran.extract.options import ExtractOptions
from lampiran.extract.pageobjects import PageObjects, from_layout
from lampiran.extract.pdf import open_pdf, pdfium_document
from lampiran.extract.pdfium_objects import from_pdfium
from lampiran.extract.route import route

_IMAGE_PAGE = 0.5  # share of the page one image must cover before the image route is considered
# A document of fewer pages is read in one process. Two processes (the second
# forked, so it starts with every module, and opening the file again: 0.01 s;
# 0.24 s for the 99-page Bali lampiran) measured as whole runs on 2 cores:
# 9 pages 1.40 against 1.55 s, the 10-page sample 1.32 against 1.62 s,
# 4 pages 1.17 against 1.24 s (within the noise).
PARALLEL_PAGES = 6

Routed = dict[int, PageResult | None]  # page -> its digital reading, None for an image page


def read_digital(pdf: pdfplumber.PDF, path: Path, options: ExtractOptions,
                 tick: Callable[[int], None]) -> tuple[dict[int, PageResult], list[int], list[str]]:
    """(digital page readings, image pages to read, damage warnings)."""
    n = len(pdf.pages)
    verdicts = Verdicts()
    damage: list[str] = []
    workers = options.page_workers(n) if n >= PARALLEL_PAGES and options.objects == "pdfium" else 1
    if workers > 1:
        for page_no, page in enumerate(pdf.pages, start=1):
            damage += page_damage(page.page_obj, page_no, verdicts)
            page.close()
        routed = _read_ranges(path, options, _ranges(n, workers), tick)
    else:
        routed = _read_range(pdf, options, 1, n, tick, verdicts, damage)
    results = {p: r for p, r in routed.items() if r is not None}
    return results, sorted(p for p, r in routed.items() if r is None), damage


def _ranges(n: int, parts: int) -> list[tuple[int, int]]:
    """``1..n`` cut into ``parts`` contiguous ranges of near-equal length."""
    bounds = [1 + round(i * n / parts) for i in range(parts + 1)]
    return [(bounds[i], bounds[i + 1] - 1) for i in range(parts) if bounds[i] <= bounds[i + 1] - 1]


def _read_ranges(path: Path, options: ExtractOptions, ranges: list[tuple[int, int]],
                 tick: Callable[[int], None]) -> Routed:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    routed: Routed = {}
    # fork: the child has every module this process imported (no second start-up)
    ctx = multiprocessing.get_context("fork")
    done_pages = ctx.SimpleQueue()  # each page read in a child, as it is read: the bar's input
    with ProcessPoolExecutor(max_workers=len(ranges), mp_context=ctx, initializer=_child, initargs=(done_pages,)) as ex:
        pending = {ex.submit(read_range_file, str(path), options, first, last) for first, last in ranges}
        while pending:
            finished, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            _drain(done_pages, tick)
            for f in finished:
                routed.update(f.result())
        _drain(done_pages, tick)
    return routed


_DONE_PAGES: Any = None  # in a range worker: where each page read is told


def _child(queue: Any) -> None:
    global _DONE_PAGES
    _DONE_PAGES = queue


def _drain(queue: Any, tick: Callable[[int], None]) -> None:
    while not queue.empty():
        tick(queue.get())  # page by page: the bar names each one


def read_range_file(path: str, options: ExtractOptions, first: int, last: int) -> Routed:
    """Pages ``first..last`` of a file, routed and the digital ones read (a
    worker's unit of work: a path, not an open document)."""
    tell = (lambda k: _DONE_PAGES.put(k)) if _DONE_PAGES is not None else (lambda k: None)
    pdf = open_pdf(Path(path), options.password)
    try:
        return _read_range(pdf, options, first, last, tell, None, [])
    finally:
        pdf.close()


def _read_range(pdf: pdfplumber.PDF, options: ExtractOptions, first: int, last: int,
                tick: Callable[[int], None], verdicts: Verdicts | None, damage: list[str]) -> Routed:
    """Route and read pages ``first..last`` in one pass, each page's parsed
    objects freed as it is done; the damage checks too when ``verdicts`` is given."""
    digital = DigitalReader()
    routed: Routed = {}
    twin = pdfium_twin(pdf) if options.objects == "pdfium" else None
    try:
        for page_no in range(first, last + 1):
            page = pdf.pages[page_no - 1]
            if verdicts is not None:
                damage += page_damage(page.page_obj, page_no, verdicts)
            objs = page_objects(page, twin, page_no)
            # Only a page carrying a large image can need its image read; the rest
            # are settled on the lean objects without pdfplumber's full parse.
            if objs.image_coverage() >= _IMAGE_PAGE and route(page) == "scanned":
                routed[page_no] = None
            else:
                routed[page_no] = digital.read_objects(objs, page_no)
                tick(1)
            page.close()
    finally:
        if twin is not None:
            twin.close()
    return routed


def pdfium_twin(pdf: pdfplumber.PDF) -> Any:
    """The same file opened by pdfium, or None where pdfium cannot open it
    (the pdfminer route then reads every page)."""
    try:
        return pdfium_document(pdf)
    except Exception:  # noqa: BLE001 - pdfium's open errors carry no types worth telling apart
        return None


def page_objects(page: pdfplumber.page.Page, twin: Any, page_no: int, clip_text: bool = True) -> PageObjects:
    """One page's objects: through pdfium when the document opened there,
    else, or where pdfium cannot load the page, through pdfminer (which
    keeps text its clipping path cuts off: pdfminer does not clip).
    ``clip_text=False`` keeps it on the pdfium route too (the tests compare
    the two routes so)."""
    if twin is not None and page_no <= len(twin):
        try:
            p = twin[page_no - 1]
        except Exception:  # noqa: BLE001
            p = None
        if p is not None:
            try:
                raw = page.page_obj
                return from_pdfium(p, tuple(raw.mediabox), int(raw.rotate or 0),
                                   (float(page.mediabox[0]), float(page.mediabox[1])),
                                   float(page.width), float(page.height), clip_text)
            finally:
                p.close()
    return from_layout(page)
