"""Pagination repair on synthetic tables: split rows, merged-cell overflow,
repeated headers. Each table is a page of cells with known geometry."""

from __future__ import annotations

import pytest

from lampiran.model.interim import Cell, Document, Facts, Table
from lampiran.normalize.assemble import NoPlanTable, assemble

# Column x-edges: NO, AREA, KEGIATAN, SUB, INDIKATOR, 12 months, KET
XS = [0, 20, 80, 140, 220, 300] + [300 + 10 * i for i in range(1, 13)] + [460]
HEADER = ["NO", "AREA PERUBAHAN", "KEGIATAN", "SUB KEGIATAN", "INDIKATOR KEBERHASILAN"]


def _table(page: int, rows: list[dict], header: bool, bottom: bool = True, header_months: bool = True,
           ket_label: str = "KET.") -> Table:
    """rows: dicts with optional no/area/kegiatan (text, span), sub, ind, months, ket."""
    cells: list[Cell] = []
    ys = [0.0]
    r0 = 0
    if header:
        ys += [20.0, 40.0]
        for c, t in enumerate(HEADER):
            cells.append(Cell(page, 0, c, 2, 1, (XS[c], 0, XS[c + 1], 40), t, False, 1.0))
        cells.append(Cell(page, 0, 5, 1, 12, (XS[5], 0, XS[17], 20), "PELAKSANAAN (BULAN)", False, 1.0))
        for m in range(12):
            cells.append(Cell(page, 1, 5 + m, 1, 1, (XS[5 + m], 20, XS[6 + m], 40), str(m + 1) if header_months else "", False, 1.0))
        cells.append(Cell(page, 0, 17, 2, 1, (XS[17], 0, XS[18], 40), ket_label, False, 1.0))
        r0 = 2
    for i, _ in enumerate(rows):
        ys.append(ys[-1] + 30)
    for i, row in enumerate(rows):
        r = r0 + i
        top, bot = ys[r], ys[r + 1]
        for col, key in ((0, "no"), (1, "area"), (2, "kegiatan")):
            if key in row:
                text, span = row[key]
                cells.append(Cell(page, r, col, span, 1, (XS[col], top, XS[col + 1], ys[r + span]), text, False, 1.0))
        cells.append(Cell(page, r, 3, 1, 1, (XS[3], top, XS[4], bot), row.get("sub", ""), False, 1.0))
        cells.append(Cell(page, r, 4, 1, 1, (XS[4], top, XS[5], bot), row.get("ind", ""), False, 1.0))
        for m in range(12):
            on = (m + 1) in row.get("months", ())
            cells.append(Cell(page, r, 5 + m, 1, 1, (XS[5 + m], top, XS[6 + m], bot), "✓" if on else "", on, 1.0))
        cells.append(Cell(page, r, 17, 1, 1, (XS[17], top, XS[18], bot), row.get("ket", ""), False, 1.0))
    n_rows = len(ys) - 1
    return Table(page, (0, 0, 460, ys[-1]), n_rows, 18, [float(x) for x in XS], ys, cells, touches_page_bottom=bottom)


def _doc(*tables: Table) -> Document:
    return Document("d", "d.pdf", "0" * 64, max(t.page for t in tables), "digital", ["digital"] * 3, Facts(), list(tables))


def _rows(asm):
    return [(a.area.no, a.area.text, a.kegiatan.no, a.kegiatan.text, a.texts["sub"], a.texts["indikator"], sorted(a.months), a.page_first, a.page_last) for a in asm.activities]


def test_merged_cells_carry_across_pages_and_split_row_joins():
    p1 = _table(1, [
        {"no": ("1.", 2), "area": ("Manajemen Perubahan", 2), "kegiatan": ("1. Perencanaan", 2), "sub": "1. Sosialisasi", "ind": "Tersedianya media", "months": (1, 2)},
        {"sub": "2. Penyusunan rencana aksi dan", "ind": "1. Dokumen rencana", "months": (3,)},
    ], header=True)
    # Page 2: header repeated; first row is the split row's tail (no ticks), then a new row.
    p2 = _table(2, [
        {"no": ("", 2), "area": ("", 2), "kegiatan": ("", 2), "sub": "evaluasi berkala", "ind": "2. Laporan evaluasi"},
        {"sub": "3. Monitoring", "ind": "Laporan", "months": (12,)},
    ], header=True, bottom=False)
    asm = assemble(_doc(p1, p2))
    assert _rows(asm) == [
        ("1", "Manajemen Perubahan", "1", "Perencanaan", "1. Sosialisasi", "Tersedianya media", [1, 2], 1, 1),
        ("1", "Manajemen Perubahan", "1", "Perencanaan", "2. Penyusunan rencana aksi dan evaluasi berkala", "1. Dokumen rencana 2. Laporan evaluasi", [3], 1, 2),
        ("1", "Manajemen Perubahan", "1", "Perencanaan", "3. Monitoring", "Laporan", [12], 2, 2),
    ]


def test_ticks_on_both_sides_of_a_page_break_mean_two_rows():
    p1 = _table(1, [{"no": ("1.", 1), "area": ("A", 1), "kegiatan": ("1. K", 1), "sub": "1. Satu dan", "ind": "x", "months": (1,)}], header=True)
    p2 = _table(2, [{"sub": "dua", "ind": "y", "months": (2,)}], header=False, bottom=False)
    assert [r[4] for r in _rows(assemble(_doc(p1, p2)))] == ["1. Satu dan", "dua"]


