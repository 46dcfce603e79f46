"""The data contract and the command line: one schema for CSV, Parquet and
datapackage.json (validated by Frictionless itself), doc_id always text, the
Excel workbook, exit codes, -q, --password, --lang, and a bare ``lampiran run``
outside a project."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from lampiran.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "raw" / "sk-kpu-lumajang-2022-rencana-aksi-rb.pdf"
GENERIC = ROOT / "tests" / "fixtures" / "tables" / "tables_docx_pejabat.pdf"

ARROW_TYPES = {"string": "string", "integer": "int64", "number": "double", "boolean": "bool", "date": "date32[day]"}


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("contract") / "clean"
    assert main(["run", str(SAMPLE), str(GENERIC), "--out", str(out), "--xlsx", "-q"]) == 0
    return out


def test_frictionless_validates_the_package_and_its_foreign_keys(clean, tmp_path):
    import frictionless

    report = frictionless.validate(clean / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]
    # A month of an activity that does not exist breaks schedule -> activities.
    broken = tmp_path / "broken"
    shutil.copytree(clean, broken, ignore=shutil.ignore_patterns("dataset", "tables", ".lampiran"))
    with open(broken / "schedule.csv", "a", encoding="utf-8") as f:
        f.write(f"{pd.read_csv(clean / 'documents.csv', dtype=str)['doc_id'][0]},999,5,,,,,\n")
    report = frictionless.validate(broken / "datapackage.json")
    assert not report.valid
    assert {row[0] for row in report.flatten(["type"])} == {"foreign-key"}


def test_parquet_has_the_package_types_and_agrees_with_csv(clean):
    package = json.loads((clean / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        table = pq.read_table(clean / f"{res['name']}.parquet")
        want = {f["name"]: ARROW_TYPES[f["type"]] for f in res["schema"]["fields"]}
        assert {f.name: str(f.type) for f in table.schema} == want, res["name"]
        # The same rows either way: an empty CSV field is a Parquet null.
        from_csv = pd.read_csv(clean / f"{res['name']}.csv", dtype=str, keep_default_na=False)
        for col in from_csv.columns:
            values = table.column(col).to_pylist()
            if want[col] == "double":
                assert [float(v) for v in from_csv[col]] == values, (res["name"], col)
                continue
            as_text = ["" if v is None else v.isoformat() if hasattr(v, "isoformat") else str(v) for v in values]
            assert as_text == list(from_csv[col]), (res["name"], col)
    docs = pq.read_table(clean / "documents.parquet")
    assert str(docs.schema.field("tanggal_ditetapkan").type) == "date32[day]"
    assert str(docs.schema.field("tahun").type) == "int64"


def test_a_doc_id_of_digits_stays_text_in_every_output(tmp_path):
    from lampiran.batch import write_outputs
    from lampiran.pipeline import process

    plan = process(SAMPLE)
    digits = "012345678901"

    def re_id(records):
        return [r.model_copy(update={"doc_id": digits}) for r in records]

    plan.document = plan.document.model_copy(update={"doc_id": digits})
    plan.activities, plan.schedule = re_id(plan.activities), re_id(plan.schedule)
    plan.tables, plan.cells = re_id(plan.tables), re_id(plan.cells)
    write_outputs(tmp_path, [plan], [])
    for name in ("documents", "activities", "schedule"):
        for df in (pd.read_parquet(tmp_path / f"{name}.parquet"), pd.read_parquet(tmp_path / "dataset" / name)):
            assert list(df["doc_id"].unique()) == [digits], name
    assert [p.name for p in (tmp_path / "dataset" / "activities").iterdir()] == [f"{digits}.parquet"]


def test_the_workbook_has_a_sheet_per_table_frozen_headers_and_stable_bytes(clean, tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(clean / "lampiran.xlsx")
    assert wb.sheetnames == ["documents", "activities", "schedule", "tables", "table_cells", "warnings", "revisions"]
    acts = pd.read_csv(clean / "activities.csv", dtype=str, keep_default_na=False)
    ws = wb["activities"]
    assert ws.freeze_panes == "A2" and [c.value for c in ws[1]] == list(acts.columns)
    assert ws.max_row == len(acts) + 1 and ws.cell(2, 2).value == 1  # integers stay numbers
    assert 10 < ws.column_dimensions["F"].width <= 62  # kegiatan: wide, yet bounded
    again = tmp_path / "again"
    assert main(["run", str(SAMPLE), str(GENERIC), "--out", str(again), "--xlsx", "-q"]) == 0
    assert (again / "lampiran.xlsx").read_bytes() == (clean / "lampiran.xlsx").read_bytes()


def test_quiet_prints_errors_only(tmp_path, capsys):
    bad = tmp_path / "bad.pdf"
    bad.write_text("bukan PDF")
    assert main(["run", str(SAMPLE), str(bad), "--out", str(tmp_path / "o"), "-q"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert [ln.split(": ", 2)[1] for ln in err.splitlines()] == ["error", "1 of 2 file(s) failed"]


def test_a_bare_run_outside_a_project_says_what_it_expects_and_writes_nothing(tmp_path):
    p = subprocess.run([sys.executable, "-m", "lampiran", "run"], cwd=tmp_path, capture_output=True, text=True,
                       env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert p.returncode == 1
    assert p.stderr.startswith("lampiran: error: no PDF given, and no data/raw/ here;") and p.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_exit_codes_are_listed_and_a_usage_error_is_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["run", "--help"])
    assert e.value.code == 0
    helptext = capsys.readouterr().out
    assert "exit status:" in helptext and "  2    the command line is wrong" in helptext
    with pytest.raises(SystemExit) as e:
        main(["run", "--no-such-option"])
    assert e.value.code == 2


def test_an_encrypted_sk_reads_with_its_password(tmp_path, capsys):
    from pypdf import PdfReader, PdfWriter

    locked = tmp_path / "locked.pdf"
    w = PdfWriter(clone_from=PdfReader(SAMPLE))
    w.encrypt(user_password="rahasia", owner_password="pemilik")
    w.write(locked)
    assert main(["run", str(locked), "--out", str(tmp_path / "a"), "-q"]) == 1
    assert "encrypted PDF (a password is needed to read it: --password)" in capsys.readouterr().err
    assert main(["run", str(locked), "--out", str(tmp_path / "b"), "-q", "--password", "salah"]) == 1
    assert "encrypted PDF (the password given does not open it)" in capsys.readouterr().err
    assert main(["run", str(locked), "--out", str(tmp_path / "c"), "-q", "--password", "rahasia"]) == 0
    assert main(["run", str(SAMPLE), "--out", str(tmp_path / "d"), "-q"]) == 0
    for name in ("activities", "schedule"):
        read = [pd.read_csv(tmp_path / side / f"{name}.csv", dtype=str).drop(columns="doc_id") for side in "cd"]
        pd.testing.assert_frame_equal(*read)


def test_an_ocr_language_tesseract_lacks_is_one_line(tmp_path, capsys):
    assert main(["run", str(SAMPLE), "--out", str(tmp_path / "o"), "--lang", "ind+xyz"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Tesseract has no language data for xyz" in err[0]
    assert not (tmp_path / "o").exists()


def test_files_take_the_users_umask(tmp_path):
    out = tmp_path / "o"
    p = subprocess.run(["sh", "-c", f"umask 027 && {sys.executable} -m lampiran run '{SAMPLE}' --out '{out}' -q"],
                       cwd=ROOT, capture_output=True)
    assert p.returncode == 0
    assert {oct(f.stat().st_mode & 0o777) for f in out.glob("*.csv")} == {"0o640"}


def test_progress_names_every_page_of_a_document_in_a_worker():
    """The pool relays page events from its workers (the bar's input)."""
    from lampiran.workers import run_pool

    events: list[tuple[str, int, int]] = []
    ticks: list[int] = []
    results = list(run_pool(1, on_page=lambda *e: events.append(e), tick=lambda: ticks.append(1))(
        [(str(SAMPLE), "")]))
    assert [r.status for r in results] == ["ok"]
    assert [(n, total) for _, n, total in events] == [(i, 10) for i in range(1, 11)]


def test_the_bar_on_a_terminal_advances_page_by_page(tmp_path):
    """stderr a pseudo-terminal, as a user's: the bar names each page as it is read."""
    import pty

    leader, follower = pty.openpty()
    p = subprocess.Popen([sys.executable, "-m", "lampiran", "run", str(SAMPLE), "--out", str(tmp_path / "o")],
                         cwd=ROOT, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the terminal closed: the run ended
            break
        if not data:
            break
        chunks.append(data)
    assert p.wait(timeout=60) == 0
    screen = b"".join(chunks).decode("utf-8", "replace")
    pages = [f"{SAMPLE.name} p.{i}/10" for i in range(1, 11)]
    assert all(label[:48] in screen for label in pages), screen[-500:]
    assert "0/1 documents, 10/10 pages" in screen and "1/1 documents, 10/10 pages" in screen


def test_each_documents_parquet_part_is_the_bytes_of_its_rows_written_alone():
    """``parquet_parts`` converts a table once and takes each document's rows
    from it: the bytes are those of the rows written on their own, for rows
    in one run or scattered, with missing values and dates."""
    from datetime import date

    from lampiran.model.frame import frame
    from lampiran.model.write import parquet_bytes, parquet_parts

    rows = [{"doc_id": d, "n": i, "text": t, "tanggal": day}
            for i, (d, t, day) in enumerate([("b", "satu", "2024-01-02"), ("a", "", ""), ("b", None, "2023-05-06"),
                                             ("a", "empat", ""), ("c", "lima", "2022-12-31")])]
    df = frame(rows, ["doc_id", "n", "text", "tanggal"], {"n": "int64", "tanggal": "date"})
    parts = dict(parquet_parts(df, "doc_id"))
    assert list(parts) == ["a", "b", "c"]
    assert parts == {doc_id: parquet_bytes(part) for doc_id, part in df.split("doc_id")}
    assert all(isinstance(v, date) or v is None for v in df.data["tanggal"])
