"""The ``lampiran`` command: run, extract, normalize, diff."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from lampiran import __version__
from lampiran.model.errors import LampiranError
from lampiran.model.interim import Document

DEFAULT_RAW = Path("data/raw")
DEFAULT_INTERIM = Path("data/interim")
DEFAULT_CLEAN = Path("data/clean")
DEFAULT_DIFF = Path("data/diff")
WROTE = ("documents, activities, schedule, tables, table_cells, warnings, revisions (.csv, .parquet), tables/ "
         "and dataset/")


def _err(e: LampiranError) -> None:
    print(f"lampiran: error: {e}", file=sys.stderr)


def _warn(source: str, warnings: Sequence[str]) -> None:
    for w in warnings:
        print(f"lampiran: warning: {source}: {w}", file=sys.stderr)


def _pdfs(paths: Sequence[str]) -> list[Path]:
    from lampiran.extract.stage import find_pdfs

    found = find_pdfs(paths or [str(DEFAULT_RAW)])
    return found


def cmd_extract(args: argparse.Namespace) -> int:
    from lampiran.extract.stage import extract_document, write_interim

    failed = 0
    pdfs = _pdfs(args.paths)
    for pdf in pdfs:
        try:
            doc = extract_document(pdf)
        except LampiranError as e:
            _err(e)
            failed += 1
            continue
        _warn(str(pdf), doc.warnings)
        path = write_interim(doc, args.out)
        print(f"{pdf}: {doc.kind}, {doc.pages} pages, {len(doc.tables)} tables -> {path}")
    return _status(failed, len(pdfs))


def cmd_normalize(args: argparse.Namespace) -> int:
    from lampiran.batch import DocResult, strict_reason, write_outputs
    from lampiran.normalize.stage import load_interim, normalize_document

    files = load_interim(args.dir)
    if not files:
        print(f"lampiran: error: {args.dir}: no intermediate files (*.json); run 'lampiran extract' first", file=sys.stderr)
        return 1
    plans, errors = [], []
    for f in files:
        try:
            doc = Document.load(f)
        except (ValueError, KeyError, TypeError) as e:
            err = LampiranError(f, f"unreadable intermediate file ({e})", stage="normalize")
            _err(err)
            errors.append(DocResult(str(f), "", "failed", stage=err.stage, error=err.reason))
            continue
        try:
            plan = normalize_document(doc)
        except LampiranError as e:
            _err(e)
            errors.append(DocResult(doc.source_file, doc.sha256, "failed", stage=e.stage, error=e.reason))
            continue
        _warn(doc.source_file, plan.warnings)
        if args.strict and plan.warnings:
            err = LampiranError(doc.source_file, strict_reason(plan.warnings), stage="normalize")
            _err(err)
            errors.append(DocResult(doc.source_file, doc.sha256, "failed", stage=err.stage, error=err.reason))
            continue
        plans.append(plan)
    if plans or errors:
        write_outputs(args.out, plans, errors)
    if plans:
        print(f"wrote {WROTE} to {args.out}")
    return _status(len(errors), len(files))


def cmd_run(args: argparse.Namespace) -> int:
    import functools
    import os

    from lampiran.batch import run_corpus, run_dask, run_pool, run_serial
    from lampiran.progress import Progress, count_pages, summary

    pdfs = _pdfs(args.paths)
    if not pdfs:
        return _status(0, 0)
    jobs = args.jobs or os.cpu_count() or 1
    progress = Progress(len(pdfs), count_pages(pdfs) if sys.stderr.isatty() else 0)
    if args.dask:
        try:
            executor = run_dask(args.dask)
        except LampiranError as e:
            _err(e)
            return 2
    elif jobs > 1 and len(pdfs) > 1:
        executor = run_pool(jobs)
    else:
        executor = functools.partial(run_serial, on_page=progress.page)
    interim = args.interim if args.interim is not None else Path(args.out).parent / "interim"
    report = run_corpus(pdfs, args.out, interim, executor, force=args.force, on_result=progress.update,
                        strict=args.strict)
    summary(report.results)
    if any(r.status == "ok" for r in report.results):
        print(f"wrote {WROTE} to {args.out}")
    return _status(len(report.failed), len(report.results))


def _status(failed: int, total: int) -> int:
    if total == 0:
        print("lampiran: error: no PDF files given or found", file=sys.stderr)
        return 1
    if failed:
        print(f"lampiran: {failed} of {total} file(s) failed", file=sys.stderr)
        return 1
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from lampiran.diff.stage import main_diff
    from lampiran.pipeline import process

    return main_diff(args.old, args.new, args.out, loose=args.loose, read_pdf=process)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="lampiran", description="Indonesian SK lampiran tables to clean data.")
    p.add_argument("--version", action="version", version=f"lampiran {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="extract and normalize PDFs (default: data/raw -> data/clean)")
    r.add_argument("paths", nargs="*", help="PDF files or folders (default: data/raw)")
    r.add_argument("--out", type=Path, default=DEFAULT_CLEAN, help="where the clean tables go (default: data/clean)")
    r.add_argument("--interim", type=Path, default=None,
                   help="where the intermediate files go (default: 'interim' beside --out, e.g. data/interim)")
    r.add_argument("--jobs", "-j", type=int, default=0, help="worker processes (default: the number of cores)")
    r.add_argument("--dask", metavar="ADDRESS", help="send the documents to this Dask scheduler (e.g. tcp://host:8786)")
    r.add_argument("--force", action="store_true", help="process documents again even if unchanged")
    r.add_argument("--strict", action="store_true", help="a document with any warning fails (exit status 1)")
    r.set_defaults(func=cmd_run)

    e = sub.add_parser("extract", help="PDFs -> intermediate JSON (default: data/interim)")
    e.add_argument("paths", nargs="*", help="PDF files or folders (default: data/raw)")
    e.add_argument("--out", type=Path, default=DEFAULT_INTERIM)
    e.set_defaults(func=cmd_extract)

    n = sub.add_parser("normalize", help="intermediate JSON -> CSV and Parquet (default: data/clean)")
    n.add_argument("dir", nargs="?", type=Path, default=DEFAULT_INTERIM)
    n.add_argument("--out", type=Path, default=DEFAULT_CLEAN)
    n.add_argument("--strict", action="store_true", help="a document with any warning fails (exit status 1)")
    n.set_defaults(func=cmd_normalize)

    d = sub.add_parser("diff", help="what changed between two versions of a plan (revisions + reports)")
    d.add_argument("old", help="a PDF, or a doc_id or nomor in data/clean, or DIR:doc_id")
    d.add_argument("new", help="the same forms as OLD")
    d.add_argument("--out", type=Path, default=DEFAULT_DIFF, help="where revisions.csv/.parquet and the reports go")
    d.add_argument("--loose", action="store_true", help="ignore case and punctuation in texts (for OCR'd documents)")
    d.set_defaults(func=cmd_diff)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # pdfminer logs what it reads past on stderr; the damage that matters is
    # reported as a warning of the document (damaged_stream), once.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
