"""Real public PDFs from ../shared/realdocs (skipped when the folder is absent).

None of them holds a Rencana Aksi month grid: each must go through without a
crash and end in one clear line that says what the document has instead.
"""

from __future__ import annotations


import pytest

from lampiran.extract.stage import extract_document
from lampiran.cli import main



def _run(tmp_path, capsys, realdocs, name):
    out = tmp_path / "clean"
    code = main(["run", str(realdocs / name), "--out", str(out), "--interim", str(tmp_path / "interim")])
    err = [ln for ln in capsys.readouterr().err.splitlines() if "error:" in ln]
    return code, err, out


def test_excel_lampiran_99_pages_has_no_month_grid(tmp_path, capsys, realdocs):
    code, err, out = _run(tmp_path, capsys, realdocs, "bali-pergub-1-2021-lampiran-ii.pdf")
    assert code == 1 and len(err) == 1
    assert "bali-pergub-1-2021-lampiran-ii.pdf: no action-plan table with a 12-month grid found" in err[0]
    assert "4-column table (NO, NAMA JABATAN, UNIT ORGANISASI, KELAS JABATAN)" in err[0]
    assert not (out / "activities.csv").exists()


def test_excel_lampiran_grid_is_read_on_every_page(realdocs):
    doc = extract_document(realdocs / "bali-pergub-1-2021-lampiran-ii.pdf")
    assert doc.kind == "digital" and doc.pages == 99
    pages = {t.page for t in doc.tables}
    assert pages == set(range(1, 100))
    assert all(t.n_cols == 4 for t in doc.tables)
    # The regulation's own number is read from the lampiran heading.
    assert doc.facts.nomor == "I TAHUN 2021" or doc.facts.nomor.endswith("TAHUN 2021")


def test_word_body_without_lampiran(tmp_path, capsys, realdocs):
    code, err, _ = _run(tmp_path, capsys, realdocs, "bali-pergub-1-2021-batang-tubuh.pdf")
    assert code == 1 and len(err) == 1
    assert "batang-tubuh.pdf: no lampiran table found" in err[0]


def test_word_roadmap_with_symbol_bullets(tmp_path, capsys, realdocs):
    code, err, _ = _run(tmp_path, capsys, realdocs, "lapan-roadmap-rb-2015-2019.pdf")
    assert code == 1 and len(err) == 1
    assert "lapan-roadmap-rb-2015-2019.pdf: no action-plan table with a 12-month grid found" in err[0]
    doc = extract_document(realdocs / "lapan-roadmap-rb-2015-2019.pdf")
    cells = [c for t in doc.tables for c in t.cells]
    # Symbol-font bullets (U+F0B7, U+F0A7) are not ticks: no cell is marked by them.
    assert not any(c.mark and ("\uf0b7" in c.text or "\uf0a7" in c.text) for c in cells)
    # The same tables pdfplumber's finder sees, one-row fragments included.
    import pdfplumber

    with pdfplumber.open(realdocs / "lapan-roadmap-rb-2015-2019.pdf") as pdf:
        theirs = [(i + 1, len(t.rows)) for i, p in enumerate(pdf.pages) for t in p.find_tables()]
    assert [(t.page, t.n_rows) for t in doc.tables] == theirs


@pytest.mark.parametrize("name", ["lapan-roadmap-rb-2015-2019.pdf", "bali-pergub-1-2021-batang-tubuh.pdf"])
def test_lean_page_objects_match_pdfplumber_on_real_pdfs(name, realdocs):
    from tests.test_digital import _as_stored, _tables_both_ways

    for n, lean, ref in _tables_both_ways(realdocs / name):
        assert lean.text == ref.text, n
        assert _as_stored(lean.tables) == _as_stored(ref.tables), n
