"""Random action-plan variants (``tests/fixtures/variants.py``): content, header
wording, ticks, month labels, pages and fonts drawn from seeds that no
fixture uses. Each must read exactly."""

from __future__ import annotations

import pytest

from lampiran.pipeline import process
from tests.fixtures.generate import WrapError, render, truth
from tests.fixtures.variants import variant
from tests.truth import diff_plan

SEEDS = range(300, 324)


@pytest.mark.slow
def test_random_plan_variants_read_exactly(tmp_path):
    rendered, problems = 0, {}
    for seed in SEEDS:
        content, style = variant(seed)
        pdf = tmp_path / f"v{seed}.pdf"
        try:
            res = render(content, style, pdf)
        except WrapError:
            continue  # the generator cannot set a word this narrow column needs; no PDF to read
        rendered += 1
        found = diff_plan(process(pdf), truth(content, res))
        if found:
            problems[seed] = found[:3]
    assert rendered >= 20
    assert problems == {}
