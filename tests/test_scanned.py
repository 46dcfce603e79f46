"""The scanned reader against the REAL Tesseract (never a mock).

Reference for cell-level checks: the digital reader's tables of the same page
of the digital fixture (``extract.digital.DigitalReader``); when that reader
is absent, the fixture's truth JSON (rows and months only).

Scans are generated from the digital fixtures into a temporary folder on the
fly (seeded, deterministic); ``python -m tests.fixtures.scan`` writes them to
``tests/fixtures/scan/`` for a look (not committed).

Runtime: about 2-4 minutes on 2 cores (a handful of OCR'd pages).
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pdfplumber
import pytest
from rapidfuzz.distance import Levenshtein

from lampiran.extract.base import PageResult
from lampiran.extract.route import needs_ocr
from lampiran.extract.scan.ocr import TesseractEngine, tesseract_available
from lampiran.extract.scan.omr import learn_cut
from lampiran.extract.scan.reader import ScannedReader
from lampiran.model.interim import Cell, Table

pytestmark = [pytest.mark.ocr, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent
FIX = ROOT / "fixtures"
PDF_DIR = FIX / "pdf"
SCAN_DIR = FIX / "scan"

def test_tesseract_is_installed_with_its_languages() -> None:
    # A hard requirement: without it every test below would prove nothing.
    import subprocess

    assert tesseract_available(), "tesseract not found: run scripts/bootstrap.sh"
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
    assert {"ind", "eng"} <= set(langs), langs


def test_the_api_engine_reads_as_the_command_does(scan_tmp: Path) -> None:
    """Tesseract through its API (``--ocr-engine api``) and the ``tesseract``
    command read the same page image to nearly the same words: the wheel's
    Tesseract is a newer release, so a few words differ, never many."""
    from collections import Counter

    from lampiran.extract.scan.ocr import make_engine
    from lampiran.extract.scan.tessapi import TessApiEngine

    api = make_engine("api")
    assert isinstance(api, TessApiEngine), "tesserocr is a dependency: the API engine is there"
    scan, _ = _scan("rl_check_v", 200, scan_tmp)
    with pdfplumber.open(scan) as pdf:
        img = ScannedReader(engine=api).page_image(pdf, 3)
    a = Counter(w.text for w in api.words(img.gray, dpi=200))
    b = Counter(w.text for w in TesseractEngine().words(img.gray, dpi=200))
    same = sum((a & b).values())
    assert same >= 0.9 * max(sum(a.values()), sum(b.values())), (same, sum(a.values()), sum(b.values()))
    assert api.words(img.gray[:40, :40], dpi=200) == []  # a blank corner: no words, no error

SEED = "rl_seed"


# ------------------------------------------------------------------ helpers

def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def similarity(a: str, b: str) -> float:
    """1 - normalised Levenshtein distance, whitespace-insensitive."""
    a, b = _norm(a), _norm(b)
    if not a and not b:
        return 1.0
    return float(Levenshtein.normalized_similarity(a, b))


@dataclass
class Score:
    rows_ref: int = 0
    rows_found: int = 0
    month_cells: int = 0
    month_right: int = 0
    text_cells: int = 0
    text_sim_sum: float = 0.0
    seconds: float = 0.0
    pages: int = 0

    @property
    def month_acc(self) -> float:
        return self.month_right / self.month_cells if self.month_cells else 1.0

    @property
    def text_sim(self) -> float:
        return self.text_sim_sum / self.text_cells if self.text_cells else 1.0

    def __str__(self) -> str:
        return (f"rows {self.rows_found}/{self.rows_ref}, month cells {self.month_right}/{self.month_cells} "
                f"({100 * self.month_acc:.2f}%), text sim {self.text_sim:.4f} over {self.text_cells} cells, "
                f"{self.seconds / max(self.pages, 1):.1f} s/page")


def _month_cols(t: Table) -> set[int]:
    """Columns holding marks in the reference (digital) table."""
    return {c.col for c in t.cells if c.mark}


def compare_tables(ref: Table, got: Table, score: Score) -> list[str]:
    """Cell-level comparison on grid positions; returns human-readable diffs."""
    diffs: list[str] = []
    score.rows_ref += ref.n_rows
    if (ref.n_rows, ref.n_cols) != (got.n_rows, got.n_cols):
        diffs.append(f"grid {got.n_rows}x{got.n_cols} != reference {ref.n_rows}x{ref.n_cols}")
        if ref.n_cols == got.n_cols:
            score.rows_found += max(0, ref.n_rows - abs(ref.n_rows - got.n_rows))
        # Count every reference month cell and text cell as wrong.
        score.month_cells += sum(1 for c in ref.cells if c.mark)
        score.text_cells += sum(1 for c in ref.cells if not c.mark and c.text)
        return diffs
    score.rows_found += ref.n_rows
    gg = got.grid()
    months = _month_cols(ref)
    # Month cells: every 1x1 reference cell in a month column of a row that has marks
    # in the reference or in our reading (body rows).
    body_rows = {c.row for c in ref.cells if c.mark} | {c.row for c in got.cells if c.mark}
    seen: set[int] = set()
    for c in ref.cells:
        if c.col in months and c.row in body_rows and c.col_span == 1 and c.row_span == 1:
            g = gg[c.row][c.col]
            score.month_cells += 1
            ok = g is not None and g.mark == c.mark
            score.month_right += ok
            if not ok:
                diffs.append(f"month r{c.row} c{c.col}: ref {c.mark} got {None if g is None else g.mark}")
        elif not c.mark and c.text.strip():
            g = gg[c.row][c.col]
            if g is None or id(g) in seen:
                continue
            seen.add(id(g))
            sim = similarity(c.text, g.text)
            score.text_cells += 1
            score.text_sim_sum += sim
            if sim < 0.9:
                diffs.append(f"text r{c.row} c{c.col} sim {sim:.2f}: {c.text[:60]!r} -> {g.text[:60]!r}")
    return diffs


_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep", "okt", "nov", "des"))}


def month_columns(t: Table) -> dict[int, int]:
    """col -> month (1..12) from the header row that labels the months."""
    best: dict[int, int] = {}
    for r in range(min(t.n_rows, 4)):
        found: dict[int, int] = {}
        for c in t.cells:
            if c.row != r or c.col_span != 1:
                continue
            txt = c.text.strip().lower()
            if txt.isdigit() and 1 <= int(txt) <= 12:
                found[c.col] = int(txt)
            elif txt[:3] in _MONTHS:
                found[c.col] = _MONTHS[txt[:3]]
        if len(found) >= 12 and sorted(found.values()) == list(range(1, 13)):
            best = found
            break
    return best


def compare_months_to_truth(got: Table, ref: Table, truth: dict, page: int, score: Score) -> list[str]:
    """Month cells against the truth JSON (for marks the text layer cannot show:
    filled cells). Rows with marks, top to bottom, against the page's
    activities in order; an activity split across pages may sit on either page."""
    cols = month_columns(ref)
    if not cols:
        return ["no month header in the reference"]
    months: dict[int, set[int]] = {}
    for s in truth["schedule"]:
        months.setdefault(s["activity_no"], set()).add(s["bulan"])
    acts = [a for a in truth["activities"] if a["page_first"] <= page <= a["page_last"]]
    ours: list[set[int]] = []
    for r in range(got.n_rows):
        row = {cols[c.col] for c in got.cells if c.row == r and c.mark and c.col in cols}
        if row:
            ours.append(row)
    diffs: list[str] = []
    k = 0
    for a in acts:
        want = months.get(a["activity_no"], set())
        split = a["page_first"] != a["page_last"]
        if split and (k >= len(ours) or ours[k] != want):
            continue  # its marks are on the other page
        have = ours[k] if k < len(ours) else set()
        k += 1
        score.month_cells += 12
        score.month_right += 12 - len(want ^ have)
        if want != have:
            diffs.append(f"activity {a['activity_no']}: months {sorted(want)} read {sorted(have)}")
    for extra in ours[k:]:
        score.month_cells += 12
        score.month_right += 12 - len(extra)
        diffs.append(f"extra marked row {sorted(extra)}")
    return diffs


def _reference(pdf_path: Path, page_no: int) -> PageResult | None:
    from lampiran.extract.digital import DigitalReader

    with pdfplumber.open(pdf_path) as pdf:
        return DigitalReader().read_page(pdf, page_no)


def _truth(name: str) -> dict:
    return json.loads((PDF_DIR / f"{name}.truth.json").read_text(encoding="utf-8"))


def evaluate(scan_pdf: Path, digital_pdf: Path, pages: tuple[int, ...], reader: ScannedReader,
             report: list[str] | None = None, months_from_truth: bool = False) -> Score:
    """Cell-level score of the scan against the digital reader's reading of the
    digital original; with ``months_from_truth`` the month cells are scored
    against the truth JSON instead (fills have no text-layer mark)."""
    truth = _truth(digital_pdf.stem) if months_from_truth else None
    score = Score()
    with pdfplumber.open(scan_pdf) as pdf:
        for n in pages:
            t0 = time.perf_counter()
            res = reader.read_page(pdf, n)
            score.seconds += time.perf_counter() - t0
            score.pages += 1
            ref = _reference(digital_pdf, n)
            if ref is None:
                continue
            assert len(res.tables) == len(ref.tables), f"page {n}: {len(res.tables)} tables, reference {len(ref.tables)}"
            for rt, gt in zip(ref.tables, res.tables):
                if truth is not None:
                    text_only = Score()
                    d = compare_tables(rt, gt, text_only)
                    d = [x for x in d if not x.startswith("month")]
                    d += compare_months_to_truth(gt, rt, truth, n, score)
                    score.rows_ref += text_only.rows_ref
                    score.rows_found += text_only.rows_found
                    score.text_cells += text_only.text_cells
                    score.text_sim_sum += text_only.text_sim_sum
                else:
                    d = compare_tables(rt, gt, score)
                if report is not None:
                    report += [f"p{n} {x}" for x in d]
    return score


# ------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def reader() -> ScannedReader:
    return ScannedReader(engine=TesseractEngine())


@pytest.fixture(scope="module")
def scan_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scan")


def _scan(name: str, dpi: int, out: Path) -> tuple[Path, Path]:
    """(scan, digital original): the scan made now from the current digital
    fixture, so it never goes stale when the fixtures are regenerated."""
    from tests.fixtures.scan import scan_document

    src = PDF_DIR / f"{name}.pdf"
    dst = out / f"{name}.{dpi}.pdf"
    if not dst.exists():
        scan_document(src, dst, dpi)
    return dst, src


def _turned_page(name: str) -> int:
    from tests.fixtures.scan import lampiran_pages

    return lampiran_pages(PDF_DIR / f"{name}.pdf")[-1]


# ------------------------------------------------------------------- units

def test_learn_cut_first_large_jump() -> None:
    specks = [0.0, 0.0, 0.05, 0.06, 0.08, 0.1]  # mm^2
    faint, heavy = [0.45], [1.6, 1.8, 2.4]
    cut = learn_cut(specks + faint + heavy, 0.2, 0.3)
    assert 0.1 < cut.threshold < 0.45
    # One class only: no marks when all values are specks ...
    assert learn_cut(specks, 0.2, 0.3).threshold == float("inf")
    # ... all marks when every cell is inked.
    assert learn_cut([1.5, 1.6, 1.7, 1.65], 0.2, 0.3).threshold < 1.5


@pytest.mark.parametrize("column, want", [
    # A column numbered "N." elsewhere: its "1." read as a letter or a bare 1.
    (["L Perencanaan RB", "2. Pelaksanaan"], ["1. Perencanaan RB", "2. Pelaksanaan"]),
    (["I. Adanya dokumen", "3. Penetapan"], ["1. Adanya dokumen", "3. Penetapan"]),
    (["1 Persentase (%) ASN", "2. Jumlah"], ["1. Persentase (%) ASN", "2. Jumlah"]),
    # A cell that goes on to a "2." item is a numbering on its own.
    (["l Tersedianya media; 2. Pembangunan kolom"], ["1. Tersedianya media; 2. Pembangunan kolom"]),
    # Without a numbering around it, the text stays as read.
    (["L Tersedianya media", "Lima dokumen"], ["L Tersedianya media", "Lima dokumen"]),
    (["1 (satu) dokumen", "2. Laporan"], ["1 (satu) dokumen", "2. Laporan"]),
    # Dots lost: "N." elsewhere in the column, or bare numbers 1, 2, ... in three cells.
    (["2 Internalisasi", "1. Penyusunan", "2 Penguatan Sistem"], ["2. Internalisasi", "1. Penyusunan", "2. Penguatan Sistem"]),
    (["L Penyusunan", "2 Penetapan", "1 Sosialisasi", "3 Monitoring"],
     ["1. Penyusunan", "2. Penetapan", "1. Sosialisasi", "3. Monitoring"]),
    # A cell that goes on to a "2" whose dot was lost; its later items get theirs back.
    (["L Terisinya aplikasi eLapkin 2 Data e-Lapkin KPU"], ["1. Terisinya aplikasi eLapkin 2. Data e-Lapkin KPU"]),
    (["1. Satu 2. Dua 3 Tiga dalam 12 Bulan"], ["1. Satu 2. Dua 3. Tiga dalam 12 Bulan"]),
    # A remarks column of durations is no numbering.
    (["12 Bulan", "6 Bulan", "3 Bulan"], ["12 Bulan", "6 Bulan", "3 Bulan"]),
])
def test_a_numberings_one_read_as_a_letter_is_repaired(column: list[str], want: list[str]) -> None:
    from lampiran.extract.scan.repair import repair_enumeration

    cells = [Cell(3, r, 2, 1, 1, (0.0, 0.0, 1.0, 1.0), t, False, 0.9) for r, t in enumerate(column)]
    repair_enumeration(cells)
    assert [c.text for c in cells] == want
    assert all(c.confidence == (0.6 if c.text != t else 0.9) for c, t in zip(cells, column))


def test_month_labels_read_with_a_rulings_edge_are_set_by_their_place() -> None:
    """A shaded header at 150 dpi: seven of twelve labels carry a ruling's edge
    ("Jan |", "Feb!"), two more a slip ("Mel", "LAgu |"); all twelve are months."""
    from lampiran.extract.scan.repair import repair_month_labels

    read = ["Jan |", "Feb!", "Mar|", "Apr |", "Mel", "Jun", "Jul", "LAgu |", "Sep", "Okt |", "Nov", "Des"]
    cells = [Cell(3, 1, 5 + m, 1, 1, (0.0, 0.0, 1.0, 1.0), t, False, 0.9) for m, t in enumerate(read)]
    repair_month_labels(cells, set(range(5, 17)))
    assert [c.text for c in cells] == ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def test_turned_month_labels_read_with_a_gap_inside_are_set_by_their_place() -> None:
    """A spreadsheet variant's turned month names at 200 dpi: "Se member"
    (a gap read inside) made the seventh label that missed the run, and the
    table was read as no plan at all (warned ``months_unread``)."""
    from lampiran.extract.scan.repair import repair_month_labels

    read = ["Januari", "Febrmari", "Maret", "Ape", "Ma", "Judi", "Jadi", "Agueue", "Se member", "Oleber",
            "Nevember", "Desember"]
    cells = [Cell(3, 1, 5 + m, 1, 1, (0.0, 0.0, 1.0, 1.0), t, False, 0.9) for m, t in enumerate(read)]
    repair_month_labels(cells, set(range(5, 17)))
    assert [c.text for c in cells] == ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                                       "September", "Oktober", "November", "Desember"]



def test_a_month_label_left_unread_is_set_by_its_place() -> None:
    """A turned "Mei" unread at 150 dpi (eleven labels, no month run: a random
    variant's first lampiran page was refused and its activities lost). An
    empty cell in a row of no labels stays empty."""
    from lampiran.extract.scan.repair import repair_month_labels

    read = ["Januari", "Februari", "Maret", "April", "", "Juni", "Juli", "Agustus", "September", "Oktober",
            "November", ""]
    cells = [Cell(3, 1, 5 + m, 1, 1, (0.0, 0.0, 1.0, 1.0), t, False, 0.9) for m, t in enumerate(read)]
    body = [Cell(3, 2, 5 + m, 1, 1, (0.0, 0.0, 1.0, 1.0), "", False, 0.9) for m in range(12)]
    repair_month_labels(cells + body, set(range(5, 17)))
    assert [c.text for c in cells] == ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                                       "September", "Oktober", "November", "Desember"]
    assert cells[4].confidence == 0.6 and all(c.text == "" for c in body)


def test_month_labels_under_a_lost_ruling_are_split() -> None:
    """"Jul Agu" in one header cell over two month columns (the short ruling
    between them lost) becomes two cells; a spanning group label, a label
    that is not a month and a body cell stay as drawn."""
    from lampiran.extract.lattice import GridCell
    from lampiran.extract.scan.grid import Grid
    from lampiran.extract.scan.layout import split_label_cells
    from lampiran.extract.scan.ocr import Word

    cols = [0, 100] + [100 + 20 * k for k in range(1, 13)]  # a text column, then 12 month columns
    rows = [0, 20, 40, 60]

    def w(t: str, x: int, y: int) -> Word:
        return Word(t, (x, y, x + 12, y + 10), 90.0)

    cells = [GridCell(0, 1, 1, 12, (100, 0, 340, 20)), GridCell(1, 7, 1, 2, (220, 20, 260, 40)),
             GridCell(1, 9, 1, 2, (260, 20, 300, 40)), GridCell(2, 3, 1, 2, (140, 40, 180, 60))]
    words = [[w("PELAKSANAAN", 150, 5), w("BULAN", 250, 5)], [w("Jul", 222, 25), w("Agu", 242, 25)],
             [w("Sep", 262, 25), w("Catatan", 282, 25)], [w("Jan", 142, 45), w("Feb", 162, 45)]]
    g = Grid((0, 0, 340, 60), rows, cols, cells)
    out, out_words = split_label_cells(g, words, list(range(1, 13)), {0, 1})
    assert [(c.row, c.col, c.col_span, c.box) for c in out] == [
        (0, 1, 12, (100, 0, 340, 20)), (1, 7, 1, (220, 20, 240, 40)), (1, 8, 1, (240, 20, 260, 40)),
        (1, 9, 2, (260, 20, 300, 40)), (2, 3, 2, (140, 40, 180, 60))]
    assert [[x.text for x in ws] for ws in out_words] == [["PELAKSANAAN", "BULAN"], ["Jul"], ["Agu"], ["Sep", "Catatan"],
                                                         ["Jan", "Feb"]]


def test_hyphenation_repair_in_cells() -> None:
    from lampiran.extract.scan.ocr import Word
    from lampiran.extract.scan.words import cell_text as _join_words_cell

    def w(t: str, x: int, y: int) -> Word:
        return Word(t, (x, y, x + 10 * len(t), y + 20), 95.0)

    assert _join_words_cell([w("penye-", 0, 0), w("lenggara", 0, 30)]) == "penyelenggara"
    assert _join_words_cell([w("nilai-", 0, 0), w("nilai", 0, 30), w("dasar", 60, 30)]) == "nilai-nilai dasar"
    assert _join_words_cell([w("perundang-", 0, 0), w("undangan", 0, 30)]) == "perundang-undangan"
    assert _join_words_cell([w("Barang-", 0, 0), w("Jasa", 0, 30)]) == "Barang-Jasa"


def test_a_ruling_broken_into_short_pieces_still_parts_two_rows() -> None:
    """A thin row ruling that a poor 150 dpi scan left, across one column, as
    pieces of 2-6 mm with gaps up to 4 mm (too short for the ruling mask)
    still separates its rows; a line of text standing where a ruling would
    be does not."""
    import cv2

    from lampiran.extract.scan.grid import detect_tables
    from lampiran.extract.scan.image import binarize

    dpi = 150
    img = np.full((500, 900), 255, np.uint8)
    xs, ys = [40, 300, 560, 860], [40, 140, 240, 340, 460]
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 0, 1)
    for x in xs:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 0, 1)
    img[239:242, 301:559] = 255  # the ruling under (1, 1): pieces 15-35 px, gaps 10-24 px
    x, rng = 305, np.random.default_rng(3)
    while x < 555:
        n = int(rng.integers(15, 36))
        img[240, x: min(x + n, 555)] = 0
        x += n + int(rng.integers(10, 25))
    img[339:342, 301:559] = 255  # no ruling under (2, 1): a merged cell ...
    cv2.putText(img, "Penyusunan dokumen", (310, 344), cv2.FONT_HERSHEY_SIMPLEX, 0.55, 0, 1)  # ... text across its line
    g = detect_tables(binarize(img, dpi), dpi)[0]
    assert (g.n_rows, g.n_cols) == (4, 3)
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in g.cells}
    assert spans[(1, 1)] == (1, 1)  # the broken ruling parts rows 1 and 2
    assert spans[(2, 1)] == (2, 1)  # the text does not draw a ruling


def test_a_faint_row_ruling_under_text_parts_its_rows(scan_tmp: Path) -> None:
    """docx_seed's lampiran page 4 scanned at 150 dpi: a faint row ruling with
    a cell's last line of text just above it is lost by the binarisation, and
    two activities merged. Read from the grey image, every column holds the
    cells the digital page's table holds, and no more."""
    from lampiran.extract.digital import DigitalReader
    from lampiran.extract.scan import image as imaging
    from lampiran.extract.scan.grid import detect_tables

    scan, src = _scan("docx_seed", 150, scan_tmp)
    with pdfplumber.open(scan) as pdf:
        img = ScannedReader().page_image(pdf, 4)
    with pdfplumber.open(src) as pdf:
        digital = DigitalReader().read_page(pdf, 4).tables[0]

    def cells_per_column(cells: list) -> list[int]:
        return [sum(c.col == k for c in cells) for k in range(max(c.col for c in cells) + 1)]

    binary = imaging.binarize(img.gray, img.dpi)
    grid = max(detect_tables(binary, img.dpi, gray=img.gray), key=lambda g: g.n_rows)
    assert cells_per_column(grid.cells) == cells_per_column(digital.cells)


def test_only_a_tables_drawn_rulings_are_painted_out_inside_it() -> None:
    """A line of small serif text blurred at 150 dpi binarises into a long
    solid bar that the ruling mask keeps: inside a table it is text, and stays
    for OCR; a long underline outside the table is painted out."""
    import cv2

    from lampiran.extract.scan.grid import detect_tables, find_rulings, table_ruling_mask
    from lampiran.extract.scan.image import binarize

    dpi = 150
    img = np.full((600, 900), 255, np.uint8)
    xs, ys = [40, 300, 860], [40, 140, 300, 460]
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 0, 1)
    for x in xs:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 0, 1)
    img[200:207, 320:560] = 40  # a text line read as a 41 mm bar, inside a cell
    img[540:542, 100:500] = 0  # an underline under the table
    img[145:296, 700:702] = 0  # a long vertical stroke in a cell: a ruling, whatever the grid holds
    binary = binarize(img, dpi)
    rulings = find_rulings(binary, dpi)
    grids = detect_tables(binary, dpi, rulings)
    mask = table_ruling_mask(rulings, grids, dpi)
    assert len(grids) == 1
    assert not mask[200:207, 330:550].any()
    assert mask[540:542, 110:490].all()
    assert mask[140, 50:290].all()  # the grid's own rulings still go
    assert mask[160:280, 700].all()