def test_a_table_that_ends_above_the_page_bottom_is_never_continued():
    p1 = _table(1, [{"no": ("1.", 1), "area": ("A", 1), "kegiatan": ("1. K", 1), "sub": "1. Satu", "ind": "x", "months": (1,)}], header=True, bottom=False)
    p2 = _table(2, [{"sub": "lanjutan", "ind": ""}], header=False, bottom=False)
    assert [r[4] for r in _rows(assemble(_doc(p1, p2)))] == ["1. Satu", "lanjutan"]


def test_a_header_less_page_continues_a_plan_whose_last_label_is_unread():
    # A shaded "KET." read "X m 2" at 150 dpi: the column has no role, and the
    # continuation was held to the months' right edge instead of the table's.
    p1 = _table(1, [{"no": ("1.", 1), "area": ("A", 1), "kegiatan": ("1. K", 1), "sub": "1. Satu", "ind": "x", "months": (1,), "ket": "a"}],
                header=True, ket_label="X m 2")
    p2 = _table(2, [{"no": ("2.", 1), "area": ("B", 1), "kegiatan": ("1. L", 1), "sub": "1. Dua", "ind": "y", "months": (5,), "ket": "b"}],
                header=False, bottom=False)
    asm = assemble(_doc(p1, p2))
    assert [(r[1], r[4], r[6]) for r in _rows(asm)] == [("A", "1. Satu", [1]), ("B", "1. Dua", [5])]
    # The column's text has no field: said, not dropped in silence.
    assert [w for w in asm.warnings if "[column_unnamed]" in w] == [
        "page 1: the column headed 'X m 2' holds text in 2 rows, but its label names no activity field: "
        "its text is in the tables output only [column_unnamed]"]


def test_a_named_keterangan_column_gives_no_warning():
    p1 = _table(1, [{"no": ("1.", 1), "area": ("A", 1), "kegiatan": ("1. K", 1), "sub": "1. Satu", "ind": "x", "months": (1,), "ket": "a"}],
                header=True, bottom=False)
    asm = assemble(_doc(p1))
    assert [a.texts["ket"] for a in asm.activities] == ["a"] and asm.warnings == []


def test_merged_kegiatan_text_overflowing_onto_the_next_page_is_joined():
    p1 = _table(1, [{"no": ("1.", 2), "area": ("A", 2), "kegiatan": ("2. Menyempurnakan peraturan (Naskah Dinas", 2), "sub": "Penyusunan revisi", "ind": "Jumlah", "months": (3,)}, {"sub": "Pemetaan", "ind": "Data", "months": (6,)}], header=True)
    p2 = _table(2, [{"kegiatan": ("Penetapan) yang tidak relevan", 1), "sub": "Penyusunan baru", "ind": "Jumlah baru", "months": (9,)}], header=True, bottom=False)
    rows = _rows(assemble(_doc(p1, p2)))
    assert {r[3] for r in rows} == {"Menyempurnakan peraturan (Naskah Dinas Penetapan) yang tidak relevan"}
    assert [r[4] for r in rows] == ["Penyusunan revisi", "Pemetaan", "Penyusunan baru"]


def test_new_kegiatan_at_the_top_of_a_page_is_not_overflow():
    p1 = _table(1, [{"no": ("1.", 1), "area": ("A", 1), "kegiatan": ("1. Pertama", 1), "sub": "x", "ind": "y", "months": (1,)}], header=True)
    p2 = _table(2, [{"kegiatan": ("2. Kedua", 1), "sub": "z", "ind": "w", "months": (2,)}], header=True, bottom=False)
    assert [(r[2], r[3]) for r in _rows(assemble(_doc(p1, p2)))] == [("1", "Pertama"), ("2", "Kedua")]


def test_unrecognised_repeated_header_is_dropped():
    p1 = _table(1, [{"no": ("1.", 1), "area": ("A", 1), "kegiatan": ("1. K", 1), "sub": "x", "ind": "y", "months": (1,)}], header=True, bottom=False)
    # Page 2 repeats the header without month labels: find_layout can't see a header there.
    p2 = _table(2, [{"no": ("2.", 1), "area": ("B", 1), "kegiatan": ("1. L", 1), "sub": "u", "ind": "v", "months": (5,)}], header=True, header_months=False, bottom=False)
    assert [(r[1], r[4]) for r in _rows(assemble(_doc(p1, p2)))] == [("A", "x"), ("B", "u")]


def test_split_no_reads_printed_and_ocr_numbering():
    from lampiran.normalize.assemble import split_no

    assert split_no("1. Perencanaan") == ("1", "Perencanaan")
    assert split_no("2) Pelaksanaan") == ("2", "Pelaksanaan")
    assert split_no("3, Monitoring") == ("3", "Monitoring")  # OCR of "3."
    assert split_no("2022 Tahun Anggaran") == ("", "2022 Tahun Anggaran")
    assert split_no("Perencanaan 1.") == ("", "Perencanaan 1.")


def test_bare_kegiatan_number_in_a_numbered_document():
    p1 = _table(1, [
        {"no": ("1.", 2), "area": ("A", 2), "kegiatan": ("1. Pembentukan Tim", 1), "sub": "a", "ind": "b", "months": (1,)},
        {"kegiatan": ("2 Internalisasi budaya kerja", 1), "sub": "c", "ind": "d", "months": (2,)},
    ], header=True, bottom=False)
    assert [(r[2], r[3]) for r in _rows(assemble(_doc(p1)))] == [("1", "Pembentukan Tim"), ("2", "Internalisasi budaya kerja")]
    # Without numbered kegiatan elsewhere, a leading number is text as printed.
    p2 = _table(1, [{"no": ("1.", 1), "area": ("A", 1), "kegiatan": ("5 Area Perubahan", 1), "sub": "a", "ind": "b", "months": (1,)}], header=True, bottom=False)
    assert [(r[2], r[3]) for r in _rows(assemble(_doc(p2)))] == [("", "5 Area Perubahan")]


