"""Real public PDFs from ../shared/realdocs (skipped when the folder is absent).

None of them holds a Rencana Aksi month grid. Every one is a readable SK (or
report): it gets its documents row, and every ruled lampiran table comes out as
a logical table, joined across pages and repaired.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from lampiran.cli import main
from lampiran.extract.stage import extract_document


def _run(tmp_path, capsys, realdocs, name):
    out = tmp_path / "clean"
    code = main(["run", str(realdocs / name), "--out", str(out), "--interim", str(tmp_path / "interim")])
    err = capsys.readouterr().err
    assert "error:" not in err
    return code, err, out


def _read(out, name):
    return pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)


def _wide(out, doc_id, table_no):
    return pd.read_csv(out / "tables" / f"{doc_id}-{table_no}.csv", dtype=str, keep_default_na=False)


@pytest.mark.slow
def test_excel_lampiran_99_pages_is_one_table_numbered_1_to_3151(tmp_path, capsys, realdocs):
    code, _, out = _run(tmp_path, capsys, realdocs, "bali-pergub-1-2021-lampiran-ii.pdf")
    assert code == 0
    docs, tables = _read(out, "documents"), _read(out, "tables")
    assert docs[["pages", "tables"]].values.tolist() == [["99", "1"]]
    t = tables.iloc[0]
    assert (t.lampiran, t.page_first, t.page_last, t.kind) == ("II", "1", "99", "generic")
    assert t.title.startswith("DAFTAR NAMA DAN KELAS JABATAN")
    assert json.loads(t.columns) == ["NO", "NAMA JABATAN", "UNIT ORGANISASI", "KELAS JABATAN", "section"]
    wide = _wide(out, t.doc_id, 1)
    numbered = [int(v) for v in wide["NO"] if v.isdigit()]
    # Every numbered row once, in order: the column-number row "1 2 3 4" repeated
    # on all 99 pages is gone, and no row was lost or split at a page break.
    assert numbered == list(range(1, 3152))
    assert not ((wide["NO"] == "1") & (wide["NAMA JABATAN"] == "2")).any()
    # Section rows ("A SEKRETARIAT DAERAH", "Bagian Pemerintahan") head the rows under them.
    first = wide.iloc[1]
    assert (first["NO"], first["KELAS JABATAN"], first["section"]) == ("1", "14", "A SEKRETARIAT DAERAH")
    sections = wide[~wide["NO"].str.isdigit()]
    assert len(sections) + len(numbered) == len(wide) == int(t.n_rows)
    assert (sections["section"] != "").all()
    assert len(_read(out, "activities")) == 0


def test_excel_lampiran_grid_is_read_on_every_page(realdocs):
    doc = extract_document(realdocs / "bali-pergub-1-2021-lampiran-ii.pdf")
    assert doc.kind == "digital" and doc.pages == 99
    pages = {t.page for t in doc.tables}
    assert pages == set(range(1, 100))
    assert all(t.n_cols == 4 for t in doc.tables)
    # The regulation's own number is read from the lampiran heading.
    assert doc.facts.nomor == "I TAHUN 2021" or doc.facts.nomor.endswith("TAHUN 2021")


def test_word_body_without_lampiran_gets_its_facts(tmp_path, capsys, realdocs):
    code, err, out = _run(tmp_path, capsys, realdocs, "bali-pergub-1-2021-batang-tubuh.pdf")
    assert code == 0 and "batang-tubuh.pdf: no lampiran table found" in err
    d = _read(out, "documents").iloc[0]
    assert (d.nomor, d.instansi, d.tanggal_ditetapkan, d.mengubah_nomor, d.tables) == (
        "1 TAHUN 2021", "GUBERNUR BALI", "2021-01-04", "29 TAHUN 2019", "0")


@pytest.mark.slow
def test_word_roadmap_with_symbol_bullets(tmp_path, capsys, realdocs):
    code, _, out = _run(tmp_path, capsys, realdocs, "lapan-roadmap-rb-2015-2019.pdf")
    assert code == 0
    tables = _read(out, "tables")
    # The programme tables that run over a page break are one table each.
    assert [(t.page_first, t.page_last) for t in tables.itertuples()][:2] == [("45", "46"), ("53", "54")]
    # "Kegiatan" spans two columns (its number and its text): both carry the label.
    assert json.loads(tables.iloc[0]["columns"]) == [
        "Program/Pokja", "Kegiatan", "Kegiatan", "Hasil yang diharapkan", "Ukuran keberhasilan / Outcome",
        "Ukuran keberhasilan / Output"]
    doc = extract_document(realdocs / "lapan-roadmap-rb-2015-2019.pdf")
    cells = [c for t in doc.tables for c in t.cells]
    # Symbol-font bullets (U+F0B7, U+F0A7) are not ticks: no cell is marked by them.
    assert not any(c.mark and ("\uf0b7" in c.text or "\uf0a7" in c.text) for c in cells)
    # The same tables pdfplumber's finder sees, one-row fragments included.
    import pdfplumber

    with pdfplumber.open(realdocs / "lapan-roadmap-rb-2015-2019.pdf") as pdf:
        theirs = [(i + 1, len(t.rows)) for i, p in enumerate(pdf.pages) for t in p.find_tables()]
    assert [(t.page, t.n_rows) for t in doc.tables] == theirs


def test_text_excel_cut_off_at_a_row_is_not_read_into_the_next(realdocs):
    """Bali's lampiran, page 66: "Ekosistem" overflowed a row and was cut off;
    it used to be read letter by letter into the row below it."""
    doc = extract_document(realdocs / "bali-pergub-1-2021-lampiran-ii.pdf")
    texts = [c.text for t in doc.tables if t.page == 66 for c in t.cells]
    assert "Analis Pengembangan" in " ".join(texts)
    assert not any("EAnkoasliiss" in t for t in texts)


def test_text_excel_cut_off_at_a_row_is_not_read_into_the_next_singkawang(realdocs):
    """Singkawang's plan: "5 server" overflows its row, and the clip cuts
    "server" off at the row's edge; printed, the next row reads "Jumlah CCTV
    yang terpasang" alone."""
    doc = extract_document(realdocs / "singkawang-diskominfo-rencana-program-2018-2022.pdf")
    texts = [c.text for t in doc.tables if t.page == 2 for c in t.cells]
    assert "Jumlah CCTV yang terpasang" in texts
    assert not any(t.startswith("server") for t in texts)


