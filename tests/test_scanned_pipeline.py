"""Scanned SKs through the whole pipeline (extract -> normalize), real Tesseract.

Acceptance of issue #3 on 200 dpi scans of the digital fixtures (skewed,
noisy, JPEG, the last lampiran page fed sideways): every activity found with
no extras, >= 99.5% of month cells right, mean text similarity >= 0.97, the
SK's facts as printed; a mixed document; the real scans in ../shared.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader, PdfWriter
from rapidfuzz.distance import Levenshtein

from lampiran.extract.stage import extract_document
from lampiran.cli import main
from lampiran.normalize.stage import normalize_document
from tests.fixtures.scan import lampiran_pages, scan_document
from tests.truth import FACT_FIELDS, load_truth, score_plan

pytestmark = [pytest.mark.ocr, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
PDF_DIR = ROOT / "tests" / "fixtures" / "pdf"

# One of each producer and tick style: reportlab with symbol-font ticks and a
# header that is not repeated; LibreOffice with Wingdings 2 and rotated months.
CASES = ["rl_wingdings", "docx_pic"]


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("scans")


@pytest.mark.parametrize("name", CASES)
def test_200dpi_scan_gives_the_plan(name, scans):
    src = PDF_DIR / f"{name}.pdf"
    scan = scans / f"{name}.200.pdf"
    scan_document(src, scan, 200)
    doc = extract_document(scan)
    plan = normalize_document(doc)
    assert doc.kind == "scanned" and set(doc.page_kinds) == {"scanned"}
    _meets_the_bar(plan, src, f"{name} 200 dpi")


def _meets_the_bar(plan, src: Path | dict, label: str) -> None:
    """Every activity found, >= 99.5% of month cells and a mean text
    similarity >= 0.97 against the truth (``src``'s, or ``src`` itself),
    and the SK's facts as printed."""
    truth = src if isinstance(src, dict) else load_truth(src)
    score = score_plan(plan, truth)
    print(f"\n{label}: {score}")
    assert score["activities_found"] == score["activities_true"]
    assert score["month_accuracy"] >= 0.995
    assert score["text_similarity"] >= 0.97
    got = plan.document.model_dump()
    for f in FACT_FIELDS:
        if f != "kind":
            assert got[f] == truth["documents"][f], f
    assert not [w for w in plan.warnings if w.endswith(("[ocr_poor]", "[nomor_implausible]"))], plan.warnings


# Issue 10's bar at 150 dpi: a Word-made plan whose broken rulings once merged
# two rows, scanned with heavier blur and grain than the default; and the
# reportlab plan whose 7 pt Helvetica read worst at the default degradation
# (0.959 before small table text kept its i-dots and the dictionary vouched
# for words). Measured: text 0.990 and 0.979.
@pytest.mark.parametrize("name, blur, noise", [("docx_pic", 0.8, 6.0), ("rl_wingdings", 0.6, 4.0)])
def test_150dpi_scan_gives_the_plan(name, blur, noise, scans):
    src = PDF_DIR / f"{name}.pdf"
    scan = scans / f"{name}.150.pdf"
    scan_document(src, scan, 150, blur=blur, noise=noise)
    _meets_the_bar(normalize_document(extract_document(scan)), src, f"{name} 150 dpi (blur {blur}, noise {noise})")


# Random plan variants (content, wording, ticks, fonts and pages drawn at
# random), scanned at 150 dpi: one whose garbled column-number row was read
# as an activity with twelve marks and misaligned the rows after it, one whose
# row split at a page foot was read as two, and one whose shaded "KET." label
# the page pass read as "X m 2" beside the turned month names (its header-less
# pages were refused and every keterangan lost). Measured: text 0.973, 0.987
# and 0.993.
@pytest.mark.parametrize("seed", [951, 926, 1079])
def test_150dpi_scan_of_a_random_variant_gives_the_plan(seed, scans):
    from tests.fixtures.generate import render, truth
    from tests.fixtures.variants import variant

    content, style = variant(seed)
    pdf = scans / f"variant-{seed}.pdf"
    truth_ = truth(content, render(content, style, pdf))
    scan = scans / f"variant-{seed}.150.pdf"
    scan_document(pdf, scan, 150)
    _meets_the_bar(normalize_document(extract_document(scan)), truth_, f"variant {seed} 150 dpi")


def test_mixed_document_digital_body_scanned_lampiran(scans):
    src = PDF_DIR / "rl_check_v.pdf"
    mixed = scans / "rl_check_v.mixed.pdf"
    scan_document(src, mixed, 200, only_pages=set(lampiran_pages(src)), rotate_last_lampiran=False)
    doc = extract_document(mixed)
    plan = normalize_document(doc)
    truth = load_truth(src)
    assert doc.kind == "mixed" and doc.page_kinds[0] == "digital" and "scanned" in doc.page_kinds
    assert plan.document.kind == "mixed"
    score = score_plan(plan, truth)
    assert score["activities_found"] == score["activities_true"] and score["month_accuracy"] >= 0.995
    # The digital body gives the facts exactly.
    assert plan.document.nomor == truth["documents"]["nomor"]
    assert plan.document.tanggal_ditetapkan == truth["documents"]["tanggal_ditetapkan"]


JOMBANG_TENTANG = (
    "PROGRAM KERJA PENGAWASAN TAHUNAN INSPEKTORAT ATAS PENYELENGGARAAN PEMERINTAHAN DAERAH KABUPATEN JOMBANG TAHUN 2021"
)


def test_jombang_real_scan_facts_grid_and_report(tmp_path, capsys, realdocs):
    """The keputusan pages (1-3) and one landscape lampiran page (6) of the
    real scan: 100 dpi JPEG, a handwritten number, a date typed over the stamp."""
    subset = tmp_path / "jombang-1-3-6.pdf"
    reader, writer = PdfReader(realdocs / "jombang-pkpt-2021-scan.pdf"), PdfWriter()
    for i in (0, 1, 2, 5):
        writer.add_page(reader.pages[i])
    writer.write(subset)
    doc = extract_document(subset)
    f = doc.facts
    print(f"\njombang facts: {f}")
    assert doc.kind == "scanned"
    # 188.4.45/441/415.10.1.3/2020 with "441" written by hand: the typed parts must come out.
    assert f.nomor.startswith("188.4.45/") and f.nomor.endswith("/415.10.1.3/2020"), f.nomor
    assert f.tanggal_ditetapkan == "2020-12-30"
    assert f.tahun == 2021 and f.mengubah_nomor == ""
    assert f.instansi == "BUPATI JOMBANG"
    assert Levenshtein.normalized_similarity(f.tentang, JOMBANG_TENTANG) >= 0.95, f.tentang
    lampiran = [t for t in doc.tables if t.page == 4]
    assert lampiran and max(t.n_rows * t.n_cols for t in lampiran) >= 100, "the lampiran grid is extracted"
    # Its lampiran is an audit calendar, not a month-grid action plan: it comes
    # out as a table beside the SK's facts.
    out = tmp_path / "clean"
    assert main(["run", str(subset), "--out", str(out), "--interim", str(tmp_path / "i")]) == 0
    assert "error:" not in capsys.readouterr().err
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    assert docs[["tanggal_ditetapkan", "kind"]].values.tolist() == [["2020-12-30", "scanned"]]
    tables = pd.read_csv(out / "tables.csv", dtype=str, keep_default_na=False)
    assert len(tables) == int(docs.tables[0]) >= 1 and (tables.page_first == "4").any()
    assert int(tables.n_rows.max()) >= 10


def test_uho_real_scan_is_reported_clearly(tmp_path, capsys, realdocs):
    uho = realdocs / "uho-sk-izin-prodi-scan.pdf"
    out = tmp_path / "clean"
    assert main(["run", str(uho), "--out", str(out), "--interim", str(tmp_path / "i")]) == 0
    err = capsys.readouterr().err
    assert "error:" not in err and f"warning: {uho}: no lampiran table found" in err
    d = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False).iloc[0]
    assert (d.nomor, d.tahun, d.tables) == ("228/KPT/1/2017", "2017", "0")
    assert d.tentang.startswith("IZIN PEMBUKAAN PROGRAM STUDI PADA UNIVERSITAS HALU OLEO")


