"""Compare a processed document's tables with a generated lampiran's truth."""

from __future__ import annotations

from typing import Any

TABLE_FIELDS = ("table_no", "lampiran", "title", "n_rows", "n_cols", "columns", "kind")
CELL_FIELDS = ("table_no", "row_no", "col_no", "column", "value", "merged")


def diff_tables(plan: Any, truth: dict[str, Any]) -> list[str]:
    """Every difference, as lines a person can read (empty when exact)."""
    problems: list[str] = []
    doc = plan.document.model_dump()
    for k in ("nomor", "tanggal_ditetapkan", "tahun", "tables"):
        if doc[k] != truth["documents"][k]:
            problems.append(f"documents.{k}: got {doc[k]!r}, want {truth['documents'][k]!r}")
    got = [{k: t.model_dump()[k] for k in TABLE_FIELDS} for t in plan.tables]
    if len(got) != len(truth["tables"]):
        problems.append(f"tables: got {len(got)}, want {len(truth['tables'])}")
    for g, w in zip(got, truth["tables"]):
        problems += [f"table {w['table_no']}.{k}: got {g[k]!r}, want {w[k]!r}" for k in TABLE_FIELDS if g[k] != w[k]]
    cells = {(c.table_no, c.row_no, c.col_no): {k: c.model_dump()[k] for k in CELL_FIELDS} for c in plan.cells}
    want = {(c["table_no"], c["row_no"], c["col_no"]): c for c in truth["table_cells"]}
    for key in sorted(set(cells) | set(want)):
        g, w = cells.get(key), want.get(key)
        if g != w:
            problems.append(f"cell {key}: got {g and (g['value'], g['merged'])}, want {w and (w['value'], w['merged'])}")
    return problems