@pytest.mark.parametrize("angle", [-2.5, -1.8, 0.0, 1.8, 2.5])
def test_a_skewed_body_page_is_not_taken_for_a_sideways_one(angle: float) -> None:
    """The turn is judged before the deskew: a body page of text lines skewed
    up to the 3 degrees the deskew corrects still reads as running across,
    and the same page fed sideways as running down (a random variant's body
    page, skewed 1.8 degrees, was read sideways and its words scrambled)."""
    import pypdfium2 as pdfium

    from lampiran.extract.scan.image import PageImage, turn_candidates
    from tests.fixtures.scan import degrade

    dpi = 150
    page = pdfium.PdfDocument(str(PDF_DIR / "docx_seed.pdf"))[0]
    gray = np.asarray(page.render(scale=dpi / 72.0, grayscale=True).to_pil())
    w, h = page.get_size()
    for quarter, want in ((0, (0, 180)), (90, (90, 270))):
        scan = degrade(gray, np.random.default_rng(7), angle, quarter)
        assert turn_candidates(PageImage(scan, None, dpi, w, h)) == want, (angle, quarter)


def test_a_header_label_with_one_unsure_word_is_read_again(scan_tmp: Path) -> None:
    """A random variant's lampiran at 150 dpi: "PENANGGUNG JAWAB" wrapped in a
    narrow shaded header cell, which the page pass read as "PENANGGU" (50)
    and "NG" (96). The mean was sure enough to keep; the column lost its role."""
    from tests.fixtures.generate import render
    from tests.fixtures.scan import scan_document
    from tests.fixtures.variants import variant

    content, style = variant(902)
    src, scan = scan_tmp / "v902.pdf", scan_tmp / "v902.150.pdf"
    render(content, style, src)
    scan_document(src, scan, 150)
    with pdfplumber.open(scan) as pdf:
        table = ScannedReader().read_page(pdf, 3).tables[0]
    header = [c.text for c in sorted(table.cells, key=lambda c: c.col) if c.row == 0]
    assert "PENANGGUNG JAWAB" in header, header


