"""Write a record table as CSV and Parquet: same rows, same bytes every run."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lampiran.model.io import atomic_write_bytes

DATE_COLUMNS = frozenset({"tanggal_ditetapkan"})  # the contract's dates (typed even when all are missing)


def frame(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], dtypes: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Rows as a typed frame; ``"date"`` turns ``YYYY-MM-DD`` text into dates ("" is missing)."""
    df = pd.DataFrame(list(rows), columns=list(columns))
    for col, dt in (dtypes or {}).items():
        if dt == "date":
            df[col] = pd.Series([date.fromisoformat(v) if v else None for v in df[col]], dtype=object)
        else:
            df[col] = df[col].astype(dt)
    return df


def _missing(v: Any) -> bool:
    """None, pandas' NA, or a float NaN: what a frame holds for a missing value."""
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def _arrow_table(df: pd.DataFrame) -> pa.Table:
    """The frame as Parquet types it, agreeing with the CSV: text is a string and
    an empty text is missing (null, as CSV readers take an empty field); a
    column of dates is a date (date32), even when every value is missing."""
    fields, arrays = [], []
    for col in df.columns:
        values = df[col]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            cells = [None if (_missing(v) or v == "") else v for v in values]
            is_date = any(isinstance(v, date) for v in cells) or col in DATE_COLUMNS
            if is_date:
                cells = [date.fromisoformat(v) if isinstance(v, str) else v for v in cells]
            typ = pa.date32() if is_date else pa.string()
            arrays.append(pa.array(cells, type=typ))
            fields.append(pa.field(col, typ))
        else:
            arr = pa.Array.from_pandas(values)
            arrays.append(arr)
            fields.append(pa.field(col, arr.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def csv_bytes(df: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    # "\n" line ends and no index: byte-identical across platforms and runs.
    df.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def parquet_bytes(df: pd.DataFrame) -> bytes:
    # Built from arrays, without pandas metadata (it embeds library versions):
    # the bytes depend on the rows only.
    table = _arrow_table(df)
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


# Widest column in the workbook, in characters: long texts (tentang, kegiatan)
# wrap in the cell instead of pushing the next column off the screen.
_XLSX_MAX_WIDTH = 60


def xlsx_bytes(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """One Excel workbook, a sheet per table: the header row frozen and bold,
    each column as wide as its longest value (up to ``_XLSX_MAX_WIDTH``). The
    bytes depend on the rows only: the document properties and the zip
    entries carry a fixed time."""
    import re
    import zipfile
    from datetime import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for name, df in tables.items():
        ws = wb.create_sheet(title=name[:31])  # Excel's limit on sheet names
        ws.append(list(df.columns))
        for row in df.itertuples(index=False):
            ws.append([None if _missing(v) else v for v in row])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for i, col in enumerate(df.columns, start=1):
            longest = max([len(str(col))] + [len(str(v)) for v in df[col].head(2000)])
            ws.column_dimensions[get_column_letter(i)].width = min(longest + 2, _XLSX_MAX_WIDTH)
    wb.properties.created = datetime(2000, 1, 1)
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time as "modified"
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0)), data,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
