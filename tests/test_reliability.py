"""Reliability: a time limit per document, a worker killed mid-document in
the pool and on Dask, one writer per output folder, Ctrl-C, an unreachable
scheduler, and the mutation fuzzer run as a user runs the tool."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from lampiran.cli import main

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "tests" / "fixtures" / "pdf"
SAMPLE = ROOT / "data" / "raw" / "sk-kpu-lumajang-2022-rencana-aksi-rb.pdf"
DIGITAL = ["rl_seed.pdf", "docx_seed.pdf", "xlsx_seed.pdf"]
SCANNED = "scan-rl_check_v.pdf"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Three digital SKs (about a second each) and one 150 dpi scan (ten times longer)."""
    from tests.fixtures.scan import scan_document

    folder = tmp_path_factory.mktemp("corpus")
    for name in DIGITAL:
        (folder / name).write_bytes((PDF / name).read_bytes())
    scan_document(PDF / "rl_check_v.pdf", folder / SCANNED, 150)
    return folder


def _errors(out: Path) -> dict[str, str]:
    e = pd.read_csv(out / "errors.csv", dtype=str, keep_default_na=False)
    return dict(zip(e["source_file"], e["error"]))


def _sources(out: Path) -> list[str]:
    return sorted(pd.read_csv(out / "documents.csv", dtype=str)["source_file"])


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "lampiran", *args]


@pytest.mark.ocr
@pytest.mark.slow
def test_a_document_past_its_time_limit_is_an_error_and_the_rest_finish(corpus, tmp_path, capsys):
    out = tmp_path / "clean"
    # A digital SK takes about a second, the scan about 20 (150 dpi, one page at a time).
    assert main(["run", str(corpus), "--out", str(out), "--timeout", "8", "--jobs", "2"]) == 1
    assert _errors(out) == {SCANNED: "timed out after 8 s (--timeout)"}
    assert _sources(out) == sorted(DIGITAL)
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.ocr
@pytest.mark.slow
def test_on_dask_a_document_past_its_time_limit_is_an_error_and_its_worker_restarted(corpus, tmp_path, capsys):
    import distributed

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        out = tmp_path / "clean"
        # A digital SK takes about a second, the scan about 20 (150 dpi, one page at a time).
        assert main(["run", str(corpus), "--out", str(out), "--timeout", "8", "--dask", cluster.scheduler_address]) == 1
    assert _errors(out) == {SCANNED: "timed out after 8 s (--timeout)"}
    assert _sources(out) == sorted(DIGITAL)
    assert "Traceback" not in capsys.readouterr().err


def _workers_of(pid: int) -> list[int]:
    """The pool's worker processes: children forked from ``pid`` (same command line)."""
    me = Path(f"/proc/{pid}/cmdline").read_bytes()
    kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(k) for k in kids if Path(f"/proc/{k}/cmdline").exists() and Path(f"/proc/{k}/cmdline").read_bytes() == me]


@pytest.mark.ocr
@pytest.mark.slow
def test_a_worker_killed_mid_document_leaves_it_in_errors_and_the_rest_finish(corpus, tmp_path):
    out = tmp_path / "clean"
    proc = subprocess.Popen(_cli("run", str(corpus), "--out", str(out), "--jobs", "2"), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(proc.stderr), daemon=True)
    reader.start()
    deadline = time.monotonic() + 120
    # The digital SKs finish first; the scan is still being read.
    while time.monotonic() < deadline and sum(f"/{len(DIGITAL) + 1}]" in ln for ln in log) < len(DIGITAL):
        time.sleep(0.05)
    workers = _workers_of(proc.pid)
    assert workers, "the pool must have workers"
    for w in workers:
        os.kill(w, signal.SIGKILL)  # as the kernel's out-of-memory killer does
    assert proc.wait(timeout=120) == 1
    reader.join(timeout=5)
    assert not any("Traceback" in ln for ln in log), log
    assert _errors(out) == {SCANNED: "worker crashed (killed by SIGKILL; out of memory, or a fault in a native library)"}
    assert _sources(out) == sorted(DIGITAL)