@pytest.mark.parametrize("turn", [180, 270])
def test_a_lampiran_page_fed_upside_down_or_the_other_way(turn, scans):
    """The last lampiran page fed turned 180 or 270 degrees reads as upright."""
    src = PDF_DIR / "rl_check_v.pdf"
    scan = scans / f"rl_check_v.200.t{turn}.pdf"
    scan_document(src, scan, 200, turn=turn)
    plan = normalize_document(extract_document(scan))
    score = score_plan(plan, load_truth(src))
    assert score["activities_found"] == score["activities_true"]
    assert score["month_accuracy"] >= 0.995 and score["text_similarity"] >= 0.97
    assert any("[turned_page]" in w for w in plan.warnings)


# Spreadsheet variants printed fit-to-page (4.1-4.8 pt) and scanned at 200
# dpi. Read at the 1.5x the dpi alone gives: s2002 text 0.814, s2004 no
# activity at all (its month labels unread). Upsampled by their letters'
# height (``ocr.upsample_factor``): 0.951, and s2004's 4 activities and
# months, its text (0.64) still poor and said so.
@pytest.mark.parametrize("seed, text", [(2002, 0.93), (2004, 0.0)])
def test_200dpi_scan_of_a_small_printed_spreadsheet(seed, text, scans):
    src = ROOT / "tests" / "fixtures" / "sheet_variants" / f"s{seed}.pdf"
    scan = scans / f"s{seed}.200.pdf"
    scan_document(src, scan, 200)
    plan = normalize_document(extract_document(scan))
    score = score_plan(plan, load_truth(src))
    print(f"\ns{seed} 200 dpi: {score}")
    assert score["activities_found"] == score["activities_true"] and score["month_accuracy"] >= 0.995
    assert score["text_similarity"] >= text
    if score["text_similarity"] < 0.9:
        assert any(w.endswith("[ocr_poor]") for w in plan.warnings), plan.warnings