def test_grid_spans_from_missing_rulings() -> None:
    """A drawn grid with one ruling left out between two cells (a merge across
    columns), one between two rows, and one line broken by small gaps."""
    import cv2

    from lampiran.extract.scan.image import binarize
    from lampiran.extract.scan.grid import detect_tables

    dpi = 200
    img = np.full((700, 1000), 255, np.uint8)
    xs, ys = [50, 300, 500, 700, 950], [50, 150, 250, 350, 450, 650]
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 0, 2)
    for x in xs:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 0, 2)
    img[152:248, 499:502] = 255  # no ruling between (1,1) and (1,2)
    img[349:352, 52:298] = 255  # no ruling between (2,0) and (3,0)
    for x0 in range(720, 940, 40):  # a broken (but present) ruling under row 3
        img[449:452, x0: x0 + 3] = 255
    grids = detect_tables(binarize(img, dpi), dpi)
    assert len(grids) == 1
    g = grids[0]
    assert (g.n_rows, g.n_cols) == (5, 4)
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in g.cells}
    assert spans[(1, 1)] == (1, 2)
    assert spans[(2, 0)] == (2, 1)
    assert spans[(3, 3)] == (1, 1) and (4, 3) in spans
    assert len(g.cells) == 5 * 4 - 2


def test_a_vertical_labels_baseline_is_no_column() -> None:
    """A month name set vertically, long enough to nearly fill its header cell
    ("September"), binarises at 150 dpi into a bar along its baseline in the
    middle of the cell, which the ruling mask's closing joins to the rulings
    above and below. Drawn in that one header row only, it is no column; a
    real column that runs on into the body stays."""
    import cv2

    from lampiran.extract.scan.grid import detect_tables
    from lampiran.extract.scan.image import binarize

    dpi = 150
    img = np.full((520, 700), 255, np.uint8)
    xs, ys = [40, 200, 300, 400, 660], [40, 80, 180, 260, 340, 420, 500]
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 0, 2)
    for x in xs:
        cv2.line(img, (x, ys[0] if x in (xs[0], xs[-1]) else ys[1]), (x, ys[-1]), 0, 2)
    img[83:178, 249:252] = 0  # the label's baseline: 3 px wide, 2 px short of the rulings
    img[83:178, 252:258:2] = 0  # and its letters' strokes beside it
    g = detect_tables(binarize(img, dpi), dpi)[0]
    assert (g.n_rows, g.n_cols) == (6, 4)
    img[260:500, 349:352] = 0  # a column split from the third body row on is a column
    g = detect_tables(binarize(img, dpi), dpi)[0]
    assert g.n_cols == 5


