"""Bad input: one clear line naming the file and the reason, a non-zero exit,
the good files in the same run still processed, nothing half-written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from lampiran.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw" / "sk-kpu-lumajang-2022-rencana-aksi-rb.pdf"


def _body_only(path: Path) -> None:
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for i, line in enumerate(["KEPUTUSAN KETUA KPU KABUPATEN X", "NOMOR : 1/HK/2022", "TENTANG", "SESUATU"]):
        c.drawString(72, 750 - 20 * i, line)
    c.showPage()
    c.save()


def _other_table(path: Path) -> None:
    """A ruled 4-column table (a list of posts, as in a Pergub lampiran): no month grid."""
    c = canvas.Canvas(str(path), pagesize=landscape(A4), invariant=1)
    xs, ys = [50, 100, 350, 600, 750], [500 - 20 * i for i in range(6)]
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for j, h in enumerate(["NO", "NAMA JABATAN", "UNIT ORGANISASI", "KELAS JABATAN"]):
        c.drawString(xs[j] + 3, ys[0] - 14, h)
    for i in range(1, 5):
        for j, v in enumerate([str(i), f"Jabatan {i}", "Sekretariat", str(6 + i)]):
            c.drawString(xs[j] + 3, ys[i] - 14, v)
    c.showPage()
    c.save()


def _encrypted(path: Path) -> None:
    w = PdfWriter(clone_from=PdfReader(SAMPLE))
    w.encrypt(user_password="rahasia", owner_password="pemilik")
    w.write(path)


def _zero_pages(path: Path) -> None:
    PdfWriter().write(path)


def _huge_page(path: Path) -> None:
    """A page of 20,000 x 20,000 pt: larger than any paper."""
    c = canvas.Canvas(str(path), pagesize=(20000, 20000), invariant=1)
    c.drawString(72, 72, "KEPUTUSAN")
    c.showPage()
    c.save()


def _huge_image(path: Path) -> None:
    """An A4 page that is one 20,000 x 20,000 px image (a 1-bit blank, 60 kB
    compressed, 1.2 GB once decoded as RGB)."""
    import zlib

    side = 20000
    data = zlib.compress(bytes(side * side // 8), 9)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1 "
        b"/Filter /FlateDecode /Length %d >>\nstream\n" % (side, side, len(data)) + data + b"\nendstream",
        b"<< /Length 32 >>\nstream\nq 595 0 0 842 0 0 cm /Im0 Do Q  \nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))


BAD = {
    "not-a-pdf.pdf": (lambda p: p.write_text("Ini bukan PDF, hanya teks.\n"), "not a PDF"),
    "empty.pdf": (lambda p: p.write_bytes(b""), "empty file"),
    "truncated.pdf": (lambda p: p.write_bytes(SAMPLE.read_bytes()[: SAMPLE.stat().st_size // 2]), "truncated PDF"),
    "encrypted.pdf": (_encrypted, "encrypted PDF"),
    "zero-pages.pdf": (_zero_pages, "no pages"),
    "huge-page.pdf": (_huge_page, "page 1 is 20000 x 20000 pt, larger than any paper size"),
    "huge-image.pdf": (_huge_image, "page 1: an image of 20000 x 20000 pixels, over the bound of 140 million"),
}


def test_a_readable_sk_without_a_table_gets_its_facts_and_a_warning(tmp_path, capsys):
    """Not bad input: its documents row, no tables, and a warning that says so."""
    pdf = tmp_path / "body-only.pdf"
    _body_only(pdf)
    out = tmp_path / "clean"
    assert main(["run", str(pdf), "--out", str(out), "--interim", str(tmp_path / "interim")]) == 0
    err = capsys.readouterr().err
    assert "error:" not in err and f"warning: {pdf}: no lampiran table found" in err
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    assert docs[["nomor", "tables"]].values.tolist() == [["1/HK/2022", "0"]]
    assert not (out / "errors.csv").exists()


def test_a_table_that_is_not_an_action_plan_comes_out_as_a_table(tmp_path, capsys):
    pdf = tmp_path / "other-table.pdf"
    _other_table(pdf)
    out = tmp_path / "clean"
    assert main(["run", str(pdf), "--out", str(out), "--interim", str(tmp_path / "interim")]) == 0
    assert "error:" not in capsys.readouterr().err
    tables = pd.read_csv(out / "tables.csv", dtype=str, keep_default_na=False)
    assert tables[["table_no", "n_rows", "n_cols", "kind", "columns"]].values.tolist() == [
        ["1", "4", "4", "generic", '["NO", "NAMA JABATAN", "UNIT ORGANISASI", "KELAS JABATAN"]']
    ]
    wide = pd.read_csv(out / "tables" / f"{tables.doc_id[0]}-1.csv", dtype=str, keep_default_na=False)
    assert wide.values.tolist() == [[str(i), f"Jabatan {i}", "Sekretariat", str(6 + i)] for i in range(1, 5)]
    assert len(pd.read_csv(out / "activities.csv")) == 0


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_alone(tmp_path, capsys, name):
    make, reason = BAD[name]
    bad = tmp_path / name
    make(bad)
    out = tmp_path / "clean"
    assert main(["run", str(bad), "--out", str(out), "--interim", str(tmp_path / "interim")]) == 1
    err = [ln for ln in capsys.readouterr().err.splitlines() if "error:" in ln]
    assert len(err) == 1, err
    assert f"{bad}: {reason}" in err[0]
    # No data tables for a failed file; only the errors table naming it.
    assert sorted(p.name for p in out.iterdir()) == [".lampiran", "datapackage.json", "errors.csv", "errors.parquet"]
    errors = pd.read_parquet(out / "errors.parquet")
    assert errors["source_file"].tolist() == [name] and reason in errors["error"][0]


def test_bad_files_do_not_stop_good_ones(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE, raw / "good.pdf")
    for name, (make, _) in BAD.items():
        make(raw / name)
    out = tmp_path / "clean"
    assert main(["run", str(raw), "--out", str(out), "--interim", str(tmp_path / "interim")]) == 1
    err = capsys.readouterr().err
    assert err.count("error:") == len(BAD)
    assert f"{len(BAD)} of {len(BAD) + 1} file(s) failed" in err
    docs = pd.read_csv(out / "documents.csv", dtype=str)
    assert list(docs["source_file"]) == ["good.pdf"]
    assert len(pd.read_parquet(out / "activities.parquet")) == len(pd.read_csv(out / "activities.csv")) > 0
    # Only finished files: no temporaries from the atomic writes.
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{t}.{ext}" for t in ("documents", "activities", "schedule", "tables", "table_cells", "warnings", "revisions", "errors")
         for ext in ("csv", "parquet")]
        + [".lampiran", "datapackage.json", "dataset", "tables"]
    )
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    errors = pd.read_csv(out / "errors.csv", dtype=str, keep_default_na=False)
    assert list(errors.columns) == ["source_file", "sha256", "stage", "error"]
    assert sorted(errors["source_file"]) == sorted(BAD)
    want = {name: reason for name, (_, reason) in BAD.items()}
    assert all(want[f] in e for f, e in zip(errors["source_file"], errors["error"]))
    assert set(errors["stage"]) == {"extract"}


def test_a_failed_run_leaves_previous_outputs_intact(tmp_path):
    out = tmp_path / "clean"
    assert main(["run", str(SAMPLE), "--out", str(out), "--interim", str(tmp_path / "i")]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert len(before) == 15  # documents, activities, schedule, tables, table_cells, warnings, revisions; datapackage.json
    bad = tmp_path / "bad.pdf"
    bad.write_text("no")
    assert main(["run", str(bad), "--out", str(out), "--interim", str(tmp_path / "i")]) == 1
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    package = json.loads(after.pop("datapackage.json"))  # now describes the errors table too
    assert [r["name"] for r in package["resources"]][-1] == "errors"
    assert {k: after[k] for k in before if k != "datapackage.json"} == {k: v for k, v in before.items()
                                                                        if k != "datapackage.json"}
    assert pd.read_csv(out / "errors.csv")["source_file"].tolist() == ["bad.pdf"]


def test_missing_file_and_no_input(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope.pdf"), "--out", str(tmp_path / "o")]) == 1
    assert "nope.pdf: cannot read file" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["run", str(empty), "--out", str(tmp_path / "o")]) == 1
    assert "no PDF files given or found" in capsys.readouterr().err


def test_normalize_reports_a_corrupt_intermediate_and_keeps_the_good_one(tmp_path, capsys):
    interim, out = tmp_path / "interim", tmp_path / "clean"
    assert main(["extract", str(SAMPLE), "--out", str(interim)]) == 0
    (interim / "broken.json").write_text('{"schema": "lampiran.interim/1", "doc_id": ')
    (interim / "old.json").write_text('{"schema": "lampiran.interim/0"}')
    capsys.readouterr()
    assert main(["normalize", str(interim), "--out", str(out)]) == 1
    err = [ln for ln in capsys.readouterr().err.splitlines() if "error:" in ln]
    assert len(err) == 2
    assert f"{interim / 'broken.json'}: unreadable intermediate file" in err[0]
    assert "unknown intermediate schema 'lampiran.interim/0'" in err[1]
    assert len(pd.read_csv(out / "documents.csv")) == 1
    assert pd.read_csv(out / "errors.csv")["source_file"].tolist() == ["broken.json", "old.json"]
