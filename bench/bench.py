"""Speed of `lampiran run` against peer tools, in one process, on the same pages.

Prints pages per second for:
  - lampiran: the whole pipeline (open, read every page, facts, normalize,
    validate, write CSV + Parquet) on the digital sample;
  - pdfplumber: `page.extract_tables()` alone on the same pages;
  - camelot: lattice mode on the lampiran pages (it renders pages to find lines).
Each figure is the median of several timed repeats after one warm-up.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "data" / "raw" / "sk-kpu-lumajang-2022-rencana-aksi-rb.pdf"


def interleaved(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, tuple[float, float]]:
    """(best, median) seconds per tool, the tools taking turns in every round so
    that load from anything else on the machine hits them alike."""
    for fn in fns.values():
        fn()  # warm-up: imports, font caches
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    return {k: (min(v), statistics.median(v)) for k, v in times.items()}


def lampiran_run(pdf: Path) -> Callable[[], object]:
    from lampiran.batch import write_outputs
    from lampiran.pipeline import process

    def run() -> object:
        with tempfile.TemporaryDirectory() as out:
            return write_outputs(Path(out), [process(pdf)], [])

    return run


def pdfplumber_tables(pdf: Path) -> Callable[[], object]:
    import pdfplumber

    def run() -> object:
        with pdfplumber.open(pdf) as doc:
            return [p.extract_tables() for p in doc.pages]

    return run


def camelot_lattice(pdf: Path, pages: str) -> Callable[[], object]:
    import camelot

    def run() -> object:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return camelot.read_pdf(str(pdf), pages=pages, flavor="lattice", copy_text=["v"])

    return run


def corpus_bench(n_docs: int) -> None:
    """Documents per minute of `lampiran run` on a generated corpus, 1 vs 2 jobs."""
    from lampiran.batch import run_corpus, run_serial
    from lampiran.workers import run_pool
    from tests.fixtures.corpus import build_corpus

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        pdfs = build_corpus(folder, n_docs)
        import pypdfium2 as pdfium

        pages = sum(len(pdfium.PdfDocument(str(p))) for p in pdfs)
        print(f"\ncorpus: {n_docs} generated digital SKs, {pages} pages (each run from an empty output folder)")
        print(f"{'run':20} {'seconds':>8} {'docs/min':>9} {'pages/s':>8} {'speed-up':>9}")
        base = None
        for label, executor in (("--jobs 1", run_pool(1)), ("--jobs 2", run_pool(2)), ("in process", run_serial)):
            out = Path(tmp) / label.replace(" ", "")
            t = time.perf_counter()
            report = run_corpus(pdfs, out, None, executor)
            secs = time.perf_counter() - t
            assert not report.failed
            base = base or secs
            print(f"{label:20} {secs:8.2f} {60 * n_docs / secs:9.1f} {pages / secs:8.1f} {base / secs:8.2f}x")


def scanned_bench(dpi: int) -> None:
    """Seconds per scanned page: lampiran run against img2table + Tesseract."""
    import os

    from lampiran.extract.stage import extract_document
    from lampiran.pipeline import process
    from tests.fixtures.scan import scan_document

    src = ROOT / "tests" / "fixtures" / "pdf" / "rl_seed.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / f"rl_seed.{dpi}.pdf"
        scan_document(src, pdf, dpi)
        import pypdfium2 as pdfium

        n = len(pdfium.PdfDocument(str(pdf)))
        print(f"\nscanned: {src.stem} at {dpi} dpi (skewed, noisy, JPEG), {n} image-only pages, one run each")
        t = time.perf_counter()
        plan = process(pdf)
        ours = time.perf_counter() - t
        ours_tables = len([tb for tb in extract_document(pdf).tables if tb.n_cols >= 17])
        rows = [("lampiran run (whole pipeline)", ours, f"{ours_tables} plan tables, {len(plan.activities)} activities")]
        try:
            from img2table.document import PDF
            from img2table.ocr import TesseractOCR
        except ImportError:
            print("img2table not installed: run `make bench` (it installs the peers)")
        else:
            os.environ["OMP_THREAD_LIMIT"] = "1"
            ocr = TesseractOCR(n_threads=1, lang="ind+eng")
            t = time.perf_counter()
            found = PDF(str(pdf), pdf_text_extraction=False).extract_tables(ocr=ocr, implicit_rows=False, borderless_tables=False)
            theirs = time.perf_counter() - t
            n_found = sum(len(v) for v in found.values())
            rows.append(("img2table + Tesseract", theirs, f"{n_found} tables ({sum(len(tb.content) for v in found.values() for tb in v)} rows)"))
        print(f"{'tool':36} {'seconds':>8} {'s/page':>7} {'vs lampiran':>11}  found")
        for name, secs, what in rows:
            print(f"{name:36} {secs:8.2f} {secs / n:7.2f} {secs / ours:10.2f}x  {what}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf", nargs="?", type=Path, default=SAMPLE)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--no-camelot", action="store_true")
    ap.add_argument("--corpus", type=int, default=24, help="documents in the corpus benchmark (0: skip)")
    ap.add_argument("--scan-dpi", type=int, default=200, help="dpi of the scanned benchmark (0: skip)")
    args = ap.parse_args()

    import pdfplumber

    with pdfplumber.open(args.pdf) as doc:
        n = len(doc.pages)
        lampiran_pages = [i + 1 for i, p in enumerate(doc.pages) if p.width > p.height] or list(range(1, n + 1))
    print(f"digital: {args.pdf.name}, {n} pages ({len(lampiran_pages)} lampiran pages), {args.repeats} interleaved rounds")
    fns = {"lampiran run (whole pipeline)": lampiran_run(args.pdf), "pdfplumber extract_tables": pdfplumber_tables(args.pdf)}
    if not args.no_camelot:
        fns["camelot lattice (lampiran pages)"] = camelot_lattice(args.pdf, ",".join(map(str, lampiran_pages)))
    res = interleaved(fns, args.repeats)
    pages_of = {name: (len(lampiran_pages) if name.startswith("camelot") else n) for name in fns}
    ours_best = n / res["lampiran run (whole pipeline)"][0]
    print(f"{'tool':36} {'pages':>5} {'best s':>7} {'median s':>8} {'pages/s':>8} {'lampiran is':>12}")
    for name, (best, med) in res.items():
        pps = pages_of[name] / best
        print(f"{name:36} {pages_of[name]:5d} {best:7.3f} {med:8.3f} {pps:8.1f} {ours_best / pps:10.2f}x")
    plumber_pps = n / res["pdfplumber extract_tables"][0]
    print(f"lampiran run is {ours_best / plumber_pps:.2f}x the speed of pdfplumber's table finder alone on the same pages (best of {args.repeats})")
    if args.scan_dpi:
        scanned_bench(args.scan_dpi)
    if args.corpus:
        corpus_bench(args.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