def test_deskew_estimate() -> None:
    import cv2

    from lampiran.extract.scan.image import binarize, estimate_skew

    img = np.full((800, 1200), 255, np.uint8)
    for y in range(100, 700, 60):
        cv2.line(img, (100, y), (1100, y), 0, 2)
    for x in (100, 600, 1100):
        cv2.line(img, (x, 100), (x, 640), 0, 2)
    m = cv2.getRotationMatrix2D((600, 400), 1.3, 1.0)
    tilted = cv2.warpAffine(img, m, (1200, 800), borderValue=255)
    assert abs(estimate_skew(binarize(tilted, 150)) + 1.3) <= 0.1


def test_scan_fixture_is_deterministic(tmp_path: Path) -> None:
    from tests.fixtures.scan import scan_document

    src = PDF_DIR / "rl_check_v.pdf"
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    scan_document(src, a, 100)
    scan_document(src, b, 100)
    assert a.read_bytes() == b.read_bytes()


def test_needs_ocr(scan_tmp: Path) -> None:
    scan, src = _scan(SEED, 200, scan_tmp)
    with pdfplumber.open(scan) as pdf:
        assert all(needs_ocr(pg) for pg in pdf.pages)
    with pdfplumber.open(src) as pdf:
        assert not any(needs_ocr(pg) for pg in pdf.pages)