def test_facts_of_a_small_printed_heading_are_read_again_and_voted_on(scans):
    """Spreadsheet headings at 4.6-5.1 pt scanned at 200 dpi. The page pass
    read s2005's nomor as "037OT.01-Kpt/35 09/2024" and s2026's date as "6
    Februan 2022" (printed "8 Februari"), unwarned; its nomor as "07 HK.O3
    1350942022". Each fact line is read again at three scales and voted on:
    s2005's nomor and s2026's date come out as printed; s2026's nomor, which
    no two readings agree on, is taken but said."""
    from tests.truth import load_truth

    got = {}
    for seed in (2005, 2026):
        src = ROOT / "tests" / "fixtures" / "sheet_variants" / f"s{seed}.pdf"
        scan = scans / f"s{seed}.200.pdf"
        scan_document(src, scan, 200)
        got[seed] = (extract_document(scan), load_truth(src)["documents"])
    doc, truth = got[2005]
    assert (doc.facts.nomor, doc.facts.tanggal_ditetapkan) == (truth["nomor"], truth["tanggal_ditetapkan"])
    doc, truth = got[2026]
    assert doc.facts.tanggal_ditetapkan == truth["tanggal_ditetapkan"] == "2022-02-08"
    if doc.facts.nomor != truth["nomor"]:
        assert any(w.endswith("[facts_unsure]") and repr(doc.facts.nomor) in w for w in doc.warnings), doc.warnings
