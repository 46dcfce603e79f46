"""A typed table of rows, column by column: what the normalize stage builds
and the writers write. It needs no Arrow: a worker process that only reads
and normalizes never imports pyarrow (with numpy, 0.22 s of a start-up here)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


class Frame:
    """A typed table of rows, column by column: what CSV, Parquet and the
    workbook are written from. pandas is not needed to write them (importing
    it costs 0.5 s of every run here); ``to_pandas`` gives the DataFrame the
    library API returns."""

    def __init__(self, columns: Sequence[str], data: Mapping[str, list[Any]], dtypes: Mapping[str, str]) -> None:
        self.columns = list(columns)
        self.data = {c: data[c] for c in self.columns}
        self.dtypes = dict(dtypes)

    def __len__(self) -> int:
        return len(self.data[self.columns[0]]) if self.columns else 0

    def rows(self) -> Iterator[tuple[Any, ...]]:
        return zip(*(self.data[c] for c in self.columns), strict=True) if self.columns else iter(())

    def split(self, by: str) -> Iterator[tuple[Any, Frame]]:
        """The frame's rows grouped by ``by``'s value, groups in sorted order."""
        groups: dict[Any, list[int]] = {}
        for i, v in enumerate(self.data[by]):
            groups.setdefault(v, []).append(i)
        for key in sorted(groups):
            idx = groups[key]
            yield key, Frame(self.columns, {c: [self.data[c][i] for i in idx] for c in self.columns}, self.dtypes)

    def to_pandas(self) -> pd.DataFrame:
        import pandas as pd

        df = pd.DataFrame({c: self.data[c] for c in self.columns}, columns=self.columns)
        for col, dt in self.dtypes.items():
            if dt == "date":
                df[col] = pd.Series(self.data[col], dtype=object)
            else:
                df[col] = df[col].astype(dt)
        return df


def _typed(values: list[Any], dtype: str | None) -> list[Any]:
    """A column's values as its type holds them; None is missing."""
    if dtype == "date":
        return [date.fromisoformat(v) if isinstance(v, str) and v else (v if isinstance(v, date) else None) for v in values]
    if dtype == "int64":
        return [int(v) for v in values]
    if dtype == "Int64":
        return [None if v is None or v == "" else int(v) for v in values]
    if dtype == "float64":
        return [None if v is None or v == "" or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values]
    if dtype == "bool":
        return [bool(v) for v in values]
    return list(values)


def frame(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], dtypes: Mapping[str, str] | None = None) -> Frame:
    """Rows (dicts) as a typed frame; ``"date"`` turns ``YYYY-MM-DD`` text into dates ("" is missing)."""
    dtypes = dict(dtypes or {})
    data = {c: _typed([r.get(c) for r in rows], dtypes.get(c)) for c in columns}
    return Frame(columns, data, dtypes)


def text_frame(columns: Sequence[str], body: Sequence[Sequence[Any]]) -> Frame:
    """A frame of text cells (a wide table, a CSV read back)."""
    cols = list(columns)
    return Frame(cols, {c: [row[i] for row in body] for i, c in enumerate(cols)}, {})


def missing(v: Any) -> bool:
    """None, or a float NaN: a missing value."""
    return v is None or (isinstance(v, float) and v != v)