def test_needs_ocr_invisible_ocr_layer(tmp_path: Path) -> None:
    """A scan with Tesseract's own invisible text layer (render mode 3) still needs OCR:
    its text has no rulings or cells to go with it."""
    import subprocess

    import pypdfium2 as pdfium

    src = PDF_DIR / f"{SEED}.pdf"
    doc = pdfium.PdfDocument(str(src))
    doc[0].render(scale=100 / 72, grayscale=True).to_pil().save(tmp_path / "p1.png")
    doc.close()
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    subprocess.run(["tesseract", str(tmp_path / "p1.png"), str(tmp_path / "ocr"), "-l", "ind", "pdf"],
                   check=True, capture_output=True, env=env)
    with pdfplumber.open(tmp_path / "ocr.pdf") as pdf:
        page = pdf.pages[0]
        assert len(page.chars) > 100
        assert needs_ocr(page)


# --------------------------------------------------------------- fixtures 200

# (fixture, pages, months from truth JSON). Together: checkmark glyph styles,
# month names set vertically (docx_pic), filled month cells (rl_fill: the
# text layer has no mark, so months are scored against the truth JSON), a
# Word-made table (docx_*), and the page turned by 90 degrees (rl_seed's last).
CASES_200 = (
    (SEED, (3, 10), False),
    ("docx_pic", (3,), False),
    ("rl_fill", (3, 4), True),
    ("docx_seed", (5,), False),
)


def test_200dpi_cells(reader: ScannedReader, scan_tmp: Path) -> None:
    total = Score()
    lines: list[str] = []
    for name, pages, by_truth in CASES_200:
        if not (PDF_DIR / f"{name}.pdf").exists():
            continue
        scan, src = _scan(name, 200, scan_tmp)
        report: list[str] = []
        sc = evaluate(scan, src, pages, reader, report, months_from_truth=by_truth)
        lines.append(f"{name} {pages}: {sc}")
        lines += [f"   {x}" for x in report[:10]]
        for k in vars(total):
            setattr(total, k, getattr(total, k) + getattr(sc, k))
    print("\n200 dpi: " + str(total) + "\n" + "\n".join(lines))
    assert total.pages, "no fixture to read"
    assert total.rows_found == total.rows_ref, "every table row found"
    assert total.month_acc >= 0.995
    assert total.text_sim >= 0.97


def test_200dpi_turned_page_and_facts(reader: ScannedReader, scan_tmp: Path) -> None:
    scan, _ = _scan(SEED, 200, scan_tmp)
    truth = _truth(SEED)["documents"]
    n = _turned_page(SEED)
    with pdfplumber.open(scan) as pdf:
        res = reader.read_page(pdf, 1)
        assert truth["nomor"] in res.text.replace(" ", ""), res.text[:300]
        assert res.kind == "scanned" and not res.tables
        res2 = reader.read_page(pdf, 2)
        page = reader.read_page(pdf, n)
    from lampiran.extract.facts import parse_facts

    f = parse_facts(res.text + "\n" + res2.text)
    assert (f.nomor, f.tahun, f.tanggal_ditetapkan, f.mengubah_nomor) == (
        truth["nomor"], truth["tahun"], truth["tanggal_ditetapkan"], truth["mengubah_nomor"])
    assert page.tables, "the turned page's table is found"
    assert any("turned" in w for w in page.warnings)
    t = page.tables[0]
    assert t.reader == "scanned" and t.touches_page_bottom
    assert t.bbox[2] - t.bbox[0] > t.bbox[3] - t.bbox[1], "the table reads upright (landscape) after turning"
    assert len(t.col_edges) == t.n_cols + 1 and len(t.row_edges) == t.n_rows + 1
    cover = np.zeros((t.n_rows, t.n_cols), int)
    for c in t.cells:
        cover[c.row: c.row + c.row_span, c.col: c.col + c.col_span] += 1
        assert 0.0 <= c.confidence <= 1.0
        if c.mark:
            assert c.text == ""
    assert (cover == 1).all(), "the grid is covered exactly once"


def test_shaded_row_is_not_a_row_of_marks(reader: ScannedReader, scan_tmp: Path) -> None:
    """A body row shaded across the table (zebra stripe, section row) is the
    row's background: only a month cell clearly darker than it is a mark."""
    from lampiran.extract.scan import image as imaging
    from lampiran.extract.scan.grid import detect_tables

    scan, _ = _scan("rl_fill", 200, scan_tmp)
    with pdfplumber.open(scan) as pdf:
        img = reader.page_image(pdf, 3)
    g = max(detect_tables(imaging.binarize(img.gray, img.dpi), img.dpi), key=lambda g: g.n_rows)
    before = reader.read_image(img, 3).tables[0]
    row = next(r for r in range(g.n_rows) if sum(c.mark for c in before.cells if c.row == r) == 1)
    y0, y1, x0, x1 = g.row_edges[row], g.row_edges[row + 1], g.box[0], g.box[2]
    for arr in (img.gray, img.color):
        arr[y0:y1, x0:x1] = np.clip(arr[y0:y1, x0:x1].astype(int) - 45, 0, 255).astype(np.uint8)
    after = reader.read_image(img, 3).tables[0]

    def marks(t: Table) -> list[tuple[int, int]]:
        return sorted((c.row, c.col) for c in t.cells if c.mark)

    assert marks(after) == marks(before)


