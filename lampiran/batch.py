"""Corpus runs: many PDFs, incremental, in parallel or on a Dask cluster.

The output folder keeps a *store* of finished documents, one JSON file per
document (``.lampiran/docs/<doc_id>.json``: its sha256, the pipeline version
and its validated records), each written atomically. A document is done when
its store file exists with the same sha256 and pipeline version. The combined
tables and the partitioned dataset are rebuilt from the store at the end of
every run, so a run killed half-way loses nothing already finished and can
never leave a document's rows twice.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lampiran import __version__
from lampiran.extract.options import ExtractOptions
from lampiran.freshness import fingerprint, outputs_current, remember
from lampiran.model.errors import LampiranError
from lampiran.model.interim import doc_id_for
from lampiran.model.io import atomic_write_bytes, atomic_write_text, sha256_file
from lampiran.model.records import CorrectionRecord, ErrorRecord, Plan

if TYPE_CHECKING:
    from lampiran.model.frame import Frame
    from lampiran.normalize.corrections import Correction

STORE = Path(".lampiran") / "docs"
DATASET = "dataset"
WIDE = "tables"  # the folder of one wide CSV per logical table
ERROR_COLUMNS = list(ErrorRecord.model_fields)
PACKAGE = "datapackage.json"
WORKBOOK = "lampiran.xlsx"


@dataclass
class DocResult:
    """What processing one PDF gave; small and picklable (crosses processes)."""

    path: str
    sha256: str
    status: str  # "ok" | "skipped" | "failed"
    seconds: float = 0.0
    stage: str = ""
    error: str = ""
    kind: str = ""
    pages: int = 0
    warnings: list[str] = field(default_factory=list)
    plan_json: str = ""  # the store entry, for "ok"
    interim_json: str = ""  # the intermediate document, for "ok"

    @property
    def activities(self) -> int:
        return len(json.loads(self.plan_json)["activities"]) if self.plan_json else 0


# Inside a pool of documents, one process per document: its pages are read
# one at a time, or the cores would be oversubscribed (``workers.run_pool``
# gives a document the spare cores when there are fewer documents than jobs).
IN_POOL = ExtractOptions(page_jobs=1)


def process_one(
    path: str,
    data: bytes | None = None,
    sha256: str = "",
    on_page: Callable[[int, int], None] | None = None,
    options: ExtractOptions = ExtractOptions(),
) -> DocResult:
    """Both stages for one PDF. Top-level and exception-free: it runs in pool
    workers and on Dask workers, where ``data`` carries the file's bytes when
    the worker does not share the client's disk."""
    from lampiran.extract.stage import extract_document
    from lampiran.normalize.stage import normalize_document

    t0 = time.perf_counter()
    tmp_dir = None
    try:
        src = Path(path)
        if data is not None:
            import tempfile

            tmp_dir = tempfile.mkdtemp(prefix="lampiran-")
            src = Path(tmp_dir) / Path(path).name
            src.write_bytes(data)
        stage = "extract"
        try:
            doc = extract_document(src, progress=on_page, options=options)
            stage = "normalize"
            plan = normalize_document(doc)
        except LampiranError as e:
            return DocResult(path, sha256 or _sha_or_empty(src), "failed", time.perf_counter() - t0, e.stage, e.reason)
        except Exception as e:  # never let one document stop a corpus run
            return DocResult(path, sha256 or _sha_or_empty(src), "failed", time.perf_counter() - t0, stage, f"internal error ({type(e).__name__}: {e})")
        return DocResult(
            path,
            doc.sha256,
            "ok",
            time.perf_counter() - t0,
            kind=doc.kind,
            pages=doc.pages,
            warnings=plan.warnings,
            plan_json=plan.to_json(__version__),
            interim_json=doc.to_json(),
        )
    finally:
        if tmp_dir:
            shutil.rmtree(tmp_dir, ignore_errors=True)


def _sha_or_empty(p: Path) -> str:
    try:
        return sha256_file(p)
    except OSError:
        return ""


class Store:
    """The finished documents of one output folder, each with the options it
    was read under (``ExtractOptions.reading``)."""

    def __init__(self, out_dir: Path, options: ExtractOptions = ExtractOptions()) -> None:
        self.out = Path(out_dir)
        self.dir = self.out / STORE
        self.options = options

    def path(self, doc_id: str) -> Path:
        return self.dir / f"{doc_id}.json"

    def done(self, sha256: str) -> str | None:
        """The entry of a document already read by this pipeline version under
        the same reading options, else None."""
        p = self.path(doc_id_for(sha256))
        try:
            text = p.read_text(encoding="utf-8")
            d = json.loads(text)
            doc = d["document"]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent or unreadable: process again
        same = d.get("reading") == self.options.reading(doc.get("kind", ""))
        return text if same and d.get("pipeline_version") == __version__ and doc.get("sha256") == sha256 else None

    def put(self, plan_json: str) -> None:
        doc = json.loads(plan_json)["document"]
        reading = json.dumps(self.options.reading(doc["kind"]))
        atomic_write_text(self.path(doc["doc_id"]), f'{{"reading": {reading}, {plan_json[1:]}')

    def plans(self) -> list[Plan]:
        return [Plan.from_json(p.read_text(encoding="utf-8")) for p in sorted(self.dir.glob("*.json"))]


