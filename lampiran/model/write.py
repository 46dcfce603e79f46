"""Write a record table as CSV and Parquet: same rows, same bytes every run."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lampiran.model.io import atomic_write_bytes


def frame(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], dtypes: Mapping[str, str] | None = None) -> pd.DataFrame:
    df = pd.DataFrame(list(rows), columns=list(columns))
    for col, dt in (dtypes or {}).items():
        df[col] = df[col].astype(dt)
    return df


def csv_bytes(df: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    # "\n" line ends and no index: byte-identical across platforms and runs.
    df.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def parquet_bytes(df: pd.DataFrame) -> bytes:
    table = pa.Table.from_pandas(df, preserve_index=False)
    # pandas metadata embeds library versions; drop it so the bytes depend on the rows only.
    table = table.replace_schema_metadata(None)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd", write_statistics=True)
    return sink.getvalue().to_pybytes()


def write_table(out_dir: Path, name: str, df: pd.DataFrame) -> list[Path]:
    """Write ``out_dir/name.csv`` and ``out_dir/name.parquet`` atomically."""
    out_dir = Path(out_dir)
    csv_path, pq_path = out_dir / f"{name}.csv", out_dir / f"{name}.parquet"
    # Serialise both first: a failure in either leaves no new file at all.
    data_csv, data_pq = csv_bytes(df), parquet_bytes(df)
    atomic_write_bytes(csv_path, data_csv)
    atomic_write_bytes(pq_path, data_pq)
    return [csv_path, pq_path]
