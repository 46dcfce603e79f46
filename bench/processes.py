"""Speed as a user times it: whole processes, interpreter start included.

Every figure is a ratio against a peer measured in the same run, the tools
taking turns in every round so that load from anything else on the machine
hits them alike:

  digital   `lampiran run` on one PDF (fresh output folder each round) against
            a script that only imports pdfplumber and calls
            `page.extract_tables()` on every page;
  stages    where the time of `lampiran run` goes, in process (open, read
            objects, grid and text, facts, normalize, JSON, write);
  scanned   `lampiran run` on an image-only scan against single-threaded
            Tesseract reading every page image once: the `tesseract` command
            (OMP_THREAD_LIMIT=1), and the Tesseract release lampiran runs,
            through its API in one process;
  corpus    `--jobs 2` against `--jobs 1` on distinct generated SKs, a re-run
            of the unchanged corpus against the first run, and the peak
            memory (max RSS of any process) of a run.

Run: `make bench` (or `python bench/processes.py --help`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "data" / "raw" / "sk-kpu-lumajang-2022-rencana-aksi-rb.pdf"
BALI = ROOT.parent / "shared" / "realdocs" / "bali-pergub-1-2021-lampiran-ii.pdf"
BIN = Path(sys.executable).parent
PLUMBER = "import sys, pdfplumber\nwith pdfplumber.open(sys.argv[1]) as d:\n    [p.extract_tables() for p in d.pages]\n"
MAXRSS = ("import resource, subprocess, sys\nsubprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
          "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")

TESS_API = ("import sys, tesserocr\n"
            "with tesserocr.PyTessBaseAPI(path=sys.argv[1], lang='ind+eng') as api:\n"
            "    for f in sys.argv[2:]:\n        api.SetImageFile(f)\n        api.GetUTF8Text()\n")

Command = Callable[[], list[str]]


def seconds(cmd: list[str], env: dict[str, str] | None = None) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t


def taking_turns(tools: dict[str, Command], rounds: int) -> dict[str, list[float]]:
    """Seconds of each tool's command per round, the tools in turn every round
    (one warm-up round first: page cache, bytecode)."""
    for make in tools.values():
        seconds(make())
    times: dict[str, list[float]] = {k: [] for k in tools}
    for _ in range(rounds):
        for name, make in tools.items():
            times[name].append(seconds(make()))
    return times


def lampiran_run(pdf: Path, tmp: Path, *extra: str) -> Command:
    """A command line of ``lampiran run`` into a fresh output folder."""
    counter = iter(range(10**6))

    def make() -> list[str]:
        out = tmp / f"run-{next(counter)}"
        shutil.rmtree(out, ignore_errors=True)
        return [str(BIN / "lampiran"), "run", str(pdf), "--out", str(out / "clean"), "--interim", str(out / "interim"), "-q", *extra]

    return make


def digital(pdf: Path, rounds: int) -> None:
    import pypdfium2 as pdfium

    n = len(pdfium.PdfDocument(str(pdf)))
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "plumber.py"
        script.write_text(PLUMBER)
        times = taking_turns({
            "lampiran run": lampiran_run(pdf, Path(tmp)),
            "pdfplumber extract_tables": lambda: [sys.executable, str(script), str(pdf)],
        }, rounds)
    ours, theirs = statistics.median(times["lampiran run"]), statistics.median(times["pdfplumber extract_tables"])
    print(f"\ndigital, as processes: {pdf.name}, {n} pages, {rounds} rounds taking turns (median)")
    print(f"{'command':28} {'seconds':>8} {'pages/s':>8}")
    for name, t in (("lampiran run", ours), ("pdfplumber extract_tables", theirs)):
        print(f"{name:28} {t:8.2f} {n / t:8.1f}")
    print(f"lampiran run is {theirs / ours:.2f}x pdfplumber's table finder alone")


def stages(pdf: Path) -> None:
    """Seconds per stage of one document, in process (after a warm-up run)."""
    from lampiran.batch import write_outputs
    from lampiran.extract.damage import Verdicts, document_damage, page_damage
    from lampiran.extract.digital import DigitalReader
    from lampiran.extract.options import ExtractOptions
    from lampiran.extract.pdf import open_pdf
    from lampiran.extract.pages import page_objects, pdfium_twin
    from lampiran.extract.stage import extract_document
    from lampiran.normalize.stage import normalize_document
    from lampiran import __version__

    normalize_document(extract_document(pdf, options=ExtractOptions(page_jobs=1)))  # warm-up
    t: dict[str, float] = dict.fromkeys(("open", "read objects", "grid and text", "damage checks"), 0.0)
    c = time.perf_counter()
    doc = open_pdf(pdf)
    twin = pdfium_twin(doc)
    t["open"] += time.perf_counter() - c
    reader, verdicts = DigitalReader(), Verdicts()
    for n, page in enumerate(doc.pages, start=1):
        c = time.perf_counter()
        page_damage(page.page_obj, n, verdicts)
        t["damage checks"] += time.perf_counter() - c
        c = time.perf_counter()
        objs = page_objects(page, twin, n)
        t["read objects"] += time.perf_counter() - c
        c = time.perf_counter()
        reader.read_objects(objs, n)
        t["grid and text"] += time.perf_counter() - c
        page.close()
    c = time.perf_counter()
    document_damage(doc.doc, pdf)
    t["damage checks"] += time.perf_counter() - c
    twin.close()
    doc.close()
    c = time.perf_counter()
    whole = extract_document(pdf, options=ExtractOptions(page_jobs=1))
    in_all = time.perf_counter() - c
    c = time.perf_counter()
    plan = normalize_document(whole)
    t["normalize"] = time.perf_counter() - c
    c = time.perf_counter()
    whole.to_json()
    plan.to_json(__version__)
    t["JSON (intermediate, store)"] = time.perf_counter() - c
    with tempfile.TemporaryDirectory() as out:
        c = time.perf_counter()
        write_outputs(Path(out), [plan], [])
        t["write (CSV, Parquet, dataset)"] = time.perf_counter() - c
    total = sum(t.values())
    print(f"\nstages, in process, one core: {pdf.name} ({total:.2f} s in all; extract_document {in_all:.2f} s)")
    for name, v in t.items():
        print(f"  {name:30} {v:7.3f} s {100 * v / total:5.1f}%")


def scanned(dpi: int, rounds: int) -> None:
    import pypdfium2 as pdfium

    from tests.fixtures.scan import scan_document

    src = ROOT / "tests" / "fixtures" / "pdf" / "rl_seed.pdf"
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        pdf = tmp / f"rl_seed.{dpi}.pdf"
        scan_document(src, pdf, dpi)
        doc = pdfium.PdfDocument(str(pdf))
        images = []
        for i in range(len(doc)):  # the scan's own page images, as files (not timed)
            img = tmp / f"page-{i + 1}.png"
            doc[i].render(scale=dpi / 72, grayscale=True).to_pil().save(img)
            images.append(img)
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

        def tesseract() -> float:
            return sum(seconds(["tesseract", str(img), "-", "-l", "ind+eng"], env) for img in images)

        # The same Tesseract release lampiran runs (the tesserocr wheel's),
        # reading every page once in one process: the peer without the
        # command's start-up per page and with the newer release's speed.
        api_script = tmp / "tess_api.py"
        api_script.write_text(TESS_API)
        from lampiran.model.lexicon import tessdata_dir

        api_cmd = [sys.executable, str(api_script), (tessdata_dir() or ".").rstrip("/") + "/", *map(str, images)]
        ours_make = lampiran_run(pdf, tmp)
        ours_api_make = lampiran_run(pdf, tmp, "--ocr-engine", "api")
        seconds(ours_make())  # warm-up
        ours, ours_api, theirs, api = [], [], [], []
        for _ in range(rounds):
            ours.append(seconds(ours_make()))
            ours_api.append(seconds(ours_api_make()))
            theirs.append(tesseract())
            api.append(seconds(api_cmd, env))
    o, oa = statistics.median(ours), statistics.median(ours_api)
    t, a = statistics.median(theirs), statistics.median(api)
    print(f"\nscanned, as processes: {src.stem} scanned at {dpi} dpi (skewed, noisy, JPEG), {len(images)} pages, {rounds} rounds")
    print(f"  lampiran run (whole pipeline, 2 cores)                       {o:7.2f} s  {o / t:.2f} of the command's time")
    print(f"  lampiran run --ocr-engine api                                {oa:7.2f} s  {oa / a:.2f} of the API's time")
    print(f"  tesseract command, single-threaded, every page once          {t:7.2f} s")
    print(f"  Tesseract API (tesserocr), single-threaded, every page once  {a:7.2f} s")


def corpus(n_docs: int, rounds: int) -> None:
    from tests.fixtures.corpus import build_corpus

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = tmp / "corpus"
        build_corpus(folder, n_docs)
        times = taking_turns({"--jobs 1": lampiran_run(folder, tmp, "--jobs", "1"),
                              "--jobs 2": lampiran_run(folder, tmp, "--jobs", "2")}, rounds)
        one, two = statistics.median(times["--jobs 1"]), statistics.median(times["--jobs 2"])
        out = tmp / "again"
        first = seconds([str(BIN / "lampiran"), "run", str(folder), "--out", str(out), "-q"])
        again = statistics.median(seconds([str(BIN / "lampiran"), "run", str(folder), "--out", str(out), "-q"]) for _ in range(3))
    print(f"\ncorpus, as processes: {n_docs} distinct generated SKs, {rounds} rounds taking turns (median)")
    print(f"  --jobs 1 {one:6.2f} s   --jobs 2 {two:6.2f} s   speed-up {one / two:.2f}x")
    print(f"  first run {first:6.2f} s   re-run of the unchanged corpus {again:6.2f} s   ({again / first:.2f} of the first)")


def memory(pdf: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", MAXRSS, *lampiran_run(pdf, Path(tmp))()],
                             check=True, capture_output=True, text=True).stdout
    print(f"\nmemory: peak RSS of any process of `lampiran run {pdf.name}`: {int(out.strip()) / 1024:.0f} MB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--only", choices=["digital", "stages", "scanned", "corpus", "memory"], action="append")
    ap.add_argument("--scan-dpi", type=int, action="append", help="scan resolutions (default 150 and 200)")
    ap.add_argument("--corpus", type=int, default=9, help="documents in the corpus part")
    args = ap.parse_args()
    parts = set(args.only or ["digital", "stages", "scanned", "corpus", "memory"])
    docs = [SAMPLE] + ([BALI] if BALI.is_file() else [])
    if "digital" in parts:
        for pdf in docs:
            digital(pdf, args.rounds if pdf == SAMPLE else max(2, args.rounds // 2))
    if "stages" in parts:
        for pdf in docs:
            stages(pdf)
    if "scanned" in parts:
        for dpi in args.scan_dpi or [150, 200]:
            scanned(dpi, max(1, args.rounds // 3))
    if "corpus" in parts:
        corpus(args.corpus, max(2, args.rounds // 2))
    if "memory" in parts:
        for pdf in docs:
            memory(pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