def test_a_scanned_kegiatan_one_read_as_a_letter_is_numbered_from_the_document():
    """"1." read as "L" where the kegiatan is alone on its page (so the page's
    repair sees no numbering): the document numbers its kegiatan, and it is
    the first of its area. A digital "I." is printed, and stays."""
    from dataclasses import replace

    p1 = _table(1, [
        {"no": ("1.", 2), "area": ("A", 2), "kegiatan": ("1. Pembentukan Tim", 1), "sub": "a", "ind": "b", "months": (1,)},
        {"kegiatan": ("2. Internalisasi", 1), "sub": "c", "ind": "d", "months": (2,)},
    ], header=True, bottom=False)
    p2 = _table(2, [{"no": ("2.", 1), "area": ("B", 1), "kegiatan": ("L Penguatan Akuntabilitas", 1), "sub": "e", "ind": "f",
                     "months": (3,)}], header=True, bottom=False)
    want = [("1", "Pembentukan Tim"), ("2", "Internalisasi"), ("1", "Penguatan Akuntabilitas")]
    scanned = replace(_doc(p1, p2), kind="scanned", page_kinds=["scanned"] * 3)
    assert [(r[2], r[3]) for r in _rows(assemble(scanned))] == want
    assert _rows(assemble(_doc(p1, p2)))[2][2:4] == ("", "L Penguatan Akuntabilitas")


def test_scanned_kegiatan_all_read_with_a_lone_l_are_numbered():
    """Every kegiatan the first of its area, every "1." read as "L": no number
    was read anywhere, but no word is a lone "L". A lone "I" may be a printed
    roman one, and stays."""
    from dataclasses import replace

    def kegiatan(*first: str) -> list[tuple[str, str]]:
        rows = [{"no": (f"{k + 1}.", 1), "area": (f"Area {k}", 1), "kegiatan": (f"{first[k % len(first)]} Kegiatan {k}", 1),
                 "sub": "s", "ind": "i", "months": (1,)} for k in range(3)]
        doc = replace(_doc(_table(1, rows, header=True, bottom=False)), kind="scanned", page_kinds=["scanned"] * 3)
        return [(r[2], r[3]) for r in _rows(assemble(doc))]

    assert kegiatan("L") == [("1", "Kegiatan 0"), ("1", "Kegiatan 1"), ("1", "Kegiatan 2")]
    assert kegiatan("I.") == [("", "I. Kegiatan 0"), ("", "I. Kegiatan 1"), ("", "I. Kegiatan 2")]
    # Numbered by the "L"s, a "1" whose dot was lost is the same numbering.
    assert kegiatan("L", "1", "L") == [("1", "Kegiatan 0"), ("1", "Kegiatan 1"), ("1", "Kegiatan 2")]
    # Bare numbers 1 and 2 (dots lost) say the kegiatan are numbered, and the "L" is a one.
    assert kegiatan("1", "L", "2") == [("1", "Kegiatan 0"), ("1", "Kegiatan 1"), ("2", "Kegiatan 2")]
    # Every dot lost: a bare "1" that starts each area's kegiatan, three times, is the numbering.
    assert kegiatan("1") == [("1", "Kegiatan 0"), ("1", "Kegiatan 1"), ("1", "Kegiatan 2")]
    assert kegiatan("1", "5", "1") == [("", "1 Kegiatan 0"), ("", "5 Kegiatan 1"), ("", "1 Kegiatan 2")]  # no count


def test_a_scanned_first_sub_kegiatan_read_with_a_letter_is_numbered_where_the_others_are():
    """A kegiatan's only sub kegiatan reads "L ..." (no "2." after it to tell):
    the other kegiatan's first ones read "1. ...", so it is "1." too."""
    from dataclasses import replace

    p1 = _table(1, [
        {"no": ("1.", 4), "area": ("A", 4), "kegiatan": ("1. K1", 2), "sub": "1. Satu", "ind": "i", "months": (1,)},
        {"sub": "2. Dua", "ind": "i", "months": (2,)},
        {"kegiatan": ("2. K2", 1), "sub": "1. Tiga", "ind": "i", "months": (3,)},
        {"kegiatan": ("3. K3", 1), "sub": "L Penerapan", "ind": "i", "months": (4,)},
    ], header=True, bottom=False)
    scanned = replace(_doc(p1), kind="scanned", page_kinds=["scanned"] * 3)
    assert [r[4] for r in _rows(assemble(scanned))] == ["1. Satu", "2. Dua", "1. Tiga", "1. Penerapan"]
    assert _rows(assemble(_doc(p1)))[3][4] == "L Penerapan"  # a text layer is as printed


def _areas(numbers: list[str], kind: str) -> list[str]:
    from dataclasses import replace

    rows = [{"no": (no, 1), "area": (f"Area {k}", 1), "kegiatan": ("1. K", 1), "sub": "s", "ind": "i", "months": (1,)}
            for k, no in enumerate(numbers)]
    doc = _doc(_table(1, rows, header=True, bottom=False))
    if kind == "scanned":
        doc = replace(doc, kind="scanned", page_kinds=["scanned"] * 3)
    return [r[0] for r in _rows(assemble(doc))]


