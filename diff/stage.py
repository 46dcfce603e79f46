"""The DIFF stage: match two plans, list their revisions, write table + reports."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from lampiran.diff.link import link_versions
from lampiran.diff.match import THRESHOLD, Matching, align, match_plans
from lampiran.diff.plan import Plan, load_plan, load_plans
from lampiran.diff.report import html_report, markdown_report
from lampiran.diff.revisions import Entry, RevisionRecord, revise, revisions_frame
from lampiran.model.errors import LampiranError
from lampiran.model.io import atomic_write_text
from lampiran.model.write import write_table

__all__ = [
    "Diff",
    "compute",
    "diff_plans",
    "diff_versions",
    "link_versions",
    "main_diff",
    "resolve_plan",
    "write_diff",
    "write_diffs",
    "write_linked_diffs",
]

DEFAULT_CLEAN = Path("data/clean")  # relative to the working directory, else to the repo
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Diff:
    old: Plan
    new: Plan
    matching: Matching
    entries: list[Entry]  # aligned positions, new document's order

    @property
    def revisions(self) -> list[RevisionRecord]:
        return [r for e in self.entries for r in e.rows]

    def markdown(self) -> str:
        return markdown_report(self.old, self.new, self.entries)

    def html(self) -> str:
        return html_report(self.old, self.new, self.entries)


def compute(old: Plan, new: Plan, *, threshold: float = THRESHOLD, loose: bool = False) -> Diff:
    m = match_plans(old, new, threshold)
    return Diff(old, new, m, revise(old, new, align(old, new, m), loose))


def diff_plans(old: Plan, new: Plan, *, threshold: float = THRESHOLD, loose: bool = False) -> list[RevisionRecord]:
    """Every change from ``old`` to ``new``, in the new document's order.

    ``threshold``: similarity (0..100) below which two activities are not the
    same one (reported as removed + added). ``loose``: ignore case,
    punctuation and numbering when comparing texts (for OCR'd documents).
    """
    return compute(old, new, threshold=threshold, loose=loose).revisions


def report_stem(old: Plan, new: Plan) -> str:
    return f"diff-{_UNSAFE.sub('_', old.doc_id)}-{_UNSAFE.sub('_', new.doc_id)}"


def _write_reports(d: Diff, out_dir: Path) -> list[Path]:
    stem = report_stem(d.old, d.new)
    md, page = out_dir / f"{stem}.md", out_dir / f"{stem}.html"
    atomic_write_text(md, d.markdown())
    atomic_write_text(page, d.html())
    return [md, page]


def write_diffs(pairs: Sequence[tuple[Plan, Plan]], out_dir: Path, *, loose: bool = False) -> list[Path]:
    """One ``revisions`` table for all pairs (rows carry both doc_ids) + a report per pair."""
    return _write([compute(o, n, loose=loose) for o, n in pairs], Path(out_dir))


def _write(diffs: Sequence[Diff], out_dir: Path) -> list[Path]:
    rows = [r for d in diffs for r in d.revisions]
    paths = write_table(out_dir, "revisions", revisions_frame(rows))
    for d in diffs:
        paths += _write_reports(d, out_dir)
    return paths


def write_diff(old: Plan, new: Plan, out_dir: Path, *, loose: bool = False) -> list[Path]:
    """``revisions.csv/.parquet``, ``diff-<old>-<new>.md`` and ``.html`` in ``out_dir``."""
    return write_diffs([(old, new)], out_dir, loose=loose)


def write_linked_diffs(clean_dir: Path, out_dir: Path | None = None, *, loose: bool = False) -> list[Path]:
    """Diff every amendment in a normalized folder against the SK it amends.

    For ``lampiran run``: pairs come from :func:`link_versions`; with no pairs
    an empty ``revisions`` table is still written, so the folder's shape does
    not depend on its contents.
    """
    clean_dir = Path(clean_dir)
    plans = load_plans(clean_dir)
    pairs = link_versions([p.document for p in plans.values()])
    return write_diffs([(plans[o], plans[n]) for o, n in pairs], Path(out_dir) if out_dir else clean_dir, loose=loose)


def diff_versions(plans: Iterable[Plan], out_dir: Path, *, loose: bool = False) -> list[Path]:
    """Like :func:`write_linked_diffs` for plans already in memory."""
    by_id = {p.doc_id: p for p in plans}
    pairs = link_versions([p.document for p in by_id.values()])
    return write_diffs([(by_id[o], by_id[n]) for o, n in pairs], Path(out_dir), loose=loose)


# ---- sides as the command line names them ----------------------------------------

PdfReader = Callable[[Path], Plan]


def resolve_plan(spec: str, default_dir: Path | None = None, read_pdf: PdfReader | None = None) -> Plan:
    """A plan from a PDF path, ``out_dir:key`` or a bare key (doc_id or nomor) in data/clean.

    The diff stage reads no PDF itself: ``read_pdf`` (the app layer's
    pipeline) turns a PDF into its plan."""
    p = Path(spec)
    if p.suffix.lower() == ".pdf" and p.is_file():
        if read_pdf is None:
            raise LookupError(f"{spec}: a PDF side needs a reader (lampiran.pipeline.process)")
        return read_pdf(p)
    # "out_dir:key": split at the first ":" whose left side is a folder, so a
    # key may itself contain ":".
    for i, ch in enumerate(spec):
        if ch == ":" and i and Path(spec[:i]).is_dir():
            return load_plan(Path(spec[:i]), spec[i + 1 :])
    if p.suffix.lower() == ".pdf":
        raise LookupError(f"{spec}: no such PDF")
    if default_dir is None:
        repo_clean = Path(__file__).resolve().parents[1] / DEFAULT_CLEAN
        default_dir = DEFAULT_CLEAN if DEFAULT_CLEAN.is_dir() else repo_clean
    return load_plan(default_dir, spec)


def main_diff(old: str, new: str, out: Path | None = None, *, loose: bool = False, read_pdf: PdfReader | None = None) -> int:
    """``lampiran diff OLD NEW [--out DIR]``: print the Markdown report, write files to ``out``.

    Returns 0 when the diff was made (with or without changes), 1 when a side
    cannot be found or read (2 is argparse's, for a wrong command line).
    """
    try:
        old_plan, new_plan = resolve_plan(old, read_pdf=read_pdf), resolve_plan(new, read_pdf=read_pdf)
    except (LampiranError, LookupError, FileNotFoundError, ValueError) as exc:
        print(f"lampiran: error: {exc}", file=sys.stderr)
        return 1
    d = compute(old_plan, new_plan, loose=loose)
    if out is not None:
        _write([d], Path(out))
    sys.stdout.write(d.markdown())
    return 0
