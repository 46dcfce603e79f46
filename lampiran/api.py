"""The library API: an SK's facts and tables as pandas DataFrames.

    import lampiran
    result = lampiran.read_pdf("sk.pdf")
    result.document             # the documents row (a dict)
    result.tables["table_cells"]  # every table cell, tidy
    result.table(1)             # logical table 1 as a wide DataFrame, its labels as columns
    result.warnings             # what was recovered from or found implausible
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from lampiran.model.records import Plan


@dataclass(frozen=True)
class Result:
    """One document read: its records as the output tables hold them."""

    plan: Plan

    @property
    def document(self) -> dict[str, Any]:
        return self.plan.document.model_dump()

    @property
    def warnings(self) -> list[str]:
        return list(self.plan.warnings)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """documents, activities, schedule, tables, table_cells, warnings."""
        from lampiran.normalize.stage import tables_of

        return {name: f.to_pandas() for name, f in tables_of([self.plan]).items()}

    def table(self, table_no: int) -> pd.DataFrame:
        """Logical table ``table_no`` as a spreadsheet shows it: one column per label."""
        import pandas as pd

        labels, rows = self.plan.wide(table_no)
        return pd.DataFrame(rows, columns=labels)


def read_pdf(path: str | Path) -> Result:
    """Read one PDF; raises ``lampiran.model.errors.LampiranError`` (one line: file and reason)."""
    from lampiran.pipeline import process

    return Result(process(Path(path)))


def read_corpus(paths: Iterable[str | Path]) -> dict[str, pd.DataFrame]:
    """Read many PDFs into one set of tables; a file that cannot be read is a row of ``errors``."""
    import pandas as pd

    from lampiran.model.errors import LampiranError
    from lampiran.normalize.stage import tables_of
    from lampiran.pipeline import process

    plans, errors = [], []
    for p in paths:
        try:
            plans.append(process(Path(p)))
        except LampiranError as e:
            errors.append({"source_file": Path(p).name, "stage": e.stage, "error": e.reason})
    out = {name: f.to_pandas() for name, f in tables_of(plans).items()}
    out["errors"] = pd.DataFrame(errors, columns=["source_file", "stage", "error"])
    return out