def test_a_scanned_area_number_its_neighbours_contradict_is_read_in_sequence():
    assert _areas(["i.", "2.", "3.", "3.", "5."], "scanned") == ["1", "2", "3", "4", "5"]
    assert _areas(["1.", "2.", "4.", "5."], "scanned") == ["1", "2", "4", "5"]  # a skip: as printed
    assert _areas(["1.", "2.", "3.", "4.", "5.", "G."], "scanned") == ["1", "2", "3", "4", "5", "6"]  # "6" read as "G"
    assert _areas(["1.", "2.", "3.", "&", "5."], "scanned") == ["1", "2", "3", "4", "5"]  # a mark between 3 and 5
    assert _areas(["1.", "2.", "&"], "scanned") == ["1", "2", "3"]  # or last, after 2
    assert _areas(["1.", "2.", "3.", "4.", "w"], "scanned") == ["1", "2", "3", "4", "5"]  # a letter like no digit
    assert _areas(["1.", "2.", "3.", "4.", "S.", "6."], "scanned") == ["1", "2", "3", "4", "5", "6"]  # "5" read as "S"
    assert _areas(["1.", "2.", "3.", "4.", "5.", "B."], "scanned") == ["1", "2", "3", "4", "5", "B"]  # not a 6
    assert _areas(["A.", "B.", "C."], "scanned") == ["A", "B", "C"]  # letters: as printed
    assert _areas(["i.", "2.", "3.", "3.", "5."], "digital") == ["i", "2", "3", "3", "5"]  # a text layer is as printed


@pytest.mark.parametrize("read, role", [
    ("SUS KEGIATAN", "sub"),  # OCR at 150 dpi: B read as S
    ("INDIKATDR KEBERHASILAN", "indikator"),
    ("PENANGGUNG JAWA8", "pj"),
    ("KETERANGAM", "ket"),
    ("KI GINTAN", "kegiatan"),  # a random variant at 150 dpi: bold E read as I, A as N
    ("PLLAKSANA", "pj"),
    ("PENANGGUNG ,", "pj"),  # the wrapped "JAWAB" lost
    ("ARLA PERUBAILAN", "area"),  # folded, then as printed: a random variant at 150 dpi
    ("KLT,", "ket"),
    ("UKURAN KEBI RHASILAN", "indikator"),
    ("SLB KEGINTAN", "sub"),  # U read as L, A as N
    ("ARTA PI RUBAHAN", "area"),
    ("XO", "no"),
    ("OUVIPUTr", "indikator"),  # an unseen random variant at 150 dpi: garbled, but in the indikator's place  # a random variant at 150 dpi: the short leftmost label, read by its place
])
def test_a_header_word_read_with_an_ocr_slip_still_names_its_column(read, role):
    from lampiran.normalize.header import find_layout

    t = _table(1, [{"no": ("1.", 1), "area": ("A", 1), "kegiatan": ("1. K", 1), "sub": "x", "ind": "y", "months": (1,)}],
               header=True)
    col = {"no": 0, "area": 1, "kegiatan": 2, "sub": 3, "indikator": 4, "pj": 4, "ket": 17}[role]
    cell = next(c for c in t.cells if c.row == 0 and c.col == col)
    cell.text = read
    layout = find_layout(t)
    assert layout is not None and layout.roles[role] == (cell.bbox[0], cell.bbox[2])


def test_a_second_kegiatan_column_is_not_taken_for_the_sub_kegiatan():
    from lampiran.normalize.header import _near_role

    assert _near_role("KEGIATAN", {"kegiatan": (0.0, 1.0)}) is None  # a word longer than the key is not looked for
    assert _near_role("ANGGARAN", {}) is None and _near_role("SUMBERDANA", {}) is None


def test_a_split_rows_parts_are_told_apart_by_their_numbering_before_a_colon():
    """A colon says the cell's list is still to come on the next page, but
    not when the next page opens with the next item of the cell's own
    numbering (a ";" read as ":" by OCR joined two activities)."""
    from lampiran.normalize.split_rows import continues

    def texts(sub: str) -> dict[str, str]:
        return {"sub": sub, "indikator": "", "pj": "", "ket": ""}

    prev = texts("1. Penyusunan peta proses bisnis di lingkungan KPU Kabupaten Lumajang:")
    assert not continues(prev, texts("2. Evaluasi proses bisnis"), set(), set())
    assert continues(prev, texts("1) Lingkungan pengendalian"), set(), set())  # the inner list it announced
    assert continues(texts("Pelaksanaan SPIP:"), texts("2. Evaluasi"), set(), set())  # no numbering of its own


@pytest.mark.parametrize("a, b, joined", [
    # The inner list's next item, its bracket lost by OCR: the rest of the row.
    ("3 Pembangunan Jabatan Fungsional: 1) JF Analis 2) JF Pengelola Barang Jasa", "3 3) JF Perencana", True),
    # The leading numbering's next item, its dot lost: a new activity.
    ("1. Fasilitasi pelatihan: 1) Administrator 2) Pengawas", "2 Penyelenggaraan pelatihan dasar", False),
    ("1 Fasilitasi pelatihan kepemimpinan", "2 Penyelenggaraan pelatihan dasar", False),
    ("1. Penyusunan peta proses bisnis dan SOP:", "2 Evaluasi proses bisnis", False),  # the colon notwithstanding
    ("Pelaksanaan SPIP:", "2 Evaluasi", True),  # no numbering of its own: the colon's list
    # Both readings fit: the other columns decide (here: none, so a new row).
    ("1 Fasilitasi pelatihan: 1) Administrator", "2 Penyelenggaraan pelatihan dasar", False),
])
def test_a_bare_number_atop_a_page_is_told_apart_by_the_numbering_it_continues(a, b, joined):
    from lampiran.normalize.split_rows import continues

    def texts(sub: str) -> dict[str, str]:
        return {"sub": sub, "indikator": "", "pj": "", "ket": ""}

    assert continues(texts(a), texts(b), set(), set()) is joined


