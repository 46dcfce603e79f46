"""Digital fixtures: exact records (every activity, cell text, month, fact)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lampiran.extract.stage import extract_document, write_interim
from lampiran.cli import main
from lampiran.model.interim import Document
from lampiran.pipeline import process
from tests.truth import diff_plan, load_truth

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf"))
SAMPLE = ROOT / "data" / "raw" / "sk-kpu-lumajang-2022-rencana-aksi-rb.pdf"


def test_there_are_fixtures_of_more_than_one_producer():
    assert len(FIXTURES) >= 4
    assert {p.name.split("_")[0] for p in FIXTURES} >= {"rl", "docx"}


@pytest.mark.parametrize("pdf", FIXTURES, ids=lambda p: p.stem)
def test_fixture_records_are_exact(pdf):
    plan = process(pdf)
    problems = diff_plan(plan, load_truth(pdf))
    assert problems == [], "\n".join(problems[:30])


def test_sample_matches_its_truth():
    truth = ROOT / "tests" / "fixtures" / "pdf" / "rl_seed.pdf"
    assert diff_plan(process(SAMPLE), load_truth(truth)) == []


def test_stages_run_on_their_own_and_agree_with_run(tmp_path):
    interim, clean_a, clean_b = tmp_path / "interim", tmp_path / "a", tmp_path / "b"
    # Stage 1 alone writes the intermediate; stage 2 alone reads only that.
    doc = extract_document(SAMPLE)
    path = write_interim(doc, interim)
    again = Document.load(path)
    assert again.to_json() == doc.to_json()
    cells = [c for t in again.tables for c in t.cells]
    assert cells and all(c.page >= 1 and c.bbox[2] > c.bbox[0] and c.bbox[3] > c.bbox[1] for c in cells)
    assert any(c.row_span > 1 for c in cells) and any(c.col_span > 1 for c in cells)
    assert any(c.mark for c in cells)
    assert main(["normalize", str(interim), "--out", str(clean_a)]) == 0
    assert main(["run", str(SAMPLE), "--out", str(clean_b), "--interim", str(tmp_path / "i2")]) == 0
    # The same clean outputs (tables, revisions, dataset) from either route.
    published = [p for p in clean_b.rglob("*") if p.is_file() and ".lampiran" not in p.parts]
    # seven tables (CSV + Parquet), six dataset files (the sample's numbering
    # gaps, printed so in the SK, are warnings), one wide CSV per logical
    # table, datapackage.json
    assert len(published) == 7 * 2 + 6 + 1 + 1
    for p in published:
        assert (clean_a / p.relative_to(clean_b)).read_bytes() == p.read_bytes(), p


def test_outputs_are_byte_identical_across_runs_and_csv_equals_parquet(tmp_path):
    outs = []
    for i in range(2):  # noqa: B007
        out = tmp_path / f"run{i}"
        # A separate process each time: no state shared between the runs.
        subprocess.run(
            [sys.executable, "-m", "lampiran", "run", str(SAMPLE), *map(str, FIXTURES[:2]), "--out", str(out), "--interim", str(tmp_path / f"i{i}")],
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        outs.append({str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    # Every file: seven tables (revisions empty: no document amends another
    # here) in two formats, the per-document dataset (warnings only for the
    # sample), the store, one wide CSV per logical table, datapackage.json and
    # the output folder's lock file and the record of what the outputs were
    # written from (``lampiran.freshness``).
    assert outs[0] == outs[1]
    assert len(outs[0]) == 7 * 2 + 5 * 3 + 1 + 3 + 3 + 2 + 1
    out = tmp_path / "run0"
    import csv as csvlib

    import pyarrow.parquet as papq

    def text(v):  # how the CSV writes a typed value
        return "" if v is None else v.isoformat() if hasattr(v, "isoformat") else str(v)

    for name in ("documents", "activities", "schedule", "tables", "table_cells", "warnings"):
        with open(out / f"{name}.csv", encoding="utf-8", newline="") as f:
            from_csv = [list(r.values()) for r in csvlib.DictReader(f)]
        table = papq.read_table(out / f"{name}.parquet")
        assert [[text(v) for v in r.values()] for r in table.to_pylist()] == from_csv, name
        # Missing text is null in Parquet (an empty CSV field), never "".
        for field in table.schema:
            if str(field.type) == "string":
                assert "" not in table.column(field.name).to_pylist(), (name, field.name)
    docs = papq.read_table(out / "documents.parquet").schema
    assert str(docs.field("tanggal_ditetapkan").type) == "date32[day]" and str(docs.field("tahun").type) == "int64"
    acts = pd.read_csv(out / "activities.csv")
    assert list(acts.columns) == [
        "doc_id", "activity_no", "area_no", "area_perubahan", "kegiatan_no", "kegiatan", "sub_kegiatan",
        "indikator_keberhasilan", "penanggung_jawab", "keterangan", "page_first", "page_last",
    ]  # fmt: skip


def test_cli_entry_point_runs_the_sample(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "lampiran", "run", str(SAMPLE), "--out", str(tmp_path / "o"), "--interim", str(tmp_path / "i")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    row = next(ln for ln in r.stdout.splitlines() if ln.startswith(SAMPLE.name)).split()
    assert row[1:6] == ["ok", "digital", "10", "1", "67"]  # status, kind, pages, tables, activities
    assert "1 documents: 1 processed, 0 unchanged, 0 failed" in r.stdout


def _as_stored(tables):
    """Tables as the intermediate stores them (coordinates to 0.01 pt)."""
    from dataclasses import asdict

    from lampiran.model.interim import _round

    return [_round(asdict(t)) for t in tables]


def _tables_both_ways(pdf_path: Path):
    import pdfplumber

    from lampiran.extract.digital import read_page_objects
    from lampiran.extract.grid import GridSettings
    from lampiran.extract.pageobjects import from_layout, from_plumber

    with pdfplumber.open(pdf_path) as pdf:
        for n, page in enumerate(pdf.pages, start=1):
            lean = read_page_objects(from_layout(page), n, GridSettings())
            ref = read_page_objects(from_plumber(page), n, GridSettings())
            yield n, lean, ref
            page.close()


TABLE_FIXTURES = sorted((ROOT / "tests" / "fixtures" / "tables").glob("*.pdf"))


@pytest.mark.parametrize("pdf", FIXTURES + TABLE_FIXTURES, ids=lambda p: p.stem)
def test_lean_page_objects_read_exactly_as_pdfplumbers(pdf):
    """The reader's fast object path gives what pdfplumber's own objects give."""
    for n, lean, ref in _tables_both_ways(pdf):
        assert lean.text == ref.text, n
        assert _as_stored(lean.tables) == _as_stored(ref.tables), n


def _pdfium_and_pdfminer(pdf_path: Path, clip_text: bool = False):
    """Each page read through pdfium's objects and through pdfminer's layout.
    pdfminer keeps the glyphs a clipping path cuts off; so does pdfium here
    unless ``clip_text``."""
    import pdfplumber

    from lampiran.extract.digital import read_page_objects
    from lampiran.extract.grid import GridSettings
    from lampiran.extract.pageobjects import from_layout
    from lampiran.extract.pdf import pdfium_document
    from lampiran.extract.pages import page_objects

    with pdfplumber.open(pdf_path) as pdf:
        twin = pdfium_document(pdf)
        try:
            for n, page in enumerate(pdf.pages, start=1):
                fast = read_page_objects(page_objects(page, twin, n, clip_text), n, GridSettings())
                ref = read_page_objects(from_layout(page), n, GridSettings())
                yield n, fast, ref
                page.close()
        finally:
            twin.close()


_POINT = 0.011  # pt: pdfium keeps coordinates in single precision; a box stored
# to 0.01 pt may round the other way (567.41498 vs pdfminer's 567.41503)


def same_tables(a: list, b: list) -> bool:
    """Tables as stored, equal in everything but coordinates, which agree to ``_POINT``."""

    def close(x, y) -> bool:
        if isinstance(x, float) and isinstance(y, (int, float)) and not isinstance(y, bool):
            return abs(x - y) <= _POINT
        if isinstance(x, dict) and isinstance(y, dict):
            return x.keys() == y.keys() and all(close(x[k], y[k]) for k in x)
        if isinstance(x, (list, tuple)) and isinstance(y, (list, tuple)):
            return len(x) == len(y) and all(close(p, q) for p, q in zip(x, y))
        return x == y

    return close(_as_stored(a), _as_stored(b))


@pytest.mark.parametrize("pdf", [SAMPLE] + FIXTURES + TABLE_FIXTURES, ids=lambda p: p.stem)
def test_pdfium_route_reads_exactly_as_pdfminers(pdf):
    """The default object route (pdfium) gives the page text and every table,
    cell, box, mark and fill the reference route (pdfminer) gives."""
    for n, fast, ref in _pdfium_and_pdfminer(pdf):
        assert fast.text == ref.text, n
        assert same_tables(fast.tables, ref.tables), n
        assert fast.warnings == ref.warnings, n


def _clipped_overflow_pdf(path: Path) -> None:
    """A ruled table, as Writer or Excel prints a cell whose text overflows a
    row set too short: the text goes on past the row, and a clipping path at
    the cell's edges cuts it off."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(300, 240))
    xs, ys = (20, 160, 220), (220, 200, 170, 140)  # PDF y up: header, row 1, row 2
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for x, label in zip(xs, ("Indikator", "Target")):
        c.drawString(x + 3, ys[0] - 13, label)
    c.saveState()
    p = c.beginPath()
    p.rect(xs[0], ys[2], xs[1] - xs[0], ys[1] - ys[2])
    c.clipPath(p, stroke=0, fill=0)
    for i, line in enumerate(("Jumlah operator yang", "terlatih, 5 server", "tersembunyi")):
        c.drawString(xs[0] + 3, ys[1] - 12 - 12 * i, line)  # the third line is below the row: cut off
    c.restoreState()
    c.drawString(xs[1] + 3, ys[1] - 12, "29")
    c.drawString(xs[0] + 3, ys[2] - 22, "Jumlah CCTV")
    c.drawString(xs[1] + 3, ys[2] - 22, "3")
    c.save()


