"""Fast checks of the fixture generator and the committed fixture PDFs (tests/fixtures/pdf)."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pdfplumber
import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # plain `pytest` (not `python -m pytest`) from the repo root
    sys.path.insert(0, str(REPO))

from lampiran.model.records import ActivityRecord, DocumentRecord, ScheduleRecord  # noqa: E402
from tests.fixtures.content import seed_content  # noqa: E402
from tests.fixtures.generate import FIXTURES, RAW_SAMPLE, WrapError, render, truth, wrap  # noqa: E402
from tests.fixtures.verify import verify  # noqa: E402

PDF_DIR = REPO / "tests" / "fixtures" / "pdf"
NAMES = sorted(FIXTURES)
RL_NAMES = [n for n in NAMES if FIXTURES[n][1].producer == "rl"]


def _truth(name: str) -> dict:
    return json.loads((PDF_DIR / f"{name}.truth.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", NAMES)
def test_truth_is_consistent_and_fits_the_contract(name):
    t = _truth(name)
    doc, acts, sched = t["documents"], t["activities"], t["schedule"]
    pdf = PDF_DIR / f"{name}.pdf"
    DocumentRecord(doc_id=name, source_file=pdf.name, sha256=hashlib.sha256(pdf.read_bytes()).hexdigest(), **doc)
    assert [a["activity_no"] for a in acts] == list(range(1, len(acts) + 1))
    for a in acts:
        ActivityRecord(doc_id=name, **a)
        assert 1 <= a["page_first"] <= a["page_last"] <= doc["pages"]
    nos = {a["activity_no"] for a in acts}
    for s in sched:
        ScheduleRecord(doc_id=name, **s)
        assert s["activity_no"] in nos and 1 <= s["bulan"] <= 12
    assert len({(s["activity_no"], s["bulan"]) for s in sched}) == len(sched)
    assert {s["activity_no"] for s in sched} == nos  # every activity has a month
    assert t["pages_known"] is True


@pytest.mark.parametrize("name", NAMES)
def test_committed_pdf_matches_its_truth(name):
    t = _truth(name)
    pdf = PDF_DIR / f"{name}.pdf"
    assert pdf.stat().st_size < 500_000
    with pdfplumber.open(pdf) as p:
        assert len(p.pages) == t["documents"]["pages"]
    assert verify(pdf, t) == []


@pytest.mark.parametrize("name", RL_NAMES)
def test_regenerating_reportlab_fixture_gives_same_truth(name, tmp_path):
    make, style = FIXTURES[name]
    content = make()
    out = tmp_path / f"{name}.pdf"
    res = render(content, style, out)
    assert truth(content, res) == _truth(name)
    assert out.read_bytes() == (PDF_DIR / f"{name}.pdf").read_bytes()  # invariant=1: same bytes


def test_sample_in_data_raw_is_the_seed():
    assert RAW_SAMPLE.exists()
    t = json.loads((PDF_DIR / (RAW_SAMPLE.stem + ".truth.json")).read_text(encoding="utf-8"))
    assert t == _truth("rl_seed")
    assert len(t["activities"]) == len(seed_content().activities) == 67


@pytest.mark.parametrize("name,font,code", [
    ("rl_wingdings", "+Wingdings-Regular", 0xF0FC),
    ("docx_pic", "+Wingdings2", 0xF050),
    ("docx_kominfo", "+Wingdings-Regular", 0xF0FC),
    ("rl_seed", "+DejaVuSans", 0x2713),
    ("docx_seed", "+DejaVuSans", 0x2713),
    ("rl_sqrt", "+DejaVuSans", 0x221A),
])
def test_tick_glyphs_arrive_as_word_would_send_them(name, font, code):
    n_sched = len(_truth(name)["schedule"])
    with pdfplumber.open(PDF_DIR / f"{name}.pdf") as p:
        ticks = [c for page in p.pages for c in page.chars if c["text"] == chr(code)]
    assert len(ticks) == n_sched
    assert all(c["fontname"].endswith(font) and len(c["fontname"].split("+")[0]) == 6 for c in ticks)


def test_wrap_breaks_at_spaces_hyphens_and_slashes_and_cuts_a_word_only_where_it_cannot_fit():
    from tests.fixtures.generate import register_fonts, sw

    register_fonts()
    text = "Penguatan Peraturan Perundang-Undangan/Deregulasi Kebijakan (e-proc/LPSE)"
    for width in (50, 60, 90, 150):
        lines = wrap(text, "DejaVuSans", 7, width)
        joined = ""
        for ln in lines:
            joined += ln if not joined or joined.endswith(("-", "/")) else " " + ln
        assert joined == text
    # As Word and Calc do: a word wider than the cell starts a line of its own
    # and is cut at the last letter that fits.
    lines = wrap("Penguatan Pengawasan Internal", "DejaVuSans", 8, 45)
    assert lines == ["Penguatan", "Pengawas", "an Internal"]
    assert sw("Pengawas", "DejaVuSans", 8) <= 45 < sw("Pengawasa", "DejaVuSans", 8)
    with pytest.raises(WrapError):  # the generator's own layout may still ask for no cut
        wrap(text, "DejaVuSans", 7, 30, cut_words=False)