def test_a_row_joined_by_its_ticks_though_its_numbering_says_new_is_warned():
    """Ticks on one side of a page break say one row cut in two; in a scan, a
    second part that opens with the next item of the first part's numbering
    may be an activity of its own (a scan read a row's fills as ticks, and
    joined an unscheduled activity to the scheduled one under it): said, not
    silent."""
    p1 = _table(1, [{"no": ("1.", 1), "area": ("A", 1), "kegiatan": ("1. K", 1), "sub": "1. Penyusunan standar", "ind": "a"}],
                header=True)
    from dataclasses import replace

    def scanned(*tables: Table) -> Document:
        return replace(_doc(*tables), kind="scanned", page_kinds=["scanned"] * 3)

    p2 = _table(2, [{"sub": "2. Pelaksanaan survei", "ind": "b", "months": (3, 4)}], header=False, bottom=False)
    asm = assemble(scanned(p1, p2))
    assert [r[4] for r in _rows(asm)] == ["1. Penyusunan standar 2. Pelaksanaan survei"]
    assert [w for w in asm.warnings if w.endswith("[uncertain_join]")] == [
        "page 2: the first row was joined to the row above the page break by its ticks, though it opens with the "
        "next item of that row's numbering: it may be an activity of its own [uncertain_join]"]
    # On a text layer the ticks are glyphs: a cell's items split at the break (the sample SK's page 7).
    assert not [w for w in assemble(_doc(p1, p2)).warnings if w.endswith("[uncertain_join]")]
    p2 = _table(2, [{"sub": "pelayanan publik", "ind": "b", "months": (3, 4)}], header=False, bottom=False)
    assert not [w for w in assemble(scanned(p1, p2)).warnings if w.endswith("[uncertain_join]")]


def test_a_ticked_table_the_plan_left_out_is_reported():
    from lampiran.normalize.stage import normalize_document

    p1 = _table(1, [{"no": ("1.", 1), "area": ("A", 1), "kegiatan": ("1. K", 1), "sub": "1. Satu", "ind": "x", "months": (1,)}], header=True)
    p2 = _table(2, [{"sub": "2. Dua", "ind": "y", "months": (1, 2, 3)}, {"sub": "3. Tiga", "ind": "z", "months": (4, 5, 6)}],
                header=False, bottom=False)
    p2.col_edges[-1] += 30  # its columns refused as the plan's continuation
    plan = normalize_document(_doc(p1, p2))
    assert [a.sub_kegiatan for a in plan.activities] == ["1. Satu"]
    assert [w for w in plan.warnings if "[months_unread]" in w] == [
        "page 2: a 18-column table holds 6 ticks, but no action-plan header was read over them [months_unread]"]
    p2.col_edges[-1] -= 30  # continued: nothing left out, nothing said
    plan = normalize_document(_doc(p1, p2))
    assert len(plan.activities) == 3 and not [w for w in plan.warnings if "[months_unread]" in w]


def test_a_kegiatan_whose_dot_a_scan_lost_still_takes_its_overflow():
    # "1 Pelaksanaan pengendalian" (the dot lost at 150 dpi) runs on at the top
    # of the next page as "Gratifikasi KPU": the rest of it, not a new kegiatan.
    p1 = _table(1, [{"no": ("4", 1), "area": ("Penguatan", 1), "kegiatan": ("1 Pelaksanaan pengendalian", 1),
                     "sub": "1. Pembentukan UPG", "ind": "Adanya UPG di KPU", "months": (1,)}], header=True)
    p2 = _table(2, [{"area": ("Pengawasan", 1), "kegiatan": ("Gratifikasi KPU", 1), "ind": "Lumajang"},
                    {"no": ("5", 1), "area": ("Tatalaksana", 1), "kegiatan": ("1 Tata kelola", 1), "sub": "1. SPBE", "ind": "x", "months": (7,)}],
                header=False, bottom=False)
    doc = _doc(p1, p2)
    doc.kind = "scanned"
    # (Whether "1" becomes the kegiatan's number is the numbering repair's
    # call, on the document's evidence; here the join is what is tested.)
    assert [(r[1], f"{r[2]} {r[3]}".strip(), r[5], r[8]) for r in _rows(assemble(doc))] == [
        ("Penguatan Pengawasan", "1 Pelaksanaan pengendalian Gratifikasi KPU", "Adanya UPG di KPU Lumajang", 2),
        ("Tatalaksana", "1 Tata kelola", "x", 2)]


def test_an_indikator_list_going_on_atop_a_page_joins_the_split_row():
    """A row cut mid-phrase in its sub kegiatan ("... Kode Etik" / "Penyelenggara
    Pemilu") whose indikator goes on "1) ..." / "2) ...": one activity. The
    indikator numbers within its cell; only the sub kegiatan numbers across
    rows (a random variant with shaded months, so no ticks to go by, came out
    with 16 activities for 15, unwarned)."""
    from lampiran.normalize.split_rows import continues

    def texts(sub: str, ind: str) -> dict[str, str]:
        return {"sub": sub, "indikator": ind, "pj": "", "ket": ""}

    top = texts("3. Penerapan disiplin dan Kode Etik", "1) Jumlah Pelanggaran tahun sebelumnya")
    assert continues(top, texts("Penyelenggara Pemilu", "2) Jumlah Pelanggaran tahun ini"), set(), set())
    # A new activity's indikator opens its own list: a new row.
    assert not continues(top, texts("Penyelenggara Pemilu", "1) Jumlah SKP"), set(), set())
    # The sub kegiatan's leading numbering going on is the next activity, whatever the indikator says.
    assert not continues(top, texts("4. Penerapan SKP", "2) Jumlah Pelanggaran tahun ini"), set(), set())