def test_faint_ticks_and_specks(reader: ScannedReader, scan_tmp: Path) -> None:
    """The cut is learned from the table: ticks at a third of their contrast
    still count; 2-3 px specks in empty month cells do not."""
    import copy

    import cv2

    from lampiran.extract.scan import image as imaging
    from lampiran.extract.scan.grid import detect_tables

    scan, _ = _scan(SEED, 200, scan_tmp)
    with pdfplumber.open(scan) as pdf:
        img = reader.page_image(pdf, 3)
    before = reader.read_image(copy.deepcopy(img), 3).tables[0]
    marked = sorted((c.row, c.col) for c in before.cells if c.mark)
    g = max(detect_tables(imaging.binarize(img.gray, img.dpi), img.dpi), key=lambda g: g.n_rows)
    boxes = {(c.row, c.col): c.box for c in g.cells}
    faint_rows = {marked[0][0], marked[-1][0]}
    for rc in marked:
        if rc[0] in faint_rows:
            x0, y0, x1, y1 = boxes[rc]
            for arr in (img.gray, img.color):
                reg = arr[y0 + 4: y1 - 4, x0 + 4: x1 - 4].astype(float)
                arr[y0 + 4: y1 - 4, x0 + 4: x1 - 4] = (255 - 0.35 * (255 - reg)).astype(np.uint8)
    month_cols = {c for _, c in marked}
    empties = [rc for rc in boxes if rc not in marked and rc[1] in month_cols and rc[0] > marked[0][0]][:20]
    rng = np.random.default_rng(0)
    for rc in empties:
        x0, y0, x1, y1 = boxes[rc]
        cx, cy = (x0 + x1) // 2 + int(rng.integers(-5, 5)), (y0 + y1) // 2 + int(rng.integers(-5, 5))
        cv2.circle(img.gray, (cx, cy), 1, 0, -1)
        cv2.circle(img.color, (cx, cy), 1, (0, 0, 0), -1)
    after = reader.read_image(img, 3).tables[0]
    assert sorted((c.row, c.col) for c in after.cells if c.mark) == marked


def test_150dpi(reader: ScannedReader, scan_tmp: Path) -> None:
    """150 dpi: 7 pt table text is ~5 px high; rows and marks hold, text degrades."""
    scan, src = _scan(SEED, 150, scan_tmp)
    sc = evaluate(scan, src, (3,), reader)
    print(f"\n150 dpi: {sc}")
    assert sc.rows_found == sc.rows_ref
    assert sc.month_acc >= 0.99
    assert sc.text_sim >= 0.80


def test_300dpi(reader: ScannedReader, scan_tmp: Path) -> None:
    scan, src = _scan(SEED, 300, scan_tmp)
    sc = evaluate(scan, src, (4,), reader)
    print(f"\n300 dpi: {sc}")
    assert sc.rows_found == sc.rows_ref
    assert sc.month_acc >= 0.995
    assert sc.text_sim >= 0.97


def test_page_pool_reads_as_the_reader_does(reader: ScannedReader, scan_tmp: Path) -> None:
    """The extract stage's pool across pages (a worker opens the file by its
    path) gives the same reading as the reader on the open document."""
    from lampiran.extract.stage import ExtractOptions, _read_image_pages

    scan, _ = _scan("rl_check_v", 200, scan_tmp)
    with pdfplumber.open(scan) as pdf:
        _, res = list(_read_image_pages(pdf, scan, [3, 4], ExtractOptions(page_jobs=2)))  # two pages: a pool of two
        direct = reader.read_page(pdf, 4)
    assert res.page == 4 and res.kind == "scanned"
    assert [(c.row, c.col, c.text, c.mark) for c in res.tables[0].cells] == [
        (c.row, c.col, c.text, c.mark) for c in direct.tables[0].cells
    ]


def test_mixed_document(reader: ScannedReader, scan_tmp: Path) -> None:
    from tests.fixtures.scan import lampiran_pages, scan_document

    src = PDF_DIR / f"{SEED}.pdf"
    lamp = set(lampiran_pages(src))
    dst = scan_tmp / f"{SEED}.mixed.pdf"
    rec = scan_document(src, dst, 200, only_pages=lamp, rotate_last_lampiran=False)
    kinds = {r.page: r.scanned for r in rec}
    assert kinds[1] is False and any(kinds.values())
    with pdfplumber.open(dst) as pdf:
        flags = {pg.page_number: needs_ocr(pg) for pg in pdf.pages}
    assert flags == kinds
    sc = evaluate(dst, src, (min(lamp) + 1,), reader)
    assert sc.rows_found == sc.rows_ref
    assert sc.month_acc >= 0.995


def test_end_to_end_scanned_plan(scan_tmp: Path) -> None:
    """The whole scan through the lead's extract stage and assembly: every
    activity found, with its months, as in the truth JSON."""
    from lampiran.extract.stage import extract_document
    from lampiran.normalize.assemble import assemble

    name = "rl_check_v"
    scan, _ = _scan(name, 200, scan_tmp)
    truth = _truth(name)
    doc = extract_document(scan)
    assert doc.kind == "scanned" and doc.facts.nomor == truth["documents"]["nomor"]
    acts = assemble(doc).activities
    months: dict[int, set[int]] = {}
    for s_ in truth["schedule"]:
        months.setdefault(s_["activity_no"], set()).add(s_["bulan"])
    assert len(acts) == len(truth["activities"])
    assert [a.months for a in acts] == [months[t["activity_no"]] for t in truth["activities"]]
    sims = [similarity(a.texts.get("sub", ""), t["sub_kegiatan"]) for a, t in zip(acts, truth["activities"])]
    assert sum(sims) / len(sims) >= 0.97


# ------------------------------------------------------------------ real scans

def test_jombang_real_scan(reader: ScannedReader, realdocs: Path) -> None:
    with pdfplumber.open(realdocs / "jombang-pkpt-2021-scan.pdf") as pdf:
        assert needs_ocr(pdf.pages[0])
        p1 = reader.read_page(pdf, 1)
        assert re.search(r"NOMOR\s*:\s*188", p1.text), p1.text[:400]
        assert not p1.tables or all(t.n_rows < 12 for t in p1.tables)
        for n in (4, 9):
            res = reader.read_page(pdf, n)
            assert res.tables, f"page {n}: no table"
            t = max(res.tables, key=lambda t: len(t.cells))
            assert t.n_rows >= 10 and t.n_cols >= 10
            assert sum(1 for c in t.cells if c.text) >= 20
            # The coloured day fills are read as marks.
            assert sum(1 for c in t.cells if c.mark) >= 4
            # The grid is covered exactly once.
            cover = np.zeros((t.n_rows, t.n_cols), int)
            for c in t.cells:
                cover[c.row: c.row + c.row_span, c.col: c.col + c.col_span] += 1
            assert (cover == 1).all()


def test_uho_real_scan_has_no_action_plan(reader: ScannedReader, realdocs: Path) -> None:
    with pdfplumber.open(realdocs / "uho-sk-izin-prodi-scan.pdf") as pdf:
        assert needs_ocr(pdf.pages[0])
        res = reader.read_page(pdf, 1)
    assert len(res.text) > 200
    for t in res.tables:
        assert not any(c.mark for c in t.cells), "no month grid in this SK"


