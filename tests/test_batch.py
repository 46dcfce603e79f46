"""Corpus runs: --jobs 1, --jobs 2 and --dask give the same bytes; an
interrupted run followed by another equals one clean run; unchanged documents
are skipped; a failing document is reported and never stops the run."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from lampiran.batch import DocResult
from lampiran.cli import main
from lampiran.progress import Progress
from tests.fixtures.corpus import build_corpus
from tests.truth import diff_plan, score_plan

ROOT = Path(__file__).resolve().parents[1]
N_DIGITAL = 24
N_DOCS = N_DIGITAL + 1  # and one scanned SK
SCANNED = "scan-rl_check_v.pdf"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    from tests.fixtures.scan import scan_document

    folder = tmp_path_factory.mktemp("corpus")
    build_corpus(folder, N_DIGITAL)
    src = ROOT / "tests" / "fixtures" / "pdf" / "rl_check_v.pdf"
    scan_document(src, folder / SCANNED, 150)
    (folder / SCANNED).with_suffix(".truth.json").write_bytes(src.with_suffix(".truth.json").read_bytes())
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<<")  # truncated
    (folder / "notes.pdf").write_text("catatan rapat, bukan PDF")
    return folder


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _run(corpus: Path, out: Path, *extra: str) -> int:
    return main(["run", str(corpus), "--out", str(out), "--interim", str(out.parent / (out.name + "-interim")), *extra])


@pytest.fixture(scope="module")
def serial(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("serial") / "clean"
    assert _run(corpus, out, "--jobs", "1") == 1  # two bad files
    return out


@pytest.mark.ocr  # the corpus holds a scanned SK
@pytest.mark.slow
def test_serial_run_is_exact_and_reports_failures(corpus, serial):
    docs = pd.read_csv(serial / "documents.csv", dtype=str, keep_default_na=False)
    assert len(docs) == N_DOCS
    errors = pd.read_csv(serial / "errors.csv", dtype=str, keep_default_na=False)
    assert sorted(errors["source_file"]) == ["broken.pdf", "notes.pdf"]
    assert set(errors["stage"]) == {"extract"}
    # Every document's rows are right, not just present.
    from lampiran.batch import Store

    kinds = {}
    for plan in Store(serial).plans():
        t = json.loads((corpus / plan.document.source_file).with_suffix(".truth.json").read_text())
        kinds[plan.document.source_file] = plan.document.kind
        if plan.document.kind == "digital":
            assert diff_plan(plan, t) == [], plan.document.source_file
        else:  # OCR: every activity and month; text within the scan targets
            score = score_plan(plan, t)
            assert score["activities_found"] == score["activities_true"] and score["month_accuracy"] >= 0.995, score
    assert kinds[SCANNED] == "scanned" and list(kinds.values()).count("digital") == N_DIGITAL


@pytest.mark.ocr  # the corpus holds a scanned SK
@pytest.mark.slow
def test_two_jobs_give_the_same_bytes(corpus, serial, tmp_path):
    out = tmp_path / "clean"
    assert _run(corpus, out, "--jobs", "2") == 1
    assert _files(out) == _files(serial)


@pytest.mark.ocr  # the corpus holds a scanned SK
@pytest.mark.slow
def test_dask_cluster_gives_the_same_bytes(corpus, serial, tmp_path):
    import distributed

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        out = tmp_path / "clean"
        assert _run(corpus, out, "--dask", cluster.scheduler_address) == 1
    assert _files(out) == _files(serial)


@pytest.mark.ocr  # the corpus holds a scanned SK
@pytest.mark.slow
def test_second_run_skips_unchanged_documents_and_force_reprocesses(corpus, serial, tmp_path, capsys):
    out = tmp_path / "clean"
    assert _run(corpus, out, "--jobs", "1") == 1
    first = _files(out)
    capsys.readouterr()
    assert _run(corpus, out, "--jobs", "1") == 1
    s = capsys.readouterr().out
    assert f"{N_DOCS + 2} documents: 0 processed, {N_DOCS} unchanged, 2 failed" in s
    assert _files(out) == first
    # Under other OCR options the scan is read again; the digital SKs are kept.
    assert _run(corpus, out, "--jobs", "1", "--lang", "eng") == 1
    assert f"{N_DOCS + 2} documents: 1 processed, {N_DIGITAL} unchanged, 2 failed" in capsys.readouterr().out
    assert _run(corpus, out, "--jobs", "1", "--force") == 1
    assert f"{N_DOCS} processed, 0 unchanged" in capsys.readouterr().out
    assert _files(out) == first == _files(serial)


@pytest.mark.ocr  # the corpus holds a scanned SK
@pytest.mark.slow
def test_interrupted_run_then_rerun_equals_one_clean_run(corpus, serial, tmp_path):
    out = tmp_path / "clean"
    store = out / ".lampiran" / "docs"
    cmd = [sys.executable, "-m", "lampiran", "run", str(corpus), "--out", str(out), "--interim", str(tmp_path / "i"), "--jobs", "1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(store.glob("*.json"))) < N_DOCS // 3:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # no chance to clean up
    proc.wait()
    done = len(list(store.glob("*.json")))
    assert 0 < done < N_DOCS, "the kill must land in the middle of the run"
    assert not (out / "activities.csv").exists()
    assert _run(corpus, out, "--jobs", "1") == 1
    assert _files(out) == _files(serial)


@pytest.mark.ocr  # the corpus holds a scanned SK
@pytest.mark.slow
def test_partitioned_dataset_reads_back_as_the_tables(serial):
    for name in ("documents", "activities", "schedule"):
        whole = pd.read_parquet(serial / f"{name}.parquet")
        parts = pd.read_parquet(serial / "dataset" / name)  # one file per document, read as one table
        assert parts["doc_id"].map(type).eq(str).all()  # text, whatever its digits
        key = [c for c in ("doc_id", "activity_no", "bulan") if c in whole.columns]
        parts = parts[list(whole.columns)].sort_values(key).reset_index(drop=True)
        whole = whole.sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(parts, whole, check_dtype=False)
    assert len(list((serial / "dataset" / "activities").iterdir())) == N_DOCS


def test_progress_bar_on_a_terminal_and_log_lines_elsewhere():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    r = DocResult("data/raw/a.pdf", "0" * 64, "ok", 1.0, kind="digital", pages=10)
    tty, log = Tty(), io.StringIO()
    Progress(2, 20, stream=tty).update(r, 1, 2)
    Progress(2, 20, stream=log).update(r, 1, 2)
    assert tty.getvalue().startswith("\r[############............] 1/2 documents, 10/20 pages")
    assert "a.pdf" in tty.getvalue() and "s left" in tty.getvalue()  # an estimate of what is left
    assert log.getvalue() == "lampiran: [1/2] data/raw/a.pdf: digital, 10 pages, 0 activities, 1.0s\n"
    # Within a document, the bar advances page by page and names the file.
    bar = Progress(2, 20, stream=Tty())
    bar.update(r, 1, 2)
    bar.page("data/raw/b.pdf", 3, 8)
    assert bar.stream.getvalue().rsplit("\r", 1)[1].startswith("[############............] 1/2 documents, 13/20 pages")
    assert "b.pdf p.3/8" in bar.stream.getvalue()


def test_rerun_of_an_unchanged_corpus_writes_nothing_and_restores_a_missing_output(tmp_path):
    """The outputs are rebuilt only when what they are made from changed, or a file is gone."""
    folder = tmp_path / "sks"
    build_corpus(folder, 2)
    out = tmp_path / "clean"
    assert _run(folder, out, "--jobs", "1") == 0
    first = _files(out)
    def stamps() -> dict:  # the lock file holds each run's pid: not an output
        return {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != "lock"}

    before = stamps()
    assert _run(folder, out, "--jobs", "1") == 0
    assert stamps() == before  # nothing written
    (out / "activities.csv").unlink()
    assert _run(folder, out, "--jobs", "1") == 0
    assert _files(out) == first  # the missing table is back, the same bytes
    build_corpus(folder, 3)  # one document more: everything is rebuilt
    assert _run(folder, out, "--jobs", "1") == 0
    assert len((out / "documents.csv").read_text().splitlines()) == 1 + 3
    before = stamps()
    assert _run(folder, out, "--jobs", "1", "--force") == 0  # --force: written anew
    assert stamps()[out / "activities.csv"] > before[out / "activities.csv"]


def test_a_worker_reading_a_digital_pdf_imports_no_writer_or_image_library():
    """A pool worker forks with both stages loaded and then reads and
    normalizes; the writers' pyarrow (and numpy with it) and the scanned
    reader's OpenCV are imported only where they are needed, so the parent
    imports pyarrow while its workers read (issue 13: start fast)."""
    code = (
        "import sys\n"
        "from lampiran.batch import process_one\n"
        "from lampiran.extract.options import ExtractOptions\n"
        "r = process_one(sys.argv[1], options=ExtractOptions(page_jobs=1))\n"
        "assert r.status == 'ok', r.error\n"
        "print(sorted(m for m in ('pyarrow', 'numpy', 'pandas', 'cv2') if m in sys.modules))\n"
    )
    pdf = ROOT / "data" / "raw" / "sk-kpu-lumajang-2022-rencana-aksi-rb.pdf"
    out = subprocess.run([sys.executable, "-c", code, str(pdf)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