def test_a_dot_numbered_one_after_a_bracket_list_atop_a_page_is_a_new_activity():
    """"... dalam hal: 1) Kesesuaian ... 9) Penanganan Pengaduan" then "1.
    Melakukan evaluasi ..." (months shaded, so no ticks to go by): a new
    activity's own numbering, not a list nested under the ")" item; a "1)"
    after a "." list is (a random variant read 9 activities for 10, unwarned)."""
    from lampiran.normalize.split_rows import continues

    def texts(sub: str) -> dict[str, str]:
        return {"sub": sub, "indikator": "", "pj": "", "ket": ""}

    a = "Menciptakan deregulasi pelayanan dalam hal: 1) Kesesuaian Persyaratan 9) Penanganan Pengaduan"
    assert not continues(texts(a), texts("1. Melakukan evaluasi dan perbaikan"), set(), set())
    assert continues(texts("Tahapan: 5. Pemetaan 6. Pengelolaan Pengaduan"), texts("1) Pengaduan langsung"), set(), set())


def test_a_last_row_whose_group_cells_open_empty_and_stay_so_takes_the_group_above():
    # A Word table whose last row has no cells under the merged area and
    # kegiatan (LibreOffice drew them empty): no text comes for them on a
    # later page, so the row goes with the group above, and it is said.
    p1 = _table(1, [{"no": ("6", 1), "area": ("Pelayanan Publik", 1), "kegiatan": ("3. Inovasi", 1), "sub": "Deregulasi", "ind": "a", "months": (1,)},
                    {"no": ("", 1), "area": ("", 1), "kegiatan": ("", 1), "sub": "1. Evaluasi inovasi", "ind": "b", "months": (9,)}],
                header=True)
    asm = assemble(_doc(p1))
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in _rows(asm)] == [
        ("6", "Pelayanan Publik", "3", "Inovasi", "Deregulasi"), ("6", "Pelayanan Publik", "3", "Inovasi", "1. Evaluasi inovasi")]
    assert [w.rsplit("[", 1)[1] for w in asm.warnings] == ["group_unfilled]", "group_unfilled]"]
    # Filled on the next page (a spreadsheet prints a merged range's text there): no warning.
    p2 = _table(2, [{"area": ("Pelayanan Publik", 1), "kegiatan": ("4. Survei", 1), "sub": "1. Survei kepuasan", "ind": "c", "months": (10,)}],
                header=False, bottom=False)
    asm = assemble(_doc(p1, p2))
    assert [(r[3], r[4]) for r in _rows(asm)][1:] == [("Survei", "1. Evaluasi inovasi"), ("Survei", "1. Survei kepuasan")]
    assert not [w for w in asm.warnings if "group_unfilled" in w]


def test_dotless_kegiatan_numbers_that_count_in_each_area_are_the_numbering():
    # Typed "1 Perencanaan", "2 Monitoring" in a spreadsheet: on a text layer
    # too, the numbers move into kegiatan_no as "1." would (three of the first
    # eight random spreadsheet variants kept them in the text, unwarned).
    rows = [{"no": ("1", 2), "area": ("Manajemen Perubahan", 2), "kegiatan": ("1 Perencanaan", 1), "sub": "a", "ind": "x", "months": (1,)},
            {"kegiatan": ("2 Monitoring", 1), "sub": "b", "ind": "y", "months": (2,)},
            {"no": ("2", 1), "area": ("Penataan", 1), "kegiatan": ("1 Pengelolaan", 1), "sub": "c", "ind": "z", "months": (3,)}]
    assert [(r[2], r[3]) for r in _rows(assemble(_doc(_table(1, rows, header=True))))] == [
        ("1", "Perencanaan"), ("2", "Monitoring"), ("1", "Pengelolaan")]
    # Numbers that do not count up are text ("3 Pilar ...", "5 Tahun ...").
    rows[1]["kegiatan"], rows[2]["kegiatan"] = ("3 Pilar", 1), ("5 Tahun", 1)
    assert [(r[2], r[3]) for r in _rows(assemble(_doc(_table(1, rows, header=True))))] == [
        ("", "1 Perencanaan"), ("", "3 Pilar"), ("", "5 Tahun")]


def test_a_dotless_kegiatan_atop_a_page_is_a_new_kegiatan_not_overflow():
    # A spreadsheet's kegiatan typed "1 Penerapan ...", "2 Penerapan ...": the
    # second, opening a page with no header repeated, is the next kegiatan (a
    # random spreadsheet variant had joined it to the first, unwarned).
    p1 = _table(1, [{"no": ("5", 1), "area": ("Peningkatan", 1), "kegiatan": ("1 Penerapan Standar Pelayanan", 1),
                     "sub": "Penyusunan SP", "ind": "Ada SP", "months": (1,)}], header=True)
    p2 = _table(2, [{"kegiatan": ("2 Penerapan reward and punishment", 1), "sub": "Pelaksanaan reward", "ind": "Ada"}],
                header=False, bottom=False)
    assert [(r[2], r[3], r[4]) for r in _rows(assemble(_doc(p1, p2)))] == [
        ("", "1 Penerapan Standar Pelayanan", "Penyusunan SP"), ("", "2 Penerapan reward and punishment", "Pelaksanaan reward")]