@pytest.mark.ocr
@pytest.mark.slow
def test_a_dask_worker_killed_mid_document_leaves_it_in_errors_and_the_rest_finish(corpus, tmp_path):
    import dask
    import distributed

    from lampiran.batch import run_corpus
    from lampiran.workers import run_dask

    # No retries on another worker: the first death of a task's worker fails it.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as watcher:
        out = tmp_path / "clean"
        pdfs = sorted(corpus.glob("*.pdf"))
        report: list = []
        run = threading.Thread(target=lambda: report.append(
            run_corpus(pdfs, out, None, run_dask(cluster.scheduler_address))))
        run.start()
        scan_sha = hashlib.sha256((corpus / SCANNED).read_bytes()).hexdigest()
        victim = None
        deadline = time.monotonic() + 120
        while victim is None and time.monotonic() < deadline:
            for addr, keys in watcher.processing().items():
                if [scan_sha in str(k) for k in keys] == [True] and \
                        len(list((out / ".lampiran" / "docs").glob("*.json"))) == len(DIGITAL):
                    victim = addr  # the scan runs there, the rest are done
            time.sleep(0.05)
        assert victim, "the scan must be running on a worker"
        pid = watcher.run(os.getpid, workers=[victim])[victim]
        os.kill(pid, signal.SIGKILL)
        run.join(timeout=180)
    [r] = report
    failed = {Path(x.path).name: x.error for x in r.failed}
    assert list(failed) == [SCANNED] and failed[SCANNED].startswith("worker crashed (KilledWorker")
    assert _sources(out) == sorted(DIGITAL)


def test_a_second_writer_of_an_output_folder_is_refused(tmp_path, capsys):
    from lampiran.lock import output_lock

    out = tmp_path / "clean"
    with output_lock(out):
        assert main(["run", str(SAMPLE), "--out", str(out)]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert err == [f"lampiran: error: {out}: another lampiran process (pid {os.getpid()}) is writing to this "
                       "folder; wait for it to finish, or choose another --out"]
        assert not (out / "documents.csv").exists()
    assert main(["run", str(SAMPLE), "--out", str(out), "-q"]) == 0  # released


def test_a_killed_writer_leaves_no_lock_behind(tmp_path):
    out = tmp_path / "clean"
    code = f"from lampiran.lock import output_lock; import os\nwith output_lock({str(out)!r}): os.kill(os.getpid(), 9)"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT)
    assert main(["run", str(SAMPLE), "--out", str(out), "-q"]) == 0


@pytest.mark.slow
def test_ctrl_c_stops_a_pool_run_in_one_line_and_keeps_finished_documents(tmp_path):
    from tests.fixtures.corpus import build_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    build_corpus(corpus, 12)
    out = tmp_path / "clean"
    # A foreground job of a terminal: Ctrl-C not ignored (a shell starts
    # background jobs with SIGINT ignored, and Python then leaves it so).
    proc = subprocess.Popen(_cli("run", str(corpus), "--out", str(out), "--jobs", "2"), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    store = out / ".lampiran" / "docs"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(store.glob("*.json"))) < 2:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends the whole foreground group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.strip().splitlines()[-1] == "lampiran: interrupted; finished documents are kept, run again to go on"
    assert 2 <= len(list(store.glob("*.json"))) < 12


@pytest.mark.slow
def test_an_unreachable_dask_scheduler_is_one_line(tmp_path):
    p = subprocess.run(_cli("run", str(SAMPLE), "--out", str(tmp_path / "o"), "--dask", "tcp://127.0.0.1:1"),
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 1
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lampiran: error: tcp://127.0.0.1:1: cannot reach the Dask scheduler")


@pytest.mark.slow
def test_fuzzed_copies_are_never_silently_wrong_nor_past_their_bound(tmp_path):
    from tests.fuzz import run_fuzz

    v = run_fuzz(48, seed=7, work=tmp_path)
    print(f"\n48 mutants: {dict(v.counts)} in {v.seconds:.0f} s")
    assert v.silent == [] and v.slow == []
    assert not v.traceback and v.exit_code in (0, 1)
    assert v.counts["failed"] and v.counts["exact"]
