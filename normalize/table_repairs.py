"""Repairs on a logical table's rows: rows a page break split, section rows,
empty rows and columns (step 4 of ``normalize.tables``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from lampiran.model.text import join_lines
from lampiran.model.word_cuts import Vocabulary, join_cut
from lampiran.normalize.logical import LogicalCell, LogicalRow, LogicalTable

SECTION = "section"
_SECTION_LABEL = re.compile(r"^([A-Z]{1,2}|[IVXL]{1,6})(\.\d{1,3})*\.?$")  # A, B., IV, A.1.
_CODE = re.compile(r"^\(?[0-9A-Za-z]{1,4}[.)]?(\.[0-9A-Za-z]{1,4}\.?)*\)?$")  # 1, 1., a), 2.10.01.
_CONNECTORS = frozenset("dan atau yang di ke dari untuk dengan serta bagi pada oleh dalam terhadap".split())


def _key_column(lt: LogicalTable) -> int | None:
    """The numbering column: the first whose cells mostly hold an item number or code."""
    for c in range(len(lt.labels)):
        vals = [r.cells[c].value.strip() for r in lt.rows if not r.cells[c].merged]
        filled = [v for v in vals if v]
        if filled and len(filled) >= 0.6 * len(vals) and sum(bool(_CODE.match(v)) for v in filled) >= 0.8 * len(filled):
            return c
    return None


def join_split_rows(lt: LogicalTable, cut_ends: Collection[int] = frozenset(),
                    words: Callable[[], Vocabulary] | None = None) -> None:
    """Join the first row of a page to the row before it when a page break
    split it. A cell in ``cut_ends`` (by ``id``) may end in a word its width
    cut: ``words`` decide whether the pieces are one (``model.word_cuts``;
    undecided, they stay apart, as printed, and ``lt.cut_doubts`` says so)."""
    key = _key_column(lt)
    out: list[LogicalRow] = []
    for row in lt.rows:
        if row.first_on_page and out and _is_tail(out[-1], row, key):
            for prev, cell in zip(out[-1].cells, row.cells):
                if cell.value and not cell.merged and prev.source is not cell.source:
                    if words is not None and id(prev.source) in cut_ends:
                        prev.value, doubt = join_cut(prev.value, cell.value, words())
                        if doubt:
                            lt.cut_doubts.append((cell.page, doubt))
                    else:
                        prev.value = join_lines([prev.value, cell.value])
            continue
        out.append(row)
    lt.rows = out


def _is_tail(prev: LogicalRow, row: LogicalRow, key: int | None) -> bool:
    own = [(p, c) for p, c in zip(prev.cells, row.cells) if c.value and not c.merged]
    if not own or _is_section(row):
        return False
    if key is not None and not row.cells[key].merged:
        return not row.cells[key].value.strip() and bool(prev.cells[key].value.strip())
    # No numbering column, or its cell carried down from a merged one above (an
    # area's number over all its rows, a Word-made variant): the text must run on.
    return all(_runs_on(p.value, c.value) for p, c in own)


def _runs_on(before: str, after: str) -> bool:
    a, b = before.strip(), after.strip()
    if not a:
        return False
    return b[0].islower() or b[0] in ",;:)" or a[-1] in ",-/" or a.split()[-1].lower() in _CONNECTORS


def _is_section(row: LogicalRow) -> bool:
    """One text across the row (a cell spanning it, or repeated), behind an
    optional label (``A``, ``IV``, ``A.1.``) and no item number."""
    if len(row.cells) < 3:
        return False
    label = row.cells[0].value.strip()
    if label and not _SECTION_LABEL.match(label):
        return False
    rest = [c for c in row.cells[1:] if c.value.strip() and not c.merged]
    texts = {c.value.strip() for c in rest}
    if len(texts) != 1:
        return False
    wide = any(c.source is not None and c.source.col_span >= max(2, (len(row.cells) - 1) // 2) for c in rest)
    whole = row.cells[0].source is not None and row.cells[0].source.col_span == len(row.cells)
    return len(rest) >= 2 or wide or whole


def carry_sections(lt: LogicalTable) -> None:
    """A ``section`` column: each section row's text, carried to the rows under
    it. A section heads rows: one with none under it is a footer (a sign-off)."""
    flags = [_is_section(r) for r in lt.rows]
    last_item = max((i for i, f in enumerate(flags) if not f), default=-1)
    flags = [f and i < last_item for i, f in enumerate(flags)]
    if not any(flags):
        return
    lt.labels.append(SECTION)
    current: LogicalCell | None = None
    for row, is_section in zip(lt.rows, flags):
        if is_section:
            label = row.cells[0].value.strip()
            text = next(c for c in row.cells[1:] if c.value.strip() and not c.merged)
            current = LogicalCell(" ".join(x for x in (label, text.value.strip()) if x), False, text.page,
                                  text.bbox, text.confidence, text.source)
            row.cells.append(current)
        elif current is None:
            row.cells.append(LogicalCell("", False, row.cells[0].page, row.cells[0].bbox, 1.0))
        else:
            row.cells.append(LogicalCell(current.value, True, current.page, current.bbox, current.confidence))


def drop_empty(lt: LogicalTable) -> None:
    """Rows with no value of their own (empty, or only the rest of merged
    cells, such as the space under a sign-off), and columns with neither a
    label nor a value."""
    lt.rows = [r for r in lt.rows if any(c.value.strip() and not c.merged for c in r.cells)]
    keep = [i for i, label in enumerate(lt.labels) if label or any(r.cells[i].value.strip() for r in lt.rows)]
    if len(keep) < len(lt.labels):
        lt.labels = [lt.labels[i] for i in keep]
        for r in lt.rows:
            r.cells = [r.cells[i] for i in keep]