@dataclass
class Outputs:
    paths: list[Path]
    corrections: list[CorrectionRecord]  # what became of each correction (empty without a corrections folder)


def write_outputs(out_dir: Path, plans: list[Plan], errors: list[DocResult], xlsx: bool = False,
                  corrections: list[Correction] | None = None) -> Outputs:
    """The combined tables, the errors table, the partitioned dataset, the
    wide tables, ``datapackage.json`` describing them, and on request one
    Excel workbook of them all. ``corrections`` (None: no corrections folder)
    are applied to the plans first, and recorded in the corrections table."""
    from lampiran.diff.revisions import RevisionRecord
    from lampiran.diff.stage import diff_versions
    from lampiran.model.package import CORRECTIONS, ERRORS, RECORDS, descriptor_json, dtypes_of
    from lampiran.model.frame import frame, text_frame
    from lampiran.model.write import write_table
    from lampiran.normalize.corrections import apply_corrections
    from lampiran.normalize.stage import tables_of

    out = Path(out_dir)
    written: list[Path] = []
    tables: dict[str, Frame] = {}
    applied: list[CorrectionRecord] = []
    if corrections is not None:
        plans, applied = apply_corrections(plans, corrections)
    if plans:
        tables = tables_of(plans)
        for name, df in tables.items():
            written += write_table(out, name, df)
        write_dataset(out / DATASET, tables)
        # An amendment whose mengubah_nomor is another document's nomor gets
        # its diff beside the tables; reports of pairs no longer linked go.
        reports = diff_versions(plans, out)
        written += reports
        for stale in set(out.glob("diff-*.*")) - set(reports):
            stale.unlink()
        written += write_wide_tables(out / WIDE, plans)
    err_rows = [{"source_file": Path(e.path).name, "sha256": e.sha256, "stage": e.stage, "error": e.error} for e in errors]
    if err_rows or (out / "errors.csv").exists():
        tables["errors"] = frame(sorted(err_rows, key=lambda r: (r["source_file"], r["sha256"])), ERROR_COLUMNS)
        written += write_table(out, "errors", tables["errors"])
    if corrections is None:  # no corrections folder any more: no table of them either
        for stale in (out / "corrections.csv", out / "corrections.parquet"):
            stale.unlink(missing_ok=True)
    else:
        tables["corrections"] = frame([r.model_dump() for r in applied], list(CorrectionRecord.model_fields),
                                      dtypes_of(CorrectionRecord))
        written += write_table(out, "corrections", tables["corrections"])
    resources = {**(RECORDS if plans else {}), **({"revisions": RevisionRecord} if (out / "revisions.csv").exists() else {}),
                 **(ERRORS if "errors" in tables else {}), **(CORRECTIONS if corrections is not None else {})}
    if resources:
        atomic_write_text(out / PACKAGE, descriptor_json(resources))
        written.append(out / PACKAGE)
    if xlsx:
        from lampiran.model.write import xlsx_bytes

        if (out / "revisions.csv").exists():
            import csv

            with open(out / "revisions.csv", newline="", encoding="utf-8") as f:
                header, *body = list(csv.reader(f))
            tables["revisions"] = text_frame(header, body)
        atomic_write_bytes(out / WORKBOOK, xlsx_bytes(tables))
        written.append(out / WORKBOOK)
    return Outputs(written, applied)


def write_wide_tables(folder: Path, plans: list[Plan]) -> list[Path]:
    """One CSV per logical table, ``<doc_id>-<table_no>.csv``, its header row the
    column labels: the table as a spreadsheet user opens it. Files of tables
    no longer in the store are removed."""
    from lampiran.model.frame import text_frame
    from lampiran.model.write import csv_bytes

    written: list[Path] = []
    for plan in plans:
        for t in plan.tables:
            labels, body = plan.wide(t.table_no)
            path = folder / f"{t.doc_id}-{t.table_no}.csv"
            atomic_write_bytes(path, csv_bytes(text_frame(labels, body)))
            written.append(path)
    if folder.is_dir():
        for stale in set(folder.glob("*.csv")) - set(written):
            stale.unlink()
    return written


def write_dataset(root: Path, tables: dict[str, Frame]) -> None:
    """One Parquet file per table and document (``<table>/<doc_id>.parquet``),
    each holding its rows with ``doc_id`` as a text column, that DuckDB or
    pandas read lazily as one table (``read_parquet('dataset/activities')``).
    Not hive folders (``doc_id=<id>/``): readers infer the partition's type
    from the folder names, and a doc_id of only digits became an integer. A
    file is rewritten only when its rows changed; files of documents no longer
    in the store are removed."""
    from lampiran.model.write import parquet_parts

    for name, df in tables.items():
        base = root / name
        keep: set[str] = set()
        for doc_id, data in parquet_parts(df, "doc_id"):
            f = base / f"{doc_id}.parquet"
            keep.add(f.name)
            if not f.is_file() or f.read_bytes() != data:
                atomic_write_bytes(f, data)
        if base.is_dir():
            for old in base.iterdir():
                if old.name not in keep:  # gone documents, and 0.2.0's hive folders
                    shutil.rmtree(old) if old.is_dir() else old.unlink()