def test_a_column_number_row_read_half_right_is_repaired() -> None:
    """The 18 column numbers of a random variant's table as read at 150 dpi:
    11 right, the rest garbled. The row is still the sequence (else it reads
    as an activity, and cut the row the page break split in two); a data
    row with a few numbers in it is not."""
    from lampiran.extract.scan.repair import repair_number_rows

    read = ["1", "2", "3", "4", "5", "&", "7", "o", "9", "10", "ul", "2", "13", "- ta", "w", "16", "-", "18"]
    cells = [Cell(3, 2, k, 1, 1, (0.0, 0.0, 1.0, 1.0), t, False, 0.9) for k, t in enumerate(read)]
    data = ["1.", "Area", "2", "3", "x", "5", "", "", "", "", "", "", "", "", "", "", "", "APBD"]
    cells += [Cell(3, 3, k, 1, 1, (0.0, 0.0, 1.0, 1.0), t, False, 0.9) for k, t in enumerate(data)]
    repair_number_rows(cells)
    assert [c.text for c in cells if c.row == 2] == [str(k) for k in range(1, 19)]
    assert [c.text for c in cells if c.row == 3] == data


@pytest.mark.parametrize("row", [
    # Two random variants' number rows as the page pass read them at 150 dpi:
    # a "5" read "s" (ten of nineteen count their columns) ...
    ["1", "2", "3", "4", "s", "6", "SL", "", "", "", "", "", "", "14", "15", "16", "17", "18]", "19"],
    # ... and the month cells' small digits lost, "19" read "wa wo" (six of seven text cells count).
    ["1", "2", "3", "4", "5", "6", "~", "@", "©", "o", "ro", "yna N", "ai w", "pan ta", "ya wn", "ya a", "we ~", "co", "wa wo"],
])
def test_a_garbled_column_number_row_is_a_header_row(row: list[str]) -> None:
    """Left a body row, its month cells were decided as marks by their ink: an
    activity with all twelve months, and every row after it misaligned."""
    from lampiran.extract.lattice import GridCell
    from lampiran.extract.scan.grid import Grid
    from lampiran.extract.scan.layout import header_rows
    from lampiran.extract.scan.ocr import Word

    cols = [20 * k for k in range(20)]  # six text columns, twelve month columns, a remarks column
    rows = [0, 20, 40, 60, 80]
    cells = [GridCell(0, 6, 1, 12, (120, 0, 360, 20))]
    words: list[list[Word]] = [[Word("JADWAL", (200, 5, 260, 15), 90.0)]]
    for r, texts in ((1, ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]), (2, row),
                     (3, ["1.", "Area", "1. Kegiatan", "Uraian", "Output", "Tim"] + [""] * 12 + ["Rutin"])):
        first = 6 if r == 1 else 0
        for k, t in enumerate(texts, start=first):
            cells.append(GridCell(r, k, 1, 1, (20 * k, 20 * r, 20 * k + 20, 20 * r + 20)))
            words.append([Word(p, (20 * k + 2, 20 * r + 5, 20 * k + 18, 20 * r + 15), 90.0) for p in t.split()])
    g = Grid((0, 0, 380, 80), rows, cols, cells)
    assert header_rows(g, list(range(6, 18)), words) == {0, 1, 2}


def test_month_labels_inside_the_group_header_cell_leave_the_next_row_a_body_row() -> None:
    """The ruling between "WAKTU PELAKSANAAN" and its month labels lost: the
    one cell holds both, and the row under it is the first activity's, whose
    months are decided by their ink (an unseen Word-made variant at 150 dpi
    lost that activity's months, unwarned)."""
    from lampiran.extract.lattice import GridCell
    from lampiran.extract.scan.grid import Grid
    from lampiran.extract.scan.layout import header_rows
    from lampiran.extract.scan.ocr import Word

    cols = [20 * k for k in range(20)]
    rows = [0, 20, 40, 60]
    cells = [GridCell(0, 6, 1, 12, (120, 0, 360, 20))]
    label = "WAKTU PELAKSANAAN Jan Feb Mar Apr Mel Jun Jul Agu Sep Okt Nov Des".split()
    words: list[list[Word]] = [[Word(w, (120 + 12 * i, 5, 130 + 12 * i, 15), 90.0) for i, w in enumerate(label)]]
    for r in (1, 2):
        texts = ["1.", "Area", "1. Kegiatan", "Uraian", "Output", "Tim"] + [""] * 12 + ["Rutin"]
        for k, t in enumerate(texts):
            cells.append(GridCell(r, k, 1, 1, (20 * k, 20 * r, 20 * k + 20, 20 * r + 20)))
            words.append([Word(p, (20 * k + 2, 20 * r + 5, 20 * k + 18, 20 * r + 15), 90.0) for p in t.split()])
    g = Grid((0, 0, 380, 60), rows, cols, cells)
    assert header_rows(g, list(range(6, 18)), words) == {0}
    # The labels in a row of their own, the other columns' labels spanning both rows: that row is header too.
    words[0] = [Word("JADWAL", (200, 5, 260, 15), 90.0)]
    for k in range(6):
        words[1 + k] = []
    assert header_rows(g, list(range(6, 18)), words) == {0, 1}


def test_a_schedule_header_over_garbled_labels_leaves_an_activity_row_a_body_row() -> None:
    """Turned month labels merged into "JADWAL PELAKSANAAN" and read as
    garbage (3 names of 12): the row under it opens an activity ("1", a long
    text), so it is no labels' row, and its months are decided by their ink
    (an unseen Word-made variant at 150 dpi read that row's ticks as text,
    one month lost)."""
    from lampiran.extract.lattice import GridCell
    from lampiran.extract.scan.grid import Grid
    from lampiran.extract.scan.layout import header_rows
    from lampiran.extract.scan.ocr import Word

    label = "JADWAL PELAKSANAAN lan TT Mar App Mei tun jul".split()
    cells = [GridCell(0, 6, 1, 12, (120, 0, 360, 20))]
    words: list[list[Word]] = [[Word(w, (120 + 12 * i, 5, 130 + 12 * i, 15), 90.0) for i, w in enumerate(label)]]
    first = ["1", "Managemen Perubahan", "1. Pembangunan budaya kerja", "1. Penerapan budaya kerja organisasi",
             "Tersedianya dokumen", "Tim"] + [""] * 6 + ["v", "v"] + [""] * 4 + [""]
    for r, texts in ((1, first), (2, [""] * 19)):
        for k, t in enumerate(texts):
            cells.append(GridCell(r, k, 1, 1, (20 * k, 20 * r, 20 * k + 20, 20 * r + 20)))
            words.append([Word(p, (20 * k + 2, 20 * r + 5, 20 * k + 18, 20 * r + 15), 90.0) for p in t.split()])
    g = Grid((0, 0, 380, 60), [0, 20, 40, 60], [20 * k for k in range(20)], cells)
    assert header_rows(g, list(range(6, 18)), words) == {0}



