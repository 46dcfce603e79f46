"""A seeded mutation fuzzer over the fixtures, run as a user runs the tool.

Mutants of several producers' SKs (a tail cut, bytes flipped, a block zeroed
inside a stream, a chunk repeated, an object stream's bytes mutated) go
through one ``lampiran run`` process, with its per-document time limit. Each
case must end within its bound, and come out either with the intact file's
records, or failed with a one-line reason, or with a warning; never silently
different. The run itself must exit 0 or 1 and print no traceback.

    python -m tests.fuzz --cases 600        # what ``make fuzz`` runs
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
# Four producers: a reportlab plan, a Word plan, a spreadsheet plan, a Word-made generic table.
SOURCES = [
    ROOT / "tests" / "fixtures" / "pdf" / "rl_check_v.pdf",
    ROOT / "tests" / "fixtures" / "pdf" / "docx_seed.pdf",
    ROOT / "tests" / "fixtures" / "pdf" / "xlsx_seed.pdf",
    ROOT / "tests" / "fixtures" / "tables" / "tables_docx_pejabat.pdf",
]
KINDS = ("cut", "flip", "zero", "repeat", "objstm")
CASE_TIMEOUT = 60.0  # s per mutant: the intact fixtures take at most 2 s here


def mutate(data: bytes, rng: random.Random, kind: str | None = None) -> bytes:
    """One mutation of ``data``; ``kind`` one of ``KINDS`` (random if None)."""
    kind = kind or rng.choice(KINDS)
    streams = [m.end() for m in re.finditer(rb"stream\r?\n", data)] or [0]
    out = bytearray(data)
    if kind == "zero":
        pos = rng.choice(streams) + rng.randint(0, 200)
        n = rng.randint(8, 128)
        out[pos: pos + n] = bytes(len(out[pos: pos + n]))
    elif kind == "flip":
        for _ in range(rng.randint(1, 20)):
            pos = rng.randrange(len(out))
            out[pos] ^= 1 << rng.randrange(8)
    elif kind == "repeat":
        pos = rng.randrange(len(out) - 512)
        out[pos:pos] = out[pos: pos + rng.randint(16, 512)]
    elif kind == "objstm":
        # Object streams hold the page tree and fonts of compressed PDFs.
        heads = [m.start() for m in re.finditer(rb"/Type\s*/ObjStm", data)]
        at = [data.find(b"stream", h) for h in heads]
        at = [a + 7 for a in at if a > 0] or streams
        pos = rng.choice(at) + rng.randint(0, 64)
        for _ in range(rng.randint(1, 6)):
            p = min(len(out) - 1, pos + rng.randint(0, 256))
            out[p] = rng.randrange(256)
    else:
        out = out[: rng.randint(len(out) // 2, len(out) - 1)] + b"\n%%EOF\n"
    return bytes(out)


@dataclass
class Verdicts:
    counts: Counter
    silent: list[str]
    slow: list[str]
    exit_code: int
    traceback: bool
    seconds: float


def _warnings(clean: Path) -> dict[str, set]:
    """Per source file: its warnings."""
    docs = pd.read_csv(clean / "documents.csv", dtype=str, keep_default_na=False)
    by_id = dict(zip(docs["doc_id"], docs["source_file"]))
    w = pd.read_csv(clean / "warnings.csv", dtype=str, keep_default_na=False)
    out: dict[str, set] = {src: set() for src in by_id.values()}
    for row in w.itertuples(index=False):
        out[by_id[row.doc_id]].add((row.page, row.code, row.message))
    return out


def _records(clean: Path) -> dict[str, tuple]:
    """Per source file: its activities, months and table cells, without doc_id."""
    docs = pd.read_csv(clean / "documents.csv", dtype=str, keep_default_na=False)
    by_id = dict(zip(docs["doc_id"], docs["source_file"]))
    out: dict[str, tuple] = {}
    parts = {}
    for name, drop in (("activities", ["doc_id"]), ("schedule", ["doc_id"]),
                       ("table_cells", ["doc_id", "confidence"])):
        df = pd.read_csv(clean / f"{name}.csv", dtype=str, keep_default_na=False)
        parts[name] = {k: g.drop(columns=drop).to_csv(index=False) for k, g in df.groupby("doc_id")}
    for doc_id, src in by_id.items():
        out[src] = tuple(parts[n].get(doc_id, "") for n in parts)
    return out


def _run(folder: Path, out: Path, jobs: int) -> tuple[int, str, float]:
    cmd = [sys.executable, "-m", "lampiran", "run", str(folder), "--out", str(out / "clean"),
           "--interim", str(out / "interim"), "--timeout", str(CASE_TIMEOUT), "--jobs", str(jobs)]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    return p.returncode, p.stderr, time.perf_counter() - t0


def run_fuzz(cases: int, seed: int, work: Path, jobs: int = 2) -> Verdicts:
    """``cases`` mutants spread over ``SOURCES``, judged against the intact files."""
    rng = random.Random(seed)
    intact_dir, mutant_dir = work / "intact", work / "mutants"
    intact_dir.mkdir(parents=True)
    mutant_dir.mkdir(parents=True)
    origin: dict[str, str] = {}
    for src in SOURCES:
        (intact_dir / src.name).write_bytes(src.read_bytes())
    for i in range(cases):
        src = SOURCES[i % len(SOURCES)]
        name = f"m{i:04d}-{src.name}"
        (mutant_dir / name).write_bytes(mutate(src.read_bytes(), rng))
        origin[name] = src.name
    code, _, _ = _run(intact_dir, work / "intact-out", jobs)
    assert code == 0, "the intact fixtures must read cleanly"
    intact = _records(work / "intact-out" / "clean")
    intact_warnings = _warnings(work / "intact-out" / "clean")
    code, stderr, seconds = _run(mutant_dir, work / "mutants-out", jobs)
    clean = work / "mutants-out" / "clean"
    got = _records(clean) if (clean / "documents.csv").exists() else {}
    # Warned: a warning the intact file does not carry (not merely its own).
    warnings = _warnings(clean) if got else {}
    warned = {name for name, ws in warnings.items() if ws - intact_warnings[origin[name]]}
    errors = pd.read_csv(clean / "errors.csv", dtype=str, keep_default_na=False) if (clean / "errors.csv").exists() \
        else pd.DataFrame(columns=["source_file", "error"])
    failed = dict(zip(errors["source_file"], errors["error"]))
    counts: Counter = Counter()
    silent, slow = [], []
    for name, src in sorted(origin.items()):
        if name in failed:
            counts["failed"] += 1
            if "timed out" in failed[name]:
                slow.append(name)
        elif name in got and got[name] == intact[src]:
            counts["exact"] += 1
        elif name in warned:
            counts["warned"] += 1
        elif name in got:
            silent.append(name)
        else:
            counts["skipped"] += 1  # same bytes as another mutant (or as the intact file)
    return Verdicts(counts, silent, slow, code, "Traceback" in stderr, seconds)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=600)
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lampiran-fuzz-") as tmp:
        v = run_fuzz(a.cases, a.seed, Path(tmp), a.jobs)
    print(f"{a.cases} mutants of {len(SOURCES)} fixtures in {v.seconds:.0f} s (one lampiran run, --jobs {a.jobs}): "
          + ", ".join(f"{n} {k}" for k, n in sorted(v.counts.items())))
    print(f"silently wrong: {len(v.silent)} {v.silent[:10]}; past the {CASE_TIMEOUT:g} s bound: {len(v.slow)}; "
          f"traceback: {v.traceback}; exit status: {v.exit_code}")
    ok = not v.silent and not v.slow and not v.traceback and v.exit_code in (0, 1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
