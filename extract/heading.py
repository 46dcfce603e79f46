"""What is printed above a table: its title, and the lampiran it belongs to.

Both readers give the lines of a page outside its tables, with their boxes
(points, origin top-left); this module is the one place that reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lampiran.model.interim import Table

_LAMPIRAN_NO = re.compile(r"^\s*LAMPIRAN\s*:?\s*(?:KE\s*-?\s*)?([IVXLC]{1,6}|\d{1,2})\b", re.I)
# The lampiran heading block ("LAMPIRAN II / PERATURAN ... / NOMOR ... /
# TANGGAL ... / TENTANG ...") sits at the page's top right; its lines are
# never a table's title.
_HEADING_WORD = re.compile(r"^\s*(LAMPIRAN|NOMOR|TANGGAL|TENTANG)\b", re.I)

MAX_TITLE_LINES = 4  # a title above a lampiran table runs to 2-3 lines; a paragraph is not a title
MAX_TITLE_GAP = 1.8  # line heights between two title lines (more: a new block)
MAX_TITLE_DISTANCE = 120.0  # points between the table's top and its title's last line
CENTRED = 0.15  # a centred title's middle is within 15% of the table's width of the table's middle
LEFT_ALIGNED = 0.05  # a left-aligned title starts within 5% of the table's width of its left edge


@dataclass
class Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


def lampiran_numeral(lines: list[Line]) -> str:
    """"II" for a page headed "LAMPIRAN II ..."; "" when unnumbered or absent."""
    for ln in lines:
        m = _LAMPIRAN_NO.match(ln.text)
        if m:
            return m.group(1).upper()
    return ""


def title_above(table: Table, lines: list[Line]) -> str:
    """The block of lines printed just above the table, aligned with it."""
    x0, top, x1, _ = table.bbox
    width = max(x1 - x0, 1.0)
    above = sorted((ln for ln in lines if ln.bottom <= top + 2.0 and top - ln.bottom <= MAX_TITLE_DISTANCE),
                   key=lambda ln: -ln.bottom)
    block: list[Line] = []
    for ln in above:
        if block:
            height = max(block[-1].bottom - block[-1].top, 1.0)
            if block[-1].top - ln.bottom > MAX_TITLE_GAP * height:
                break
        elif top - ln.bottom > MAX_TITLE_GAP * max(ln.bottom - ln.top, 1.0) * 2:
            break  # the nearest line is too far above to name this table
        centred = abs((ln.x0 + ln.x1) / 2 - (x0 + x1) / 2) <= CENTRED * width
        left = abs(ln.x0 - x0) <= LEFT_ALIGNED * width
        if _HEADING_WORD.match(ln.text) or not (centred or left):
            break
        block.append(ln)
        if len(block) == MAX_TITLE_LINES:
            break
    return " ".join(ln.text for ln in reversed(block))


def name_tables(tables: list[Table], lines: list[Line]) -> None:
    """Set each table's ``title`` and ``lampiran`` from its page's other lines."""
    numeral = lampiran_numeral(lines)
    for t in tables:
        t.title = title_above(t, lines)
        t.lampiran = numeral