@pytest.mark.parametrize("name, cut, whole", [
    ("lapan-roadmap-rb-2015-2019.pdf", "Ditetapkanny a unit kerja", "Ditetapkannya unit kerja"),
    ("lapan-roadmap-rb-2015-2019.pdf", "memperhatika n kompetensi", "memperhatikan kompetensi"),
    ("singkawang-diskominfo-rencana-program-2018-2022.pdf", "Kota Singkawan g", "Kota Singkawang"),
    ("singkawang-diskominfo-rencana-program-2018-2022.pdf", "250 Mahasisw a", "250 Mahasiswa"),
    # Word 2013 draws a space after a cut word too, and leaves a little more room.
    ("jombang-inspektorat-renja-2023.pdf", "ditindaklanj uti", "ditindaklanjuti"),
    ("jombang-inspektorat-renja-2023.pdf", "Pemeriksaa n Penyelengg araan pengawasa n",
     "Pemeriksaan Penyelenggaraan pengawasan"),
])
def test_words_word_cut_at_the_cell_edge_are_whole(name, cut, whole, realdocs):
    """Word cut these words at their narrow cells' edges, with no hyphen."""
    texts = [c.text for t in extract_document(realdocs / name).tables for c in t.cells]
    assert not any(cut in t for t in texts)
    assert any(whole in t for t in texts)


@pytest.mark.parametrize("name", ["lapan-roadmap-rb-2015-2019.pdf", "bali-pergub-1-2021-batang-tubuh.pdf"])
def test_lean_page_objects_match_pdfplumber_on_real_pdfs(name, realdocs):
    from tests.test_digital import _as_stored, _tables_both_ways

    for n, lean, ref in _tables_both_ways(realdocs / name):
        assert lean.text == ref.text, n
        assert _as_stored(lean.tables) == _as_stored(ref.tables), n


def test_two_level_header_over_two_pages(tmp_path, capsys, realdocs):
    """Singkawang's programme and funding plan: Target and Rp under each year."""
    code, _, out = _run(tmp_path, capsys, realdocs, "singkawang-diskominfo-rencana-program-2018-2022.pdf")
    assert code == 0
    t = _read(out, "tables").iloc[0]
    assert (t.page_first, t.page_last, t.n_cols) == ("1", "2", "17")
    labels = json.loads(t.columns)
    assert labels[:4] == ["Kode", "Urusan/Program/Kegiatan", "Indikator Kinerja Program/Kegiatan",
                          "Data Capaian pada Tahun Awal Perencanaan (2017)"]
    assert labels[4:6] == ["Target Kinerja Program/Kegiatan dan Kerangka Pendanaan / 2018 / Target",
                           "Target Kinerja Program/Kegiatan dan Kerangka Pendanaan / 2018 / Rp."]
    wide = _wide(out, t.doc_id, 1)
    # The header and the column-number row repeated on page 2 are not data.
    assert not wide["Kode"].isin(["Kode", "1"]).any()
    assert wide["Kode"].iloc[0] == "2.10.01." and "JUMLAH" in wide["Kode"].tolist()
    page2 = _read(out, "table_cells").query("page == '2' and col_no == '1'")
    assert page2.value.iloc[0] == "2.10.2.10.01.018.004."


def test_work_plan_tables_with_a_column_number_row(tmp_path, capsys, realdocs):
    """The Jombang Renja: several tables, a column-number row 1..12 that is no month grid."""
    code, _, out = _run(tmp_path, capsys, realdocs, "jombang-inspektorat-renja-2023.pdf")
    assert code == 0
    tables = _read(out, "tables")
    assert len(tables) >= 5 and set(tables.kind) == {"generic"}
    assert len(_read(out, "activities")) == 0
    t = tables[tables.title.str.contains("REVIU RANCANGAN AWAL RKPD")].iloc[0]
    assert (t.page_first, t.page_last, t.n_cols) == ("15", "17", "12")
    wide = _wide(out, t.doc_id, t.table_no)
    assert json.loads(t.columns)[:2] == ["NO", "RANCANGAN AWAL RKPD / PROGRAM / KEGIATAN"]
    assert not (wide.iloc[:, 0] == "1").all() and wide.iloc[0, 0] == "1"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["bali-pergub-1-2021-batang-tubuh.pdf", "bali-pergub-1-2021-lampiran-ii.pdf",
                                  "jombang-inspektorat-renja-2023.pdf", "lapan-roadmap-rb-2015-2019.pdf",
                                  "singkawang-diskominfo-rencana-program-2018-2022.pdf"])
def test_pdfium_route_reads_real_documents_as_pdfminers(realdocs, name):
    """Real producers (Word 2007/2013, Excel 2016, justified text whose spaces
    are drawn as text objects of their own): every page reads the same through
    pdfium's objects as through pdfminer's layout."""
    from tests.test_digital import _pdfium_and_pdfminer, same_tables

    for n, fast, ref in _pdfium_and_pdfminer(realdocs / name):
        assert fast.text == ref.text, n
        assert same_tables(fast.tables, ref.tables), n
