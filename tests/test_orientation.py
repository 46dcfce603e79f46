"""Pages stored turned read as the same records as upright ones.

Two ways a page is stored turned: ``/Rotate`` set over upright content (a
viewer that rotates a page and saves, a scanner driver), and a landscape
lampiran page stored as a portrait page whose content is drawn turned, with
``/Rotate`` to show it landscape again (as Word and print-to-PDF drivers
write it) or to show it upside down.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import RectangleObject

from lampiran.extract.orient import reading_turn
from lampiran.pipeline import process
from tests.tables_truth import diff_tables
from tests.truth import diff_plan, load_truth

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "tests" / "fixtures" / "pdf"
TABLES = ROOT / "tests" / "fixtures" / "tables"


def _rotated(src: Path, dst: Path, degrees: int) -> Path:
    w = PdfWriter(clone_from=PdfReader(src))
    for page in w.pages:
        page.rotate(degrees)
    w.write(dst)
    return dst


def _landscape_stored_portrait(src: Path, dst: Path, display: int) -> Path:
    """Landscape pages re-drawn turned 90 degrees on a portrait page, shown with /Rotate ``display``."""
    w = PdfWriter(clone_from=PdfReader(src))
    for page in w.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        if width > height:
            page.add_transformation(Transformation().rotate(90).translate(tx=height, ty=0))
            page.mediabox = page.cropbox = RectangleObject([0, 0, height, width])
            page.rotate(display)
    w.write(dst)
    return dst


@pytest.mark.parametrize("degrees", [90, 180, 270])
@pytest.mark.parametrize("name", ["rl_seed", "docx_pic", "rl_wingdings"])
def test_every_page_turned_reads_exactly(tmp_path, name, degrees):
    src = PDF / f"{name}.pdf"
    plan = process(_rotated(src, tmp_path / f"{name}.{degrees}.pdf", degrees))
    assert diff_plan(plan, load_truth(src)) == []
    assert any(f"read turned {(360 - degrees) % 360} degrees" in w for w in plan.warnings)


@pytest.mark.parametrize("display", [90, 270])
@pytest.mark.parametrize("name", ["docx_seed", "rl_seed"])
def test_landscape_lampiran_stored_portrait_reads_exactly(tmp_path, name, display):
    src = PDF / f"{name}.pdf"
    plan = process(_landscape_stored_portrait(src, tmp_path / f"{name}.stored{display}.pdf", display))
    assert diff_plan(plan, load_truth(src)) == []


@pytest.mark.parametrize("name", ["tables_xlsx_pejabat", "tables_docx_kelas_jabatan"])
def test_turned_lampiran_tables_read_exactly(tmp_path, name):
    import json

    src = TABLES / f"{name}.pdf"
    plan = process(_rotated(src, tmp_path / f"{name}.90.pdf", 90))
    assert diff_tables(plan, json.loads(src.with_suffix(".truth.json").read_text(encoding="utf-8"))) == []


def _char(a: float, b: float, text: str = "x") -> dict:
    return {"text": text, "matrix": (a, b, -b, a, 0.0, 0.0)}


def test_reading_turn_follows_most_glyphs():
    upright = [_char(1, 0)] * 30
    assert reading_turn(upright) == 0
    assert reading_turn([_char(0, 1)] * 30) == 90
    assert reading_turn([_char(0, -1)] * 30) == 270
    assert reading_turn([_char(-1, 0)] * 30) == 180
    # Month labels set vertically in narrow header cells are a minority: the page stays.
    assert reading_turn(upright + [_char(0, 1)] * 12) == 0
    assert reading_turn([_char(0, 1)] * 5) == 0  # too few glyphs to say
