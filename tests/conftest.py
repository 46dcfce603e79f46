"""Shared test fixtures.

The real public PDFs live in ``../shared/realdocs`` beside the repository;
tests that read them skip when the folder is absent, and never name an
absolute path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REALDOCS = REPO.parent / "shared" / "realdocs"


@pytest.fixture(scope="session")
def realdocs() -> Path:
    """The folder of real PDFs; the test is skipped without it."""
    if not REALDOCS.is_dir():
        pytest.skip("../shared/realdocs not present")
    return REALDOCS
