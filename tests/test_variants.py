"""Random action-plan variants (``tests/fixtures/variants.py``): content, header
wording, ticks, month labels, pages and fonts drawn from seeds that no
fixture uses. Each must read exactly."""

from __future__ import annotations

import re

import pytest

from lampiran.pipeline import process
from tests.fixtures.generate import render, truth
from tests.fixtures.variants import SHEET_DIR, SHEET_SEEDS, WORD_DIR, WORD_SEEDS, variant
from tests.truth import diff_plan

SEEDS = range(300, 324)


@pytest.mark.slow
def test_random_plan_variants_read_exactly(tmp_path):
    rendered, problems = 0, {}
    for seed in SEEDS:
        content, style = variant(seed)
        pdf = tmp_path / f"v{seed}.pdf"
        res = render(content, style, pdf)  # a word wider than its column is cut, as Word cuts it
        rendered += 1
        plan = process(pdf)
        found = [d for d in diff_plan(plan, truth(content, res)) if not _warned_cut(d, plan.warnings)]
        if found:
            problems[seed] = found[:3]
    assert rendered == len(SEEDS)
    assert problems == {}


def _warned_cut(difference: str, warnings: list[str]) -> bool:
    """Is this a text difference at pieces of a word left apart with a
    ``word_cut_unsure`` warning naming them? (A word the generator cut where
    the words cannot tell a cut from a wrap: "perundangunda ngan", as the
    plan writes neither whole.)"""
    got = difference.split(", want ")[0]
    pieces = [m.group(1) for w in warnings if w.endswith("[word_cut_unsure]")
              for m in [re.search(r"'(.+?)' may be one word", w)] if m]
    return any(p in got for p in pieces)


# Word-made variants (``variants.WORD_SEEDS``, committed with their truth: the
# tests need no LibreOffice). Their page spans are left out: the truth takes
# them from the PDF by a text search (``verify.activity_page_spans``), which
# gives a row split by a page break the page of its merged kegiatan cell; the
# reader gives the page its own row starts on (6 of 24 seeds differ so, by eye
# the reader is right). Measured: 24 of 24 exact in text and months (400-423).
@pytest.mark.slow
@pytest.mark.parametrize("seed", WORD_SEEDS)
def test_word_made_plan_variants_read_exactly(seed):
    import json

    pdf = WORD_DIR / f"w{seed}.pdf"
    want = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    assert diff_plan(process(pdf), want, pages=False) == []


# Spreadsheet-made variants (``variants.SHEET_SEEDS``, committed with their
# truth): Calc's merged ranges and repeated title rows, ticks as a fallback
# letter, a text tick or a symbol glyph, kegiatan numbered without a dot.
# Measured, read digitally: 30 of 30 exact (seeds 2000-2029), 30 of 30
# (2082-2111, 27 before the repairs 2086, 2097 and 2101 came with).
@pytest.mark.parametrize("seed", SHEET_SEEDS)
def test_spreadsheet_made_plan_variants_read_exactly(seed):
    import json

    pdf = SHEET_DIR / f"s{seed}.pdf"
    want = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    plan = process(pdf)
    assert diff_plan(plan, want, pages=False) == []
    assert plan.document.nomor == want["documents"]["nomor"]
    assert plan.document.tanggal_ditetapkan == want["documents"]["tanggal_ditetapkan"]
