"""Plausibility checks: each warning fires on the fault it names and stays
quiet on the exact fixtures that do not have it."""

from __future__ import annotations

from lampiran.model.interim import Cell, Facts, Table
from lampiran.normalize.assemble import Activity, Group, assemble
import pytest

from lampiran.normalize.checks import continued, implausible_facts, numbering, numbers_only, poorly_read
from lampiran.normalize.tables import logical_tables
from tests.test_marks import _codes, _plan, _row


def _activities(kegiatan_subs: list[tuple[str, list[str]]]) -> list:
    """Activities under one area: (kegiatan number, its sub kegiatan texts)."""
    area = Group("1", "Manajemen Perubahan", True)
    out = []
    for no, subs in kegiatan_subs:
        keg = Group(no, f"Kegiatan {no}", True)
        for sub in subs:
            texts = {"sub": sub, "indikator": "", "pj": "", "ket": ""}
            out.append(Activity(area, keg, texts, set(), set(), 1, 1))
    return out


def test_a_skipped_or_restarted_numbering_is_reported():
    assert numbering(_activities([("1", ["1. Satu", "2. Dua", "4. Empat"])])) == [
        "page 1: sub kegiatan numbering goes 2 -> 4 [numbering_gap]"]
    assert numbering(_activities([("1", ["1. Satu", "2. Dua", "1. Lagi"])])) == [
        "page 1: sub kegiatan numbering goes 2 -> 1 [numbering_gap]"]
    assert numbering(_activities([("1", ["1. Satu"]), ("3", ["1. Satu"])])) == [
        "page 1: kegiatan numbering goes 1 -> 3 [numbering_gap]"]


def test_a_new_kegiatan_restarts_its_numbering_and_cell_items_continue_it():
    assert numbering(_activities([("1", ["1. Satu", "2. Dua"]), ("2", ["1. Satu"])])) == []
    assert numbering(_activities([("1", ["1. Satu 2. Dua", "3. Tiga"])])) == []
    assert numbering(_activities([("1", ["1. Satu", "1. Satu, bagian kedua", "2. Dua"])])) == []


def test_the_column_number_row_read_as_an_activity_is_reported():
    numbers = Activity(Group("1", "2", False), Group("", "3", False), {"sub": "4", "indikator": "5", "pj": "6", "ket": "19"},
                       set(range(1, 13)), set(range(1, 13)), 3, 3)
    assert numbers_only([numbers]) == ["page 3: an activity reads only numbers (2 | 3 | 4 | 5 | 6 | 19): "
                                       "the column-number row read as an activity [numbers_as_activity]"]
    assert numbers_only(_activities([("1", ["1. Satu", "2"])])) == []  # a text among them: an activity
    stray = Activity(Group("1", "2", False), Group("", "3", False), {"sub": "N4", "indikator": "5", "pj": "6", "ket": "19"},
                     set(), set(), 4, 4)
    assert numbers_only([stray]) == ["page 4: an activity reads only numbers (2 | 3 | N4 | 5 | 6 | 19): "
                                     "the column-number row read as an activity [numbers_as_activity]"]
    overflow = Activity(Group("1", "2", False), Group("", "3", False), {"sub": "KE4GIA", "indikator": "5"}, set(), set(), 4, 4)
    assert numbers_only([overflow]) == ["page 4: an activity reads only numbers (2 | 3 | KE4GIA | 5): "
                                        "the column-number row read as an activity [numbers_as_activity]"]
    words = Activity(Group("1", "2", False), Group("", "3", False), {"sub": "Nama", "indikator": "", "pj": "", "ket": ""},
                     set(), set(), 4, 4)
    assert numbers_only([words]) == []


def test_a_row_with_more_than_twelve_marks_is_reported():
    """One activity whose month grid is ruled as two rows: 24 marks for 12 months."""
    doc = _plan([_row(*range(1, 13), glyph="✓"), _row(*range(1, 13), glyph="✓")])
    (table,) = doc.tables
    for c in table.cells:
        if c.row == 2 and c.col in (0, 1, 2, 3, 4, 17):
            c.row_span = 2
    table.cells = [c for c in table.cells if not (c.row == 3 and c.col in (0, 1, 2, 3, 4, 17))]
    asm = assemble(doc)
    assert len(asm.activities) == 1 and "too_many_marks" in _codes(asm.warnings)