def test_text_its_clipping_path_cuts_off_is_not_read(tmp_path):
    """A person sees row 2 as "Jumlah CCTV": the overflow of row 1 cut off by
    its clip stays out of it (pdfminer, which does not clip, puts it there)."""
    pdf = tmp_path / "clipped.pdf"
    _clipped_overflow_pdf(pdf)
    (n, fast, ref), = _pdfium_and_pdfminer(pdf, clip_text=True)
    assert [c.text for c in fast.tables[0].cells] == [
        "Indikator", "Target", "Jumlah operator yang terlatih, 5 server", "29", "Jumlah CCTV", "3"]
    assert [c.text for c in ref.tables[0].cells][4] == "tersembunyi Jumlah CCTV"


def test_pdfium_route_turned_pages_read_as_pdfminers(tmp_path):
    """Pages stored with /Rotate 90, 180, 270 and landscape pages drawn turned
    take pdfium's slow path (the glyph box from origin, advance and matrix)."""
    import pypdf

    src = FIXTURES[0]
    for turn in (90, 180, 270):
        writer = pypdf.PdfWriter(clone_from=src)
        for page in writer.pages:
            page.rotate(turn)
        turned = tmp_path / f"turned-{turn}.pdf"
        writer.write(turned)
        for n, fast, ref in _pdfium_and_pdfminer(turned):
            assert fast.text == ref.text, (turn, n)
            assert same_tables(fast.tables, ref.tables), (turn, n)


@pytest.mark.parametrize("name", ["xlsx_seed.pdf", "docx_seed.pdf", "rl_fill.pdf"])
def test_pages_read_in_ranges_across_processes_read_as_in_one(name, monkeypatch):
    """A long document's pages read in two processes, range by range, give the
    same intermediate as one process reading them in turn."""
    from lampiran.extract import pages
    from lampiran.extract.options import ExtractOptions

    pdf = ROOT / "tests" / "fixtures" / "pdf" / name
    one = extract_document(pdf, options=ExtractOptions(page_jobs=1)).to_json()
    monkeypatch.setattr(pages, "PARALLEL_PAGES", 2)
    ranges = []
    real = pages._read_ranges
    monkeypatch.setattr(pages, "_read_ranges", lambda path, options, rs, tick: ranges.append(rs) or real(path, options, rs, tick))
    two = extract_document(pdf, options=ExtractOptions(page_jobs=2)).to_json()
    assert len(ranges) == 1 and len(ranges[0]) == 2
    assert two == one
