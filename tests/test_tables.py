"""Any lampiran table: logical tables against known truth.

The committed fixtures come from three producers (reportlab drawing as Word
and Excel exporters do, a Word document printed by LibreOffice Writer, a
worksheet exported by LibreOffice Calc) in three shapes: a team whose role
cell is merged over page breaks, numbered posts under section rows with the
header and column-number row repeated on every page and a paraf table under
it, and a target table with a two-level header and row spans that differ
between its halves. Random variants of the same shapes are rendered on the
fly with seeds the fixtures do not use.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lampiran.model.interim import Cell, Table
from lampiran.normalize.tables import header_rows, labels, logical_tables
from lampiran.pipeline import process
from tests.fixtures.tables_render import render_rl
from tests.fixtures.tables_spec import lampiran, truth
from tests.tables_truth import diff_tables

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "tables").glob("*.pdf"))
ACTION_PLANS = sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf"))


def test_fixtures_of_three_producers_and_three_shapes():
    names = {p.stem for p in FIXTURES}
    assert {n.split("_")[1] for n in names} == {"rl", "docx", "xlsx"}
    assert {n.split("_", 2)[2] for n in names} == {"pejabat", "kelas_jabatan", "target"}


@pytest.mark.parametrize("pdf", FIXTURES, ids=lambda p: p.stem)
def test_fixture_tables_are_exact(pdf):
    want = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    plan = process(pdf)
    problems = diff_tables(plan, want)
    assert problems == [], "\n".join(problems[:20])
    # The merged role cell ran over a page break, the posts over several pages.
    assert "target" in pdf.stem or any(t.page_last > t.page_first for t in plan.tables)


@pytest.mark.parametrize("seed", range(5000, 5012))
def test_random_variants_are_exact(tmp_path, seed):
    shape = ("pejabat", "kelas_jabatan", "target")[seed % 3]
    spec = lampiran(f"v{seed}", seed, shape)
    pdf = render_rl(spec, tmp_path / f"v{seed}.pdf")
    problems = diff_tables(process(pdf), truth(spec))
    assert problems == [], "\n".join(problems[:20])


@pytest.mark.parametrize("pdf", ACTION_PLANS, ids=lambda p: p.stem)
def test_an_action_plan_is_also_a_logical_table(pdf):
    plan = process(pdf)
    plans = [t for t in plan.tables if t.kind == "rencana_aksi"]
    assert len(plans) == 1
    t = plans[0]
    assert t.page_first == min(a.page_first for a in plan.activities)
    assert t.page_last == max(a.page_last for a in plan.activities)
    assert plan.document.tables == len(plan.tables)


# ---------------------------------------------------------------- unit cases


def _table(rows: list[list[tuple[str, int, int]]], page: int = 1, widths: list[float] | None = None) -> Table:
    """HTML-like rows of (text, row_span, col_span), placed on a grid of 20-point rows."""
    n_cols = sum(cs for _, _, cs in rows[0])
    widths = widths or [40.0] * n_cols
    xs = [0.0]
    for w in widths:
        xs.append(xs[-1] + w)
    taken: set[tuple[int, int]] = set()
    cells = []
    for r, row in enumerate(rows):
        c = 0
        for text, rs, cs in row:
            while (r, c) in taken:
                c += 1
            taken |= {(rr, cc) for rr in range(r, r + rs) for cc in range(c, c + cs)}
            cells.append(Cell(page, r, c, rs, cs, (xs[c], 20.0 * r, xs[c + cs], 20.0 * (r + rs)), text, False, 1.0))
            c += cs
    n_rows = max(r for r, _ in taken) + 1
    return Table(page, (0.0, 0.0, xs[-1], 20.0 * n_rows), n_rows, n_cols, xs, [20.0 * i for i in range(n_rows + 1)],
                 cells)


def test_two_level_header_gives_label_paths_and_the_number_row_is_dropped():
    t = _table([
        [("NO", 2, 1), ("URAIAN", 2, 1), ("Tahun 2020", 1, 2), ("Tahun 2021", 1, 2)],
        [("Target", 1, 1), ("Rp", 1, 1), ("Target", 1, 1), ("Rp", 1, 1)],
        [("(1)", 1, 1), ("(2)", 1, 1), ("(3)", 1, 1), ("(4)", 1, 1), ("(5)", 1, 1), ("(6)", 1, 1)],
        [("1", 1, 1), ("Pembinaan", 1, 1), ("10", 1, 1), ("5.000", 1, 1), ("12", 1, 1), ("6.000", 1, 1)],
    ])
    assert header_rows(t) == 2
    assert labels(t, 2) == ["NO", "URAIAN", "Tahun 2020 / Target", "Tahun 2020 / Rp", "Tahun 2021 / Target",
                            "Tahun 2021 / Rp"]
    (lt,) = logical_tables([t])
    assert [[c.value for c in r.cells] for r in lt.rows] == [["1", "Pembinaan", "10", "5.000", "12", "6.000"]]


def test_a_table_without_a_header_gets_numbered_columns():
    t = _table([[("1", 1, 1), ("Satu", 1, 1)], [("2", 1, 1), ("Dua", 1, 1)]])
    (lt,) = logical_tables([t])
    assert lt.labels == ["Kolom 1", "Kolom 2"] and len(lt.rows) == 2


def test_merged_text_printed_on_the_later_page_fills_the_whole_cell():
    """Excel prints a merged cell's text once, where its middle falls: the part
    on the first page is empty and the text stands on the next page."""
    p1 = _table([[("NO", 1, 1), ("NAMA", 1, 1), ("PERAN", 1, 1)],
                 [("1", 1, 1), ("Ani", 1, 1), ("", 2, 1)], [("2", 1, 1), ("Budi", 1, 1)]])
    p2 = _table([[("3", 1, 1), ("Citra", 1, 1), ("Anggota", 2, 1)], [("4", 1, 1), ("Dedi", 1, 1)]], page=2)
    (lt,) = logical_tables([p1, p2])
    assert [(r.cells[2].value, r.cells[2].merged) for r in lt.rows] == [
        ("Anggota", False), ("Anggota", True), ("Anggota", True), ("Anggota", True)]


def test_a_row_split_by_a_page_break_is_joined():
    p1 = _table([[("NO", 1, 1), ("KEGIATAN", 1, 1)], [("1", 1, 1), ("Penyusunan laporan", 1, 1)],
                 [("2", 1, 1), ("Penyusunan rencana kerja dan", 1, 1)]])
    p2 = _table([[("", 1, 1), ("anggaran tahunan", 1, 1)], [("3", 1, 1), ("Evaluasi", 1, 1)]], page=2)
    (lt,) = logical_tables([p1, p2])
    assert [r.cells[1].value for r in lt.rows] == [
        "Penyusunan laporan", "Penyusunan rencana kerja dan anggaran tahunan", "Evaluasi"]


def test_a_word_cut_on_a_split_rows_last_line_is_joined_whole():
    """Word cut "anggaran" at its cell's edge on the row's last line before
    the page break: the extract stage marks the cell, the document's words
    (it writes "anggaran" whole too) join the pieces."""
    p1 = _table([[("NO", 1, 1), ("KEGIATAN", 1, 1)], [("1", 1, 1), ("Penyusunan anggaran", 1, 1)],
                 [("2", 1, 1), ("Penyusunan rencana kerja dan ang", 1, 1)]])
    p2 = _table([[("", 1, 1), ("garan tahunan", 1, 1)], [("3", 1, 1), ("Evaluasi", 1, 1)]], page=2)
    (lt,) = logical_tables([p1, p2])
    assert lt.rows[1].cells[1].value == "Penyusunan rencana kerja dan ang garan tahunan"  # unmarked: as printed
    p1.cut_ends = [i for i, c in enumerate(p1.cells) if c.text.endswith("ang")]
    (lt,) = logical_tables([p1, p2])
    assert [r.cells[1].value for r in lt.rows] == [
        "Penyusunan anggaran", "Penyusunan rencana kerja dan anggaran tahunan", "Evaluasi"]
    assert lt.cut_doubts == []


@pytest.mark.ocr  # "sekretariat" is a word of Tesseract's Indonesian dictionary
def test_a_split_rows_pieces_the_words_cannot_decide_on_stay_apart_and_are_said():
    """"Sekretariat" is a word, "Bkpsd" none: one word cut in two, or a wrap?"""
    p1 = _table([[("NO", 1, 1), ("UNIT", 1, 1)], [("1", 1, 1), ("Inspektorat", 1, 1)], [("2", 1, 1), ("Bkpsd", 1, 1)]])
    p2 = _table([[("", 1, 1), ("Sekretariat", 1, 1)], [("3", 1, 1), ("Dinas", 1, 1)]], page=2)
    p1.cut_ends = [i for i, c in enumerate(p1.cells) if c.text == "Bkpsd"]
    (lt,) = logical_tables([p1, p2])
    assert lt.rows[1].cells[1].value == "Bkpsd Sekretariat" and lt.cut_doubts == [(2, "Bkpsd Sekretariat")]
    from lampiran.model.interim import Document, Facts
    from lampiran.normalize.stage import normalize_document

    plan = normalize_document(Document("d", "d.pdf", "0" * 64, 2, "digital", ["digital"] * 2, Facts(), [p1, p2]))
    assert [w for w in plan.warnings if w.endswith("[word_cut_unsure]")] == [
        "page 2: 'Bkpsd Sekretariat' may be one word its cell's width cut; left apart [word_cut_unsure]"]


def test_boxes_that_hold_little_text_are_not_a_table():
    t = _table([[("Kop", 1, 3)], [("", 1, 1), ("", 1, 1), ("", 1, 1)], [("", 1, 1), ("x", 1, 1), ("", 1, 1)],
                [("", 1, 1), ("", 1, 1), ("", 1, 1)]])
    assert logical_tables([t]) == []


def test_a_repeated_header_whose_overflowing_label_is_cut_differently_is_dropped():
    """A Word-made header label too long for its narrow column ("URAIAN
    KEGIATAN" in a 35 pt column) prints "URAIA N KEGIA" on the first page and
    "URAIA N" on the next, where the rest, "KEGIA", lands in the column-number
    row ("KE4GIA"). The next page's header and number row are still the
    header: before, both came out as rows of the table (an unseen variant)."""
    head = [("NO", 1, 1), ("AREA", 1, 1), ("KEGIATAN", 1, 1), ("URAIA N KEGIA", 1, 1), ("PJ", 1, 1)]
    p1 = _table([head, [("1", 1, 1), ("2", 1, 1), ("3", 1, 1), ("4", 1, 1), ("5", 1, 1)],
                 [("1", 1, 1), ("Tata", 1, 1), ("SOP", 1, 1), ("1. Reviu SOP", 1, 1), ("Kabag", 1, 1)]])
    p2 = _table([[*head[:3], ("URAIA N", 1, 1), head[4]],
                 [("1", 1, 1), ("2", 1, 1), ("3", 1, 1), ("KE4GIA", 1, 1), ("5", 1, 1)],
                 [("2", 1, 1), ("SDM", 1, 1), ("Diklat", 1, 1), ("1. Bimtek", 1, 1), ("Kasubbag", 1, 1)]], page=2)
    (lt,) = logical_tables([p1, p2])
    assert [[c.value for c in r.cells] for r in lt.rows] == [
        ["1", "Tata", "SOP", "1. Reviu SOP", "Kabag"], ["2", "SDM", "Diklat", "1. Bimtek", "Kasubbag"]]
    # Two labels changed: not the header; its row is the table's (joined by the same column edges).
    p3 = _table([[*head[:2], ("NAMA", 1, 1), ("URAIA N", 1, 1), head[4]],
                 [("2", 1, 1), ("SDM", 1, 1), ("Diklat", 1, 1), ("1. Bimtek", 1, 1), ("Kasubbag", 1, 1)]], page=2)
    (lt,) = logical_tables([p1, p3])
    assert [r.cells[2].value for r in lt.rows] == ["SOP", "NAMA", "Diklat"]


def test_a_row_split_under_a_merged_number_is_joined_by_its_running_text():
    """The numbering column holds an area's number merged over all its rows,
    carried onto the next page: there the split row's own text, running on in
    lower case, joins it to the row above; a new item there stays a row."""
    head = [("NO", 1, 1), ("URAIAN", 1, 1), ("TIM", 1, 1)]
    p1 = _table([head, [("1.", 2, 1), ("1. Pemutakhiran data ASN", 1, 1), ("Kabid", 1, 1)],
                 [("2. Seleksi terbuka jabatan secara", 1, 1), ("Kabid", 1, 1)]])
    p2 = _table([[("", 2, 1), ("kompetitif dan transparan", 1, 1), ("", 1, 1)],
                 [("3. Penyusunan manajemen talenta", 1, 1), ("Kabid", 1, 1)]], page=2)
    (lt,) = logical_tables([p1, p2])
    assert [r.cells[1].value for r in lt.rows] == [
        "1. Pemutakhiran data ASN", "2. Seleksi terbuka jabatan secara kompetitif dan transparan",
        "3. Penyusunan manajemen talenta"]
    p2 = _table([[("", 2, 1), ("3. Penyusunan manajemen talenta", 1, 1), ("Kabid", 1, 1)],
                 [("4. Evaluasi", 1, 1), ("Kabid", 1, 1)]], page=2)
    (lt,) = logical_tables([p1, p2])
    assert len(lt.rows) == 4