def test_month_labels_merged_over_some_columns_leave_the_next_row_a_body_row() -> None:
    """Six labels in one cell over six month columns ("Apr Mel jun jul Agu
    Sep", the rulings between them lost in a spreadsheet scanned at 200 dpi)
    are labels, not a group header with labels under it: the row under them
    is the first activity's (its months were lost, unwarned)."""
    from lampiran.extract.lattice import GridCell
    from lampiran.extract.scan.grid import Grid
    from lampiran.extract.scan.layout import header_rows
    from lampiran.extract.scan.ocr import Word

    def word(t: str, k: int, r: int) -> Word:
        return Word(t, (20 * k + 2, 20 * r + 5, 20 * k + 18, 20 * r + 15), 90.0)

    cells = [GridCell(0, 6, 1, 12, (120, 0, 360, 20))]
    words: list[list[Word]] = [[Word("JADWAL", (200, 5, 260, 15), 90.0)]]
    for k, t in ((6, "Jan"), (7, "Feb"), (8, "Mar"), (9, "Apr Mel jun jul Agu Sep"), (15, "Okt"), (16, "Nov"), (17, "Des")):
        span = 6 if k == 9 else 1
        cells.append(GridCell(1, k, 1, span, (20 * k, 20, 20 * (k + span), 40)))
        words.append([word(p, k, 1) for p in t.split()])
    for k, t in enumerate(["1.", "Area", "1. Kegiatan", "Uraian", "Output", "Tim"] + [""] * 12 + ["Rutin"]):
        cells.append(GridCell(2, k, 1, 1, (20 * k, 40, 20 * k + 20, 60)))
        words.append([word(p, k, 2) for p in t.split()])
    g = Grid((0, 0, 380, 60), [0, 20, 40, 60], [20 * k for k in range(20)], cells)
    assert header_rows(g, list(range(6, 18)), words) == {0, 1}


def test_a_fills_speckle_is_not_a_tick() -> None:
    """A page with one row of grey-filled month cells: one cell's fill left a
    little speckle in the binarised image, which the page's few cells learned
    as ink. Every cell is marked by its colour, none by a tick (a tick on one
    side of a page break joins rows; a colour covers both); a real tick on a
    fill still counts as one."""
    from lampiran.extract.scan.grid import Grid, GridCell
    from lampiran.extract.scan.image import PageImage
    from lampiran.extract.scan.omr import decide_marks

    dpi, w, h = 150, 28, 46  # month cells of a 150 dpi scan, in pixels
    gray = np.full((h + 20, 12 * w + 20), 250, np.uint8)
    clean = np.zeros_like(gray)
    cells = [GridCell(0, m, 1, 1, (10 + m * w, 10, 10 + (m + 1) * w, 10 + h)) for m in range(12)]
    for c in cells:
        x0, y0, x1, y1 = c.box
        gray[y0 + 2: y1 - 2, x0 + 2: x1 - 2] = 146
    x0, y0 = cells[11].box[:2]
    clean[y0 + 20: y0 + 24, x0 + 12: x0 + 16] = 255  # speckle: 16 px, 0.46 mm^2
    clean[y0 + 26: y0 + 28, x0 + 8: x0 + 10] = 255
    color = np.dstack([gray] * 3)
    g = Grid((10, 10, 10 + 12 * w, 10 + h), [10, 10 + h], [10 + m * w for m in range(13)], cells)
    img = PageImage(gray, color, dpi, 12 * w * 72 / dpi, h * 72 / dpi)
    out = decide_marks(g, cells, img, clean)
    assert [out[(0, m)][0] for m in range(12)] == [True] * 12
    assert [out[(0, m)][2] for m in range(12)] == ["#929292"] * 12
    # A tick's worth of ink on the fill (2 mm^2 at 150 dpi: 70 px) is a tick.
    x0, y0 = cells[5].box[:2]
    clean[y0 + 10: y0 + 36, x0 + 12: x0 + 15] = 255
    out = decide_marks(g, cells, img, clean)
    assert out[(0, 5)][:1] == (True,) and out[(0, 5)][2] == ""


def test_small_text_at_150_dpi_keeps_its_i_dots() -> None:
    """7 pt table words scanned at 150 dpi (blur, grain, JPEG as the scan
    fixtures), each line read by Tesseract from the OCR image. The dot of an
    "i" binarises to 4-11 px at 2x: a speck filter of 12 px took it, and "ri"
    read "n" ("pemenntahan"), "ti" read "u". Measured over these six pages:
    55 of 60 words right with that filter and a blur before thresholding,
    59 without."""
    import io

    import cv2
    import pypdfium2 as pdfium
    from reportlab.pdfgen import canvas

    from lampiran.extract.scan.ocr import ocr_image
    from tests.fixtures.scan import JPEG_QUALITY, degrade

    words = ["Sekretaris", "Rutin", "dinas", "informatika", "diklat", "pemerintahan", "triwulan", "elektronik",
             "direviu", "sertifikasi"]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(200, 20 + 12 * len(words)))
    for i, w in enumerate(words):
        c.setFont("Helvetica", 7)
        c.drawString(10, 10 + 12 * i, w)
    c.save()
    gray = np.asarray(pdfium.PdfDocument(buf.getvalue())[0].render(scale=150 / 72, grayscale=True).to_pil().convert("L"))
    engine, right = TesseractEngine(), 0
    for seed in range(6):
        img = degrade(gray, np.random.default_rng(seed), 0.0, 0)
        img = cv2.imdecode(cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])[1], cv2.IMREAD_GRAYSCALE)
        got = {w.text.lower() for w in engine.words(ocr_image(img, np.zeros_like(img), 150, 2.0, fine=True),
                                                    dpi=300, psm=6)}
        right += sum(w.lower() in got for w in words)
    assert right >= 58, right


def _page_ink(src: Path, page: int, dpi: int) -> tuple[np.ndarray, float]:
    """The binary ink (rulings out) of one digital fixture page rendered and
    degraded as a scan at ``dpi``, upright and level."""
    import pypdfium2 as pdfium

    from lampiran.extract.scan import image as imaging
    from lampiran.extract.scan.grid import find_rulings
    from lampiran.extract.scan.omr import ink_without_rulings
    from tests.fixtures.scan import degrade

    doc = pdfium.PdfDocument(str(src))
    gray = np.asarray(doc[page - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
    doc.close()
    img = degrade(gray, np.random.default_rng(1), 0.0, 0)
    binary = imaging.binarize(img, dpi)
    return ink_without_rulings(binary, find_rulings(binary, dpi), dpi), dpi


def test_small_text_is_upsampled_by_its_own_height():
    """A spreadsheet printed fit-to-page (5 pt) stands 6 px tall at 150 dpi:
    it is read at 3.3x, not at the 2x its dpi alone gives (120 of 206 words
    right at 2x, 169 at 3x); 7.5 pt table text (11 px) stays at 2x, and a
    300 dpi page of it is read as it is."""
    from lampiran.extract.scan.ocr import text_height_px, upsample_factor
    from lampiran.extract.scan.settings import ScanSettings

    s = ScanSettings()
    small = text_height_px(*_page_ink(PDF_DIR / "xlsx_jember.pdf", 1, 150))
    table = text_height_px(*_page_ink(PDF_DIR / "rl_wingdings.pdf", 3, 150))
    assert small is not None and table is not None and 5 <= small <= 7 < 10 <= table <= 13, (small, table)
    assert upsample_factor(150, small, s) > 3.0
    assert upsample_factor(150, table, s) == 2.0
    table300 = text_height_px(*_page_ink(PDF_DIR / "rl_wingdings.pdf", 3, 300))
    assert upsample_factor(300, table300, s) == 1.0
    assert upsample_factor(150, None, s) == 2.0  # a page without letters: by its dpi
