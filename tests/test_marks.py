"""Marks from the document's own vocabulary, and the warnings when months cannot be read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lampiran.model.interim import Cell, Document, Facts, Table
from lampiran.model.warnings import Notice
from lampiran.normalize.assemble import assemble
from lampiran.pipeline import process

ROOT = Path(__file__).resolve().parents[1]
XLSX = sorted((ROOT / "tests" / "fixtures" / "pdf").glob("xlsx_*.pdf"))

XS = [0, 20, 80, 140, 220, 300] + [300 + 10 * i for i in range(1, 13)] + [460]
HEADER = ["NO", "AREA PERUBAHAN", "KEGIATAN", "SUB KEGIATAN", "INDIKATOR KEBERHASILAN"]


def _plan(months: list[list[str]], ket: list[str] | None = None) -> Document:
    """One page: the header, then a row per entry of ``months`` (12 month-cell texts each)."""
    cells = [Cell(1, 0, c, 2, 1, (XS[c], 0, XS[c + 1], 40), t, False, 1.0) for c, t in enumerate(HEADER)]
    cells.append(Cell(1, 0, 5, 1, 12, (XS[5], 0, XS[17], 20), "PELAKSANAAN (BULAN)", False, 1.0))
    cells += [Cell(1, 1, 5 + m, 1, 1, (XS[5 + m], 20, XS[6 + m], 40), str(m + 1), False, 1.0) for m in range(12)]
    cells.append(Cell(1, 0, 17, 2, 1, (XS[17], 0, XS[18], 40), "KET.", False, 1.0))
    ys = [0.0, 20.0, 40.0]
    for i, row in enumerate(months):
        r, top = 2 + i, ys[-1]
        ys.append(top + 30)
        texts = [f"{i + 1}.", "Manajemen Perubahan", "1. Perencanaan", f"{i + 1}. Kegiatan ke-{i + 1}", "Dokumen"]
        cells += [Cell(1, r, c, 1, 1, (XS[c], top, XS[c + 1], top + 30), t, False, 1.0) for c, t in enumerate(texts)]
        cells += [Cell(1, r, 5 + m, 1, 1, (XS[5 + m], top, XS[6 + m], top + 30), t, False, 1.0) for m, t in enumerate(row)]
        k = ket[i] if ket else ""
        cells.append(Cell(1, r, 17, 1, 1, (XS[17], top, XS[18], top + 30), k, False, 1.0))
    table = Table(1, (0, 0, 460, ys[-1]), len(ys) - 1, 18, [float(x) for x in XS], ys, cells)
    return Document("d", "d.pdf", "0" * 64, 1, "digital", ["digital"], Facts(), [table])


def _row(*months: int, glyph: str = "P", other: str = "") -> list[str]:
    return [glyph if m + 1 in months else other for m in range(12)]


def _codes(warnings: list[str]) -> list[str]:
    return [Notice.parse(w).code for w in warnings]


def test_a_fallback_letter_is_learned_and_reported():
    asm = assemble(_plan([_row(1, 2), _row(3), _row(4, 5, 6)]))
    assert [sorted(a.months) for a in asm.activities] == [[1, 2], [3], [4, 5, 6]]
    assert _codes(asm.warnings) == ["learned_mark"]
    assert "month cells marked with 'P' (fallback font for a symbol tick)" in asm.warnings[0]


@pytest.mark.parametrize("glyph", ["ü", "R", "l", "1", "\uf0fc"])
def test_other_fallback_glyphs_are_learned(glyph):
    asm = assemble(_plan([_row(1, 2, glyph=glyph), _row(3, glyph=glyph), _row(12, glyph=glyph)]))
    assert [sorted(a.months) for a in asm.activities] == [[1, 2], [3], [12]]


def test_dash_and_zero_are_never_marks():
    asm = assemble(_plan([_row(1, 2, glyph="-"), _row(3, glyph="0")]))
    assert [a.months for a in asm.activities] == [set(), set()]
    assert "learned_mark" not in _codes(asm.warnings)


def test_a_glyph_that_also_stands_in_the_text_columns_is_not_learned():
    """"P" in the KET column of a row is content, so "P" in the months is not surely a tick."""
    asm = assemble(_plan([_row(1, 2), _row(3)], ket=["P", ""]))
    assert [a.months for a in asm.activities] == [set(), set()]
    assert _codes(asm.warnings) == ["months_unread"]


def test_month_cells_with_words_are_reported_not_read():
    asm = assemble(_plan([_row(1, 2, glyph="Rapat"), _row(3, glyph="Laporan")]))
    assert [a.months for a in asm.activities] == [set(), set()]
    assert _codes(asm.warnings) == ["months_unread"]


def test_recognised_ticks_need_no_learning():
    doc = _plan([_row(1, 2, glyph="✓"), _row(3, glyph="✓")])
    asm = assemble(doc)
    assert [sorted(a.months) for a in asm.activities] == [[1, 2], [3]] and asm.warnings == []


@pytest.mark.parametrize("pdf", XLSX, ids=lambda p: p.stem)
def test_spreadsheet_plans_read_their_fallback_ticks(pdf):
    plan = process(pdf)
    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    assert len(plan.schedule) == len(truth["schedule"]) > 0
    assert _codes(plan.warnings)[0] == "learned_mark"  # (the seed's own numbering gaps follow it)


def _garble_header(doc: Document) -> Document:
    """The plan's header as a scrambled text layer leaves it: no label reads."""
    for c in doc.tables[0].cells:
        if c.row < 2:
            c.text = "".join(reversed(c.text))[:3]
    return doc


def test_a_fallback_letter_grid_under_a_garbled_header_is_reported_not_silent():
    """A spreadsheet's Wingdings 2 ticks print as "P", which the extract stage
    cannot know for ticks; with no plan header read, the table went out as a
    plain table and the plan silently empty. Now it is said."""
    from lampiran.normalize.stage import normalize_document

    plan = normalize_document(_garble_header(_plan([_row(1, 2, 3), _row(3, 4), _row(4, 5, 6, 7)])))
    assert plan.activities == []
    assert [w for w in plan.warnings if w.endswith("[months_unread]")] == [
        "page 1: a 18-column table holds 9 cells marked 'P' across its columns, but no action-plan header "
        "was read over them [months_unread]"]


def test_a_count_table_is_not_taken_for_a_grid():
    """A "1" in many columns among other counts is a count, not a mark."""
    from lampiran.normalize.stage import normalize_document

    counts = [[str((r * 5 + m) % 4 + 1) for m in range(12)] for r in range(4)]
    plan = normalize_document(_garble_header(_plan(counts)))
    assert plan.activities == [] and not [w for w in plan.warnings if w.endswith("[months_unread]")]
