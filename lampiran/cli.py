"""The ``lampiran`` command: run, extract, normalize, diff."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from lampiran import __version__
from lampiran.errors import LampiranError
from lampiran.interim import Document

DEFAULT_RAW = Path("data/raw")
DEFAULT_INTERIM = Path("data/interim")
DEFAULT_CLEAN = Path("data/clean")


def _err(e: LampiranError) -> None:
    print(f"lampiran: error: {e}", file=sys.stderr)


def _warn(source: str, warnings: Sequence[str]) -> None:
    for w in warnings:
        print(f"lampiran: warning: {source}: {w}", file=sys.stderr)


def _pdfs(paths: Sequence[str]) -> list[Path]:
    from extract.stage import find_pdfs

    found = find_pdfs(paths or [str(DEFAULT_RAW)])
    return found


def cmd_extract(args: argparse.Namespace) -> int:
    from extract.stage import extract_document, write_interim

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
    from normalize.stage import load_interim, normalize_document, write_plans

    files = load_interim(args.dir)
    if not files:
        print(f"lampiran: error: {args.dir}: no intermediate files (*.json); run 'lampiran extract' first", file=sys.stderr)
        return 1
    plans, failed = [], 0
    for f in files:
        try:
            doc = Document.load(f)
            plans.append(normalize_document(doc))
        except LampiranError as e:
            _err(e)
            failed += 1
        except (ValueError, KeyError, TypeError) as e:
            _err(LampiranError(f, f"unreadable intermediate file ({e})", stage="normalize"))
            failed += 1
    return _finish(plans, args.out, failed, len(files))


def cmd_run(args: argparse.Namespace) -> int:
    from extract.stage import extract_document, write_interim
    from normalize.stage import normalize_document

    pdfs = _pdfs(args.paths)
    plans, failed = [], 0
    for pdf in pdfs:
        try:
            doc = extract_document(pdf)
            write_interim(doc, args.interim)
            plan = normalize_document(doc)
        except LampiranError as e:
            _err(LampiranError(pdf, e.reason, e.stage))
            failed += 1
            continue
        _warn(str(pdf), plan.warnings)
        plans.append(plan)
        d = plan.document
        print(f"{pdf}: {d.kind}, {d.pages} pages, nomor {d.nomor or '?'}: {len(plan.activities)} activities, {len(plan.schedule)} planned months")
    return _finish(plans, args.out, failed, len(pdfs))


def _finish(plans: list, out: Path, failed: int, total: int) -> int:
    from normalize.stage import write_plans

    if plans:
        written = write_plans(plans, out)
        print(f"wrote {', '.join(p.name for p in written)} to {out}")
    return _status(failed, total)


def _status(failed: int, total: int) -> int:
    if total == 0:
        print("lampiran: error: no PDF files given or found", file=sys.stderr)
        return 1
    if failed:
        print(f"lampiran: {failed} of {total} file(s) failed", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="lampiran", description="Indonesian SK lampiran tables to clean data.")
    p.add_argument("--version", action="version", version=f"lampiran {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="extract and normalize PDFs (default: data/raw -> data/clean)")
    r.add_argument("paths", nargs="*", help="PDF files or folders (default: data/raw)")
    r.add_argument("--out", type=Path, default=DEFAULT_CLEAN)
    r.add_argument("--interim", type=Path, default=DEFAULT_INTERIM)
    r.set_defaults(func=cmd_run)

    e = sub.add_parser("extract", help="PDFs -> intermediate JSON (default: data/interim)")
    e.add_argument("paths", nargs="*", help="PDF files or folders (default: data/raw)")
    e.add_argument("--out", type=Path, default=DEFAULT_INTERIM)
    e.set_defaults(func=cmd_extract)

    n = sub.add_parser("normalize", help="intermediate JSON -> CSV and Parquet (default: data/clean)")
    n.add_argument("dir", nargs="?", type=Path, default=DEFAULT_INTERIM)
    n.add_argument("--out", type=Path, default=DEFAULT_CLEAN)
    n.set_defaults(func=cmd_normalize)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