@pytest.mark.parametrize("texts, numbers", [
    (["1", "2", "3", "4", "5"], True),
    (["1", "2", "3", "N4", "5"], True),  # a header label's last letter printed below its cell
    (["1", "2", "3", "KE4GIA", "5"], True),  # or the part of it that did not fit ("URAIA N" / "KEGIA")
    (["(1)", "(2)", "(3)", "(4)"], False),  # bracketed numbers: more than one cell with more than a number
    (["1", "2", "3", "N4", "5X"], False),
    (["1", "2", "3", "Nama 4"], False),
    (["1", "2", "4", "5"], False),
    (["1", "2", "3"], False),
])
def test_the_column_number_row_tolerates_one_labels_overflow(texts, numbers):
    from lampiran.normalize.header import _is_column_numbers

    cells = [Cell(1, 2, c, 1, 1, (10.0 * c, 0.0, 10.0 * c + 10, 10.0), t, False, 1.0) for c, t in enumerate(texts)]
    assert _is_column_numbers(cells) is numbers


def test_month_labels_merged_into_the_group_header_cell_still_give_the_grid():
    """A scan whose ruling between the month group header and its labels was
    not found: one cell over the twelve columns reads "WAKTU PELAKSANAAN Jan
    Feb ... Des" (OCR: "Mel" for "Mei"). The twelve equal columns under it are
    the months in order (an unseen Word-made variant at 150 dpi read no plan
    at all)."""
    header = [Cell(1, 0, c, 1, 1, (XS[c], 0, XS[c + 1], 20), t, False, 1.0) for c, t in enumerate(HEADER)]
    labels = "WAKTU PELAKSANAAN Jan Feb Mar Apr Mel Jun Jul Agu Sep Okt Nov Des"
    header.append(Cell(1, 0, 5, 1, 12, (XS[5], 0, XS[17], 20), labels, False, 1.0))
    header.append(Cell(1, 0, 17, 1, 1, (XS[17], 0, XS[18], 20), "KET.", False, 1.0))
    body = _table(1, [{"no": ("1.", 1), "area": ("A", 1), "kegiatan": ("1. K", 1), "sub": "1. Satu", "ind": "x", "months": (5, 6)}],
                  header=False, bottom=False)
    body.cells = header + [Cell(c.page, c.row + 1, c.col, c.row_span, c.col_span, (c.bbox[0], c.bbox[1] + 20, c.bbox[2], c.bbox[3] + 20),
                                c.text, c.mark, c.confidence) for c in body.cells]
    body.n_rows += 1
    body.row_edges = [0.0] + [y + 20 for y in body.row_edges]
    assert [(r[4], r[6]) for r in _rows(assemble(_doc(body)))] == [("1. Satu", [5, 6])]
    # Twelve columns of unequal widths are no month grid, whatever the cell says.
    body.col_edges[8] += 6
    with pytest.raises(NoPlanTable):
        assemble(_doc(body))


def test_a_split_rows_shading_repeats_in_both_parts():
    """Months shaded, not ticked: the shading is drawn in both parts of a row
    cut by a page break. A sub kegiatan cut mid-phrase ("... Struktur
    Organisasi" / "KPU Kabupaten Lumajang"), its text undecided, is one row
    when both parts are shaded in the same months (two random variants read
    it as an activity of its own, unwarned), two rows when in other months."""
    from lampiran.normalize.split_rows import continues

    top = {"sub": "2. Pembuatan Dokumen Struktur Organisasi", "indikator": "2. Struktur Organisasi KPU Kabupaten",
           "pj": "", "ket": ""}
    rest = {"sub": "KPU Kabupaten Lumajang", "indikator": "Lumajang", "pj": "", "ket": ""}
    assert continues(top, rest, set(), set(), {5, 9, 10, 11}, {5, 9, 10, 11})
    assert not continues(top, rest, set(), set(), {5, 9, 10, 11}, {1, 6, 8})
    assert not continues(top, rest, set(), set())  # no marks at all: the text alone, which says nothing


def test_a_new_areas_number_alone_atop_a_page_opens_it_before_its_text():
    """A spreadsheet prints a merged range's text once: a variant's "3." stood
    alone atop page 2 (area and kegiatan cells empty, run on to page 3),
    "Penguatan Pengawasan" atop page 3. The number opens area 3; the text on
    page 3 fills it (read before as the overflow of area 2, unwarned)."""
    p1 = _table(1, [{"no": ("2.", 1), "area": ("Penguatan Akuntabilitas Kinerja", 1), "kegiatan": ("1. Penguatan SAKIP", 1),
                     "sub": "1. Penyusunan Renstra", "months": (1,)}], header=True)
    p2 = _table(2, [{"no": ("3.", 1), "area": ("", 1), "kegiatan": ("", 1), "sub": "1. Pencanangan Zona Integritas",
                     "months": (2,)}], header=True)
    p3 = _table(3, [{"no": ("", 1), "area": ("Penguatan Pengawasan", 1), "kegiatan": ("1. Pembangunan Zona Integritas", 1),
                     "sub": "3. Pelaksanaan Rencana Aksi", "months": (3,)}], header=True, bottom=False)
    asm = assemble(_doc(p1, p2, p3))
    assert [r[:4] for r in _rows(asm)] == [
        ("2", "Penguatan Akuntabilitas Kinerja", "1", "Penguatan SAKIP"),
        ("3", "Penguatan Pengawasan", "1", "Pembangunan Zona Integritas"),
        ("3", "Penguatan Pengawasan", "1", "Pembangunan Zona Integritas"),
    ]


