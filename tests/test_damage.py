"""Damaged files never pass as sound: a seeded mutation fuzzer over a fixture.

Each mutant either fails with a one-line reason, or reads exactly as the
intact file, or carries a warning that says its reading may be incomplete.
In process, on one producer; ``tests/fuzz.py`` runs the same mutations over
four producers through the command line (``make fuzz``).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from lampiran.model.errors import LampiranError
from lampiran.pipeline import process
from tests.fuzz import mutate

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "tests" / "fixtures" / "pdf" / "rl_check_v.pdf"
CASES = 60


def _records(plan) -> tuple:
    return ([a.model_dump(exclude={"doc_id"}) for a in plan.activities],
            [s.model_dump(exclude={"doc_id"}) for s in plan.schedule])


@pytest.fixture(scope="module")
def intact():
    return _records(process(SRC))


def test_mutants_are_never_silently_wrong(tmp_path, intact):
    rng = random.Random(20261126)
    data = SRC.read_bytes()
    outcomes = {"failed": 0, "exact": 0, "warned": 0}
    silent = []
    for i in range(CASES):
        pdf = tmp_path / f"m{i}.pdf"
        pdf.write_bytes(mutate(data, rng))
        try:
            plan = process(pdf)  # anything but a LampiranError (a crash) fails the test
        except LampiranError as e:
            assert "\n" not in str(e)
            outcomes["failed"] += 1
            continue
        if _records(plan) == intact:
            outcomes["exact"] += 1
        elif plan.warnings:
            outcomes["warned"] += 1
        else:
            silent.append(i)
    print(f"\n{CASES} mutants: {outcomes}")
    assert silent == []
    assert outcomes["failed"] and outcomes["exact"]