def _grid(page: int, cols: list[float], rows: int, bottom: bool) -> Table:
    ys = [100.0 + 20 * i for i in range(rows + 1)]
    cells = [Cell(page, r, c, 1, 1, (cols[c], ys[r], cols[c + 1], ys[r + 1]), f"p{page} {r}-{c}", False, 1.0)
             for r in range(rows) for c in range(len(cols) - 1)]
    return Table(page, (cols[0], ys[0], cols[-1], ys[-1]), rows, len(cols) - 1, cols, ys, cells,
                 touches_page_bottom=bottom)


def test_a_table_ending_at_a_page_bottom_and_not_continued_is_reported():
    a = _grid(1, [0, 50, 100, 150], 3, bottom=True)
    b = _grid(2, [0, 80, 120, 150], 3, bottom=False)  # same count of columns, other edges and header
    logical = logical_tables([a, b])
    assert len(logical) == 2
    assert _codes(continued([a, b], logical, pages=2)) == ["table_not_continued"]
    joined = _grid(2, [0, 50, 100, 150], 3, bottom=False)
    assert continued([a, joined], logical_tables([a, joined]), pages=2) == []


def _scanned_table(confidences: list[float], reader: str = "scanned",
                   text: str = "Penguatan akuntabilitas kinerja") -> Table:
    cells = [Cell(2, r, 0, 1, 1, (0, 20 * r, 100, 20 * r + 20), text, False, conf)
             for r, conf in enumerate(confidences)]
    return Table(page=2, bbox=(0, 0, 100, 20 * len(cells)), n_rows=len(cells), n_cols=1, col_edges=[0, 100],
                 row_edges=[20.0 * r for r in range(len(cells) + 1)], cells=cells, reader=reader)


def test_a_scanned_table_read_with_low_confidence_is_reported():
    assert poorly_read([_scanned_table([0.45, 0.5, 0.4, 0.6])]) == [
        "page 2: a 1-column table's text was read with low OCR confidence (0.49): its words are likely "
        "wrong (the text is too small or too blurred at this resolution) [ocr_poor]"]
    assert poorly_read([_scanned_table([0.7, 0.9, 0.8, 0.75])]) == []
    assert poorly_read([_scanned_table([0.3])]) == []  # too little text to judge
    assert poorly_read([_scanned_table([0.3] * 4, reader="digital")]) == []  # a text layer has no OCR confidence


def test_a_nomor_without_a_digit_is_reported():
    assert implausible_facts(Facts(nomor="CLOT")) == ["the nomor read as 'CLOT' holds no number [nomor_implausible]"]
    assert implausible_facts(Facts(nomor="07/HK.03.1/3508/2022", mengubah_nomor="")) == []
    assert implausible_facts(Facts(nomor="", mengubah_nomor="Kpt/KPU")) == [
        "the amended nomor read as 'Kpt/KPU' holds no number [nomor_implausible]"]
    assert implausible_facts(Facts(nomor="1/X", mengubah_nomor="29/HK.03.1-Kpt/3508/KPU-Kab/VV/2021")) == [
        "the amended nomor read as '29/HK.03.1-Kpt/3508/KPU-Kab/VV/2021' has 'VV' where its roman month stands "
        "[nomor_implausible]"]
    assert implausible_facts(Facts(nomor="29/KPU-Kab/VL/2021")) == [
        "the nomor read as '29/KPU-Kab/VL/2021' has 'VL' where its roman month stands [nomor_implausible]"]
    assert implausible_facts(Facts(nomor="29/KPU-Kab/XII/2021", mengubah_nomor="3/II/2020")) == []
    assert implausible_facts(Facts(nomor="29/KPU/2021", mengubah_nomor="3/LU/2020")) == []  # codes, no month


@pytest.mark.ocr
def test_a_scanned_table_read_sure_of_garbage_is_reported():
    """Tesseract was sure of garbage on 4-5 pt spreadsheet text at 200 dpi
    (confidence 0.61-0.66, text 0.69-0.77 against the truth): too few of the
    table's words are words of the dictionary."""
    garbage = "Tersedianya MOKUMEN hODU Othlal kebutuhan Foscnase dituui Gperiukan Pernberhentan pegawai"
    assert poorly_read([_scanned_table([0.8] * 4, text=garbage)]) == [
        "page 2: a 1-column table's text reads 30% dictionary words (of 40): its words are likely wrong "
        "(the text is too small or too blurred at this resolution) [ocr_poor]"]
    words = "Tersedianya dokumen analisis kebutuhan pengembangan kompetensi pegawai Sekretaris Dinas MOKUMEN"
    assert poorly_read([_scanned_table([0.8] * 4, text=words)]) == []
    assert poorly_read([_scanned_table([0.8] * 2, text=garbage)]) == []  # too few words to judge