def test_twelve_equal_columns_under_a_schedule_label_are_the_months_though_their_labels_are_garbled():
    """A spreadsheet's turned month names, 4.6 pt scanned at 200 dpi, read
    "Maret" and garbage ("ct s z &", "\u20ac 2"): twelve equal columns under
    "PELAKSANAAN (BULAN)" are the month grid, January first, as no name read
    says otherwise (the plan was refused, every activity lost). A name read
    at another month's place, or no name read at all, proves nothing."""
    def table(labels: list[str]) -> Table:
        t = _table(1, [{"no": ("1.", 1), "area": ("A", 1), "kegiatan": ("1. K", 1), "sub": "1. Satu", "ind": "x",
                        "months": (5, 6)}], header=True, bottom=False)
        for c in t.cells:
            if c.row == 1 and 5 <= c.col < 17:
                c.text = labels[c.col - 5]
        return t

    garbled = ["ct s z &", "a \u00a7", "Maret", "- & \u00ab", "z", "\u20ac 2", "- 3 3", "a 2 s", "- 5", "s 3 x", "ts :", "3 E"]
    assert [(r[4], r[6]) for r in _rows(assemble(_doc(table(garbled))))] == [("1. Satu", [5, 6])]
    from lampiran.normalize.assemble import NoPlanTable

    for labels in (garbled[:2] + ["Juni"] + garbled[3:], ["z"] * 12):
        with pytest.raises(NoPlanTable):
            assemble(_doc(table(labels)))


def test_twelve_equal_columns_under_a_schedule_label_with_no_labels_row_are_the_months_by_place():
    """Turned month labels merged into "JADWAL PELAKSANAAN" and read as
    garbage (an unseen Word-made variant at 150 dpi): no row of labels, the
    first activity right under the header. The twelve equal columns are the
    months by their place, and a warning says so (the plan was refused, every
    activity lost, warned only ``months_unread``). Names read out of order
    prove it is no month grid."""
    def table(schedule: str) -> Table:
        cells = [Cell(1, 0, c, 1, 1, (XS[c], 0, XS[c + 1], 20), t, False, 1.0) for c, t in enumerate(HEADER)]
        cells.append(Cell(1, 0, 5, 1, 12, (XS[5], 0, XS[17], 20), schedule, False, 1.0))
        cells.append(Cell(1, 0, 17, 1, 1, (XS[17], 0, XS[18], 20), "KET.", False, 1.0))
        for c, t in enumerate(["1", "Manajemen Perubahan", "1. Pembangunan budaya kerja",
                               "1. Penerapan budaya kerja di lingkungan sekretariat", "Dokumen"]):
            cells.append(Cell(1, 1, c, 1, 1, (XS[c], 20, XS[c + 1], 50), t, False, 1.0))
        for m in range(12):
            on = m + 1 in (7, 8)
            cells.append(Cell(1, 1, 5 + m, 1, 1, (XS[5 + m], 20, XS[6 + m], 50), "v" if on else "", on, 1.0))
        cells.append(Cell(1, 1, 17, 1, 1, (XS[17], 20, XS[18], 50), "", False, 1.0))
        return Table(1, (0, 0, 460, 50), 2, 18, [float(x) for x in XS], [0.0, 20.0, 50.0], cells,
                     touches_page_bottom=False)

    asm = assemble(_doc(table("JADWAL PELAKSANAAN lan TT Mar App Mei tun jul")))
    assert [(r[4], r[6]) for r in _rows(asm)] == [("1. Penerapan budaya kerja di lingkungan sekretariat", [7, 8])]
    assert [w for w in asm.warnings if w.endswith("[months_by_place]")]
    with pytest.raises(NoPlanTable):
        assemble(_doc(table("JADWAL PELAKSANAAN Des Jan")))


def test_a_word_cut_on_a_rows_last_line_before_a_page_break_is_joined_whole():
    """Writer cut "Integrasi" at its narrow cell's edge on the row's last
    line, and the row goes on on the next page ("Integra" / "si aplikasi"):
    the extract stage marks the cell (``Table.cut_ends``), and the
    document's words join the pieces (3 unseen Word-made variants read them
    as two words, unwarned)."""
    p1 = _table(1, [
        {"no": ("1.", 2), "area": ("Manajemen Perubahan", 2), "kegiatan": ("1. Perencanaan", 2),
         "sub": "1. Integrasi data kepegawaian", "ind": "Data", "months": (1,)},
        {"sub": "2. Integra", "ind": "1. Aplikasi", "months": (3,)},
    ], header=True)
    p2 = _table(2, [
        {"no": ("", 2), "area": ("", 2), "kegiatan": ("", 2), "sub": "si aplikasi", "ind": "2. Laporan"},
        {"sub": "3. Monitoring", "ind": "Laporan", "months": (12,)},
    ], header=True, bottom=False)
    subs = [r[4] for r in _rows(assemble(_doc(p1, p2)))]
    assert subs[1] == "2. Integra si aplikasi"  # unmarked: two words, as printed
    p1.cut_ends = [i for i, c in enumerate(p1.cells) if c.text == "2. Integra"]
    subs = [r[4] for r in _rows(assemble(_doc(p1, p2)))]
    assert subs == ["1. Integrasi data kepegawaian", "2. Integrasi aplikasi", "3. Monitoring"]
