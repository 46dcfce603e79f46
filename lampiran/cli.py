"""The ``lampiran`` command: run, extract, normalize, diff."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lampiran import __version__
from lampiran.model.errors import LampiranError
from lampiran.model.interim import Document

DEFAULT_RAW = Path("data/raw")
DEFAULT_INTERIM = Path("data/interim")
DEFAULT_CLEAN = Path("data/clean")
DEFAULT_DIFF = Path("data/diff")
DEFAULT_REVIEW = Path("data/review")
WROTE = ("documents, activities, schedule, tables, table_cells, warnings, revisions (.csv, .parquet), "
         "datapackage.json, tables/ and dataset/")

EXIT_OK = 0  # every document processed
EXIT_FAILED = 1  # a document failed, or the command could not do its work (the reason is on stderr)
EXIT_USAGE = 2  # a wrong command line (argparse's code)
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)
EXIT_CODES = f"""exit status:
  {EXIT_OK}    every document was processed (warnings do not fail it, unless --strict)
  {EXIT_FAILED}    one or more documents failed, or there was nothing to do; the reasons are on stderr
  {EXIT_USAGE}    the command line is wrong
  {EXIT_INTERRUPTED}  interrupted (Ctrl-C); finished documents are kept, run again to go on"""


@dataclass(frozen=True)
class Say:
    """What to print besides errors, read once from -q / -v."""

    verbosity: int = 0  # -1 quiet, 0 normal, 1 verbose

    def warn(self, source: str, warnings: Sequence[str]) -> None:
        if self.verbosity >= 0:
            for w in warnings:
                print(f"lampiran: warning: {source}: {w}", file=sys.stderr)

    def out(self, line: str) -> None:
        if self.verbosity >= 0:
            print(line)


def _err(e: LampiranError) -> None:
    print(f"lampiran: error: {e}", file=sys.stderr)


def _pdfs(paths: Sequence[str]) -> list[Path] | None:
    """The PDFs to read; None (after saying why) when none were given and the
    current folder is not a project (no data/raw)."""
    from lampiran.extract.options import find_pdfs

    if not paths and not DEFAULT_RAW.is_dir():
        print(f"lampiran: error: no PDF given, and no {DEFAULT_RAW}/ here; give PDF files or folders "
              f"(lampiran run FILE.pdf ... --out DIR), or run inside a project that has {DEFAULT_RAW}/",
              file=sys.stderr)
        return None
    return find_pdfs(paths or [str(DEFAULT_RAW)])


def _extract_options(args: argparse.Namespace, page_jobs: int = 0):
    from lampiran.extract.options import ExtractOptions

    if args.lang != ExtractOptions.ocr_lang:
        from lampiran.extract.scan.ocr import missing_languages

        missing = missing_languages(args.lang)
        if missing:
            raise LampiranError("--lang", f"Tesseract has no language data for {', '.join(missing)} "
                                          "(tesseract --list-langs shows what is installed)", stage="run")
    if args.ocr_engine == "api":
        from lampiran.extract.scan.tessapi import api_available
        from lampiran.model.lexicon import tessdata_dir

        if not api_available(args.lang, tessdata_dir()):
            raise LampiranError("--ocr-engine", f"the Tesseract API (the tesserocr package) cannot read {args.lang} "
                                                "here; use --ocr-engine command", stage="run")
    return ExtractOptions(page_jobs=page_jobs, password=args.password, ocr_lang=args.lang, dpi=args.dpi,
                          ocr_engine=args.ocr_engine)


def _corrections(args: argparse.Namespace):
    """The corrections to apply: --corrections DIR, else 'corrections' beside
    --out when it exists (data/corrections for data/clean), else None."""
    from lampiran.normalize.corrections import load_corrections

    folder = args.corrections
    if folder is None:
        folder = Path(args.out).parent / "corrections"
        if not folder.is_dir():
            return None
    elif not Path(folder).is_dir():
        raise LampiranError(folder, "no such corrections folder", stage="run")
    return load_corrections(folder)


def _report_corrections(records, say: Say) -> None:
    """A correction that was not applied is a warning on stderr too (it is
    also in the corrections table, and in its document's warnings)."""
    for r in records:
        if r.status != "applied":
            say.warn(f"{r.source_file} line {r.line}", [f"{r.reason} [correction_unmatched]"])
    n = sum(r.status == "applied" for r in records)
    if records:
        say.out(f"corrections: {n} of {len(records)} applied")


def cmd_extract(args: argparse.Namespace, say: Say) -> int:
    from lampiran.extract.stage import extract_document, write_interim

    pdfs = _pdfs(args.paths)
    if pdfs is None:
        return EXIT_FAILED
    options = _extract_options(args)
    failed = 0
    for pdf in pdfs:
        try:
            doc = extract_document(pdf, options=options)
        except LampiranError as e:
            _err(e)
            failed += 1
            continue
        say.warn(str(pdf), doc.warnings)
        path = write_interim(doc, args.out)
        say.out(f"{pdf}: {doc.kind}, {doc.pages} pages, {len(doc.tables)} tables -> {path}")
    return _status(failed, len(pdfs))


def cmd_normalize(args: argparse.Namespace, say: Say) -> int:
    from lampiran.batch import DocResult, strict_reason, write_outputs
    from lampiran.lock import output_lock
    from lampiran.normalize.stage import load_interim, normalize_document

    files = load_interim(args.dir)
    if not files:
        print(f"lampiran: error: {args.dir}: no intermediate files (*.json); run 'lampiran extract' first", file=sys.stderr)
        return EXIT_FAILED
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
        say.warn(doc.source_file, plan.warnings)
        if args.strict and plan.warnings:
            err = LampiranError(doc.source_file, strict_reason(plan.warnings), stage="normalize")
            _err(err)
            errors.append(DocResult(doc.source_file, doc.sha256, "failed", stage=err.stage, error=err.reason))
            continue
        plans.append(plan)
    corrections = _corrections(args)
    if plans or errors:
        with output_lock(args.out, stage="normalize"):
            written = write_outputs(args.out, plans, errors, xlsx=args.xlsx, corrections=corrections)
        _report_corrections(written.corrections, say)
    if plans:
        say.out(f"wrote {WROTE} to {args.out}")
    return _status(len(errors), len(files))


def cmd_run(args: argparse.Namespace, say: Say) -> int:
    import os

    from lampiran.batch import run_corpus
    from lampiran.progress import Progress, count_pages, summary
    from lampiran.workers import run_dask, run_pool

    pdfs = _pdfs(args.paths)
    if pdfs is None:
        return EXIT_FAILED
    if not pdfs:
        return _status(0, 0)
    options = _extract_options(args, page_jobs=1)
    corrections = _corrections(args)
    bar = sys.stderr.isatty() and say.verbosity == 0
    progress = Progress(len(pdfs), count_pages(pdfs) if bar else 0, quiet=say.verbosity < 0)
    if not bar:
        progress.tty = False  # -v: a log line per document, also on a terminal
    if args.dask:
        executor = run_dask(args.dask, options, args.timeout or None)
    else:
        jobs = args.jobs or os.cpu_count() or 1
        executor = run_pool(jobs, args.timeout or None, options, on_page=progress.page if bar else None,
                            tick=progress.tick if bar else None)
    interim = args.interim if args.interim is not None else Path(args.out).parent / "interim"
    report = run_corpus(pdfs, args.out, interim, executor, force=args.force, on_result=progress.update,
                        strict=args.strict, xlsx=args.xlsx, corrections=corrections, options=options)
    if say.verbosity >= 0:
        summary(report.results)
    _report_corrections(report.corrections, say)
    if any(r.status == "ok" for r in report.results):
        say.out(f"wrote {WROTE} to {args.out}")
    return _status(len(report.failed), len(report.results))


def _status(failed: int, total: int) -> int:
    if total == 0:
        print("lampiran: error: no PDF files given or found", file=sys.stderr)
        return EXIT_FAILED
    if failed:
        print(f"lampiran: {failed} of {total} file(s) failed", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def cmd_diff(args: argparse.Namespace, say: Say) -> int:
    from lampiran.diff.stage import main_diff
    from lampiran.pipeline import process

    return main_diff(args.old, args.new, args.out, loose=args.loose, read_pdf=process)


def cmd_review(args: argparse.Namespace, say: Say) -> int:
    from lampiran.reviews import review

    specs = list(args.docs)
    if not specs:
        pdfs = _pdfs([])
        if pdfs is None:
            return EXIT_FAILED
        specs = [str(p) for p in pdfs]
    if not specs:
        return _status(0, 0)
    corrections = _corrections(args)
    for path in review(specs, args.out, DEFAULT_RAW, args.interim, corrections, args.password):
        say.out(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return EXIT_OK


def _common(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    g.add_argument("-v", "--verbose", action="store_true",
                   help="a log line per document also on a terminal, and the PDF parser's own warnings")


def _reading(p: argparse.ArgumentParser) -> None:
    from lampiran.extract.options import ExtractOptions

    p.add_argument("--password", help="the password of encrypted PDFs")
    p.add_argument("--lang", default=ExtractOptions.ocr_lang,
                   help=f"Tesseract languages for scanned pages, '+'-joined (default: {ExtractOptions.ocr_lang})")
    p.add_argument("--dpi", type=float, default=None,
                   help="render scanned pages at this resolution (default: the scan's own, 72-400)")
    p.add_argument("--ocr-engine", choices=("command", "api"), default=ExtractOptions.ocr_engine,
                   help="run Tesseract as the installed command (default) or through its library "
                        "(tesserocr: faster, a newer Tesseract release)")


def build_parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    p = argparse.ArgumentParser(prog="lampiran", description="Indonesian SK lampiran tables to clean data.",
                                epilog=EXIT_CODES, formatter_class=fmt)
    p.add_argument("--version", action="version", version=f"lampiran {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    for add in (_add_run, _add_extract, _add_normalize, _add_diff, _add_review):
        add(sub, fmt)
    return p


def _corrections_option(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--corrections", type=Path, default=None, metavar="DIR",
                   help=f"{what} the corrections CSVs in DIR (default: 'corrections' beside --out, when it exists)")


def _add_run(sub, fmt) -> None:
    from lampiran.workers import DEFAULT_TIMEOUT

    r = sub.add_parser("run", help="extract and normalize PDFs (default: data/raw -> data/clean)", epilog=EXIT_CODES,
                       formatter_class=fmt)
    r.add_argument("paths", nargs="*", help="PDF files or folders (default: data/raw)")
    r.add_argument("--out", type=Path, default=DEFAULT_CLEAN, help="where the clean tables go (default: data/clean)")
    r.add_argument("--interim", type=Path, default=None,
                   help="where the intermediate files go (default: 'interim' beside --out, e.g. data/interim)")
    r.add_argument("--jobs", "-j", type=int, default=0, help="worker processes (default: the number of cores)")
    r.add_argument("--dask", metavar="ADDRESS", help="send the documents to this Dask scheduler (e.g. tcp://host:8786)")
    r.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"stop a document after this long and record it in errors (default: {DEFAULT_TIMEOUT:g}; 0: none)")
    r.add_argument("--force", action="store_true", help="process documents again even if unchanged")
    r.add_argument("--strict", action="store_true", help="a document with any warning fails (exit status 1)")
    r.add_argument("--xlsx", action="store_true", help="also write every table to one Excel workbook, lampiran.xlsx")
    _corrections_option(r, "apply")
    _reading(r)
    _common(r)
    r.set_defaults(func=cmd_run)


def _add_extract(sub, fmt) -> None:
    e = sub.add_parser("extract", help="PDFs -> intermediate JSON (default: data/interim)", epilog=EXIT_CODES,
                       formatter_class=fmt)
    e.add_argument("paths", nargs="*", help="PDF files or folders (default: data/raw)")
    e.add_argument("--out", type=Path, default=DEFAULT_INTERIM,
                   help="where the intermediate files go, one <doc_id>.json each (default: data/interim)")
    _reading(e)
    _common(e)
    e.set_defaults(func=cmd_extract)


def _add_normalize(sub, fmt) -> None:
    n = sub.add_parser("normalize", help="intermediate JSON -> CSV and Parquet (default: data/clean)", epilog=EXIT_CODES,
                       formatter_class=fmt)
    n.add_argument("dir", nargs="?", type=Path, default=DEFAULT_INTERIM,
                   help="the folder of intermediate files (default: data/interim)")
    n.add_argument("--out", type=Path, default=DEFAULT_CLEAN, help="where the clean tables go (default: data/clean)")
    n.add_argument("--strict", action="store_true", help="a document with any warning fails (exit status 1)")
    n.add_argument("--xlsx", action="store_true", help="also write every table to one Excel workbook, lampiran.xlsx")
    _corrections_option(n, "apply")
    _common(n)
    n.set_defaults(func=cmd_normalize)


def _add_diff(sub, fmt) -> None:
    d = sub.add_parser("diff", help="what changed between two versions of a plan (revisions + reports)",
                       epilog=EXIT_CODES, formatter_class=fmt)
    d.add_argument("old", help="a PDF, or a doc_id or nomor in data/clean, or DIR:doc_id")
    d.add_argument("new", help="the same forms as OLD")
    d.add_argument("--out", type=Path, default=DEFAULT_DIFF, help="where revisions.csv/.parquet and the reports go")
    d.add_argument("--loose", action="store_true", help="ignore case and punctuation in texts (for OCR'd documents)")
    _common(d)
    d.set_defaults(func=cmd_diff)


def _add_review(sub, fmt) -> None:
    v = sub.add_parser("review", help="an HTML page per document: the reading over the page images, records, "
                       "a Gantt chart, an edit mode that downloads corrections", epilog=EXIT_CODES, formatter_class=fmt)
    v.add_argument("docs", nargs="*", help="PDF files, or doc_ids of PDFs in data/raw (default: every PDF in data/raw)")
    v.add_argument("--out", type=Path, default=DEFAULT_REVIEW, help="where the pages go (default: data/review)")
    v.add_argument("--interim", type=Path, default=DEFAULT_INTERIM,
                   help="reuse these intermediate files when they match the PDF (default: data/interim)")
    _corrections_option(v, "show the records with")
    v.add_argument("--password", help="the password of encrypted PDFs")
    _common(v)
    v.set_defaults(func=cmd_review)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    say = Say(-1 if args.quiet else 1 if args.verbose else 0)
    # pdfminer logs what it reads past on stderr; the damage that matters is
    # reported as a warning of the document (damaged_stream), once.
    logging.getLogger("pdfminer").setLevel(logging.WARNING if say.verbosity > 0 else logging.ERROR)
    try:
        return args.func(args, say)
    except LampiranError as e:  # the run could not start: a held lock, an unreachable scheduler, a bad option
        _err(e)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("\nlampiran: interrupted; finished documents are kept, run again to go on", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