Executor = Callable[[list[tuple[str, str]]], Iterator[DocResult]]


def run_serial(
    todo: list[tuple[str, str]],
    on_page: Callable[[str, int, int], None] | None = None,
    options: ExtractOptions = ExtractOptions(),
) -> Iterator[DocResult]:
    """In this process: no time limit and no isolation (the library's and the
    tests' route; the command line runs documents in ``workers.run_pool``)."""
    for path, sha in todo:
        pages = (lambda n, total, p=path: on_page(p, n, total)) if on_page else None
        yield process_one(path, sha256=sha, on_page=pages, options=options)


def _strict(r: DocResult) -> DocResult:
    """Under ``--strict`` a document with warnings fails (and is not stored)."""
    warnings = json.loads(r.plan_json).get("warnings", []) if r.plan_json else r.warnings
    if r.status == "failed" or not warnings:
        return r
    return DocResult(r.path, r.sha256, "failed", r.seconds, "normalize", strict_reason(warnings), r.kind, r.pages,
                     list(warnings))


def strict_reason(warnings: list[str]) -> str:
    return f"--strict: {len(warnings)} warning(s), the first: {warnings[0]}"


def _remove_stale_temporaries(out_dir: Path) -> None:
    """Temporaries of atomic writes that a killed run left behind."""
    if out_dir.is_dir():
        for p in out_dir.rglob(".*.tmp"):
            p.unlink(missing_ok=True)


@dataclass
class RunReport:
    results: list[DocResult]
    corrections: list[CorrectionRecord] = field(default_factory=list)

    @property
    def failed(self) -> list[DocResult]:
        return [r for r in self.results if r.status == "failed"]


def _sort_out(pdfs: Iterable[Path], store: Store, force: bool) -> tuple[list[DocResult], list[tuple[str, str]]]:
    """The documents already done (or repeated under another name), and the (path, sha256) pairs to do."""
    results: list[DocResult] = []
    todo: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for pdf in sorted(Path(p) for p in pdfs):
        sha = _sha_or_empty(pdf)
        if sha and sha in seen:
            results.append(DocResult(str(pdf), sha, "skipped", warnings=[f"same content as {seen[sha]}"]))
            continue
        if sha:
            seen[sha] = str(pdf)
        entry = store.done(sha) if sha and not force else None
        if entry is not None:
            d = json.loads(entry)["document"]
            results.append(DocResult(str(pdf), sha, "skipped", kind=d["kind"], pages=d["pages"], plan_json=entry))
        else:
            todo.append((str(pdf), sha))
    return results, todo


def run_corpus(
    pdfs: Iterable[Path],
    out_dir: Path,
    interim_dir: Path | None,
    executor: Executor = run_serial,
    force: bool = False,
    on_result: Callable[[DocResult, int, int], None] | None = None,
    strict: bool = False,
    xlsx: bool = False,
    corrections: list[Correction] | None = None,
    options: ExtractOptions = ExtractOptions(),
) -> RunReport:
    """Process ``pdfs`` into ``out_dir``; ``strict``: a document with any warning
    fails; ``xlsx``: also write the Excel workbook; ``corrections``: applied
    over the stored readings when the tables are written; ``options``: those
    the executor reads under, so a stored reading made under others is read
    again."""
    from lampiran.lock import output_lock

    with output_lock(out_dir):
        store = Store(out_dir, options)
        _remove_stale_temporaries(Path(out_dir))
        results, todo = _sort_out(pdfs, store, force)
        if strict:
            results = [_strict(r) for r in results]
        total = len(results) + len(todo)
        for done, r in enumerate(results, start=1):
            if on_result:
                on_result(r, done, total)
        done = len(results)
        for r in executor(todo):
            if strict:
                r = _strict(r)
            if r.status == "ok":
                if interim_dir is not None:
                    atomic_write_text(Path(interim_dir) / f"{doc_id_for(r.sha256)}.json", r.interim_json)
                store.put(r.plan_json)  # the commit point for this document
            results.append(r)
            done += 1
            if on_result:
                on_result(r, done, total)
        errors = [r for r in results if r.status == "failed"]
        results.sort(key=lambda r: r.path)
        # With corrections (which the mark does not cover), or --force, the
        # outputs are always written anew.
        mark = None if corrections is not None else fingerprint(store.dir, errors, xlsx)
        if mark is not None and not force and outputs_current(out_dir, mark):
            return RunReport(results, [])  # nothing changed since the outputs were written
        plans = store.plans()
        written = write_outputs(out_dir, plans, errors, xlsx=xlsx, corrections=corrections) if plans or errors else None
        if written is not None:
            # Written without a mark (corrections applied): the next run may
            # not take these outputs for its own.
            remember(out_dir, mark, written.paths)
        return RunReport(results, written.corrections if written else [])
