"""Characters to text: lines in reading order and words.

Lines become a cell's text by ``lampiran.model.text.join_lines`` (the
end-of-line repairs), which the scanned reader and normalize share.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from lampiran.extract.heading import Line
from lampiran.extract.lattice import group_lines as lattice_lines
from lampiran.model.text import join_lines, join_lines_at

Char = dict[str, Any]  # pdfplumber char: text, x0, x1, top, bottom, size, fontname

_WS = re.compile(r"\s+")
# Of the font size: how much more than the next letter a cut may leave free.
# Word 2013 left up to 0.29 pt in 7 pt text (the Jombang renja's
# "ditindaklanj" / "uti"); on the generated plans this slack adds 25 wraps
# to the 196 the vocabulary already decides, and no cut.
CUT_SLACK = 0.1
_LABEL = re.compile(r"^(?:\d{1,2}|[a-zA-Z])[.)] ")


def group_lines(chars: Sequence[Char]) -> list[list[Char]]:
    """Chars grouped into visual lines, top to bottom, each sorted left to
    right (by overlapping extents: see ``lattice.group_lines``)."""
    boxes = [(c["top"], c["bottom"], c["x0"]) for c in chars]
    return [[chars[i] for i in ln] for ln in lattice_lines(boxes, rule="overlap")]


def line_text(line: Sequence[Char]) -> str:
    """Text of one line; a space where the PDF has one or the gap is word-sized."""
    out: list[str] = []
    prev: Char | None = None
    for ch in line:
        txt = ch["text"]
        if prev is not None and txt != " " and (not out or out[-1] != " "):
            gap = ch["x0"] - prev["x1"]
            size = max(min(ch.get("size", 10.0), prev.get("size", 10.0)), 1.0)
            if gap > 0.18 * size:
                out.append(" ")
        out.append(txt)
        prev = ch
    return _WS.sub(" ", "".join(out)).strip()


def _upright_view(ch: Char) -> Char:
    """A rotated char in a frame where its line runs left to right.

    Text turned 90 degrees counter-clockwise (matrix b > 0, read bottom to
    top) has its first line leftmost; turned clockwise, rightmost. Swapping
    axes accordingly lets the upright line and word logic read it.
    """
    up = ch["matrix"][1] > 0 if "matrix" in ch else True
    size = ch["x1"] - ch["x0"]  # pdfplumber's "size" is the advance for rotated glyphs
    if up:
        return {**ch, "x0": -ch["bottom"], "x1": -ch["top"], "top": ch["x0"], "bottom": ch["x1"], "size": size}
    return {**ch, "x0": ch["top"], "x1": ch["bottom"], "top": -ch["x1"], "bottom": -ch["x0"], "size": size}


def _lines(chars: Sequence[Char]) -> tuple[list[list[Char]], list[str]]:
    """The upright lines' chars, and the text of every line in reading order
    (the upright ones first, then runs of rotated chars along their direction)."""
    upright = group_lines([c for c in chars if c.get("upright", True)])
    rotated = group_lines([_upright_view(c) for c in chars if not c.get("upright", True)])
    return upright, [line_text(ln) for ln in upright + rotated]


def text_lines(chars: Sequence[Char]) -> list[str]:
    """Lines of text in reading order; a run of rotated chars reads along its direction."""
    return [ln for ln in _lines(chars)[1] if ln]


def boxed_lines(chars: Sequence[Char]) -> list[Line]:
    """The upright lines of text with their boxes (for what is printed above a table)."""
    out = []
    for ln in group_lines([c for c in chars if c.get("upright", True)]):
        text = line_text(ln)
        if text:
            out.append(Line(text, min(c["x0"] for c in ln), min(c["top"] for c in ln),
                            max(c["x1"] for c in ln), max(c["bottom"] for c in ln)))
    return out


def cell_text(chars: Sequence[Char], x0: float, x1: float) -> tuple[str, tuple[int, ...], bool]:
    """A cell's text (its lines joined by ``model.text.join_lines``), the
    offsets of the spaces in it that may stand inside a word the cell's width
    cut (``_cut_after``), and whether its last line may end in such a cut
    (its row going on over a page break: normalize decides)."""
    groups, lines = _lines(chars)
    if not groups:
        return join_lines(lines), (), False
    # The text's inner right edge: the cell's right less the padding its text
    # keeps on the left, or its longest line's end where that goes further
    # (Word's right margin in the Jombang renja is narrower than its left).
    inked = [[c for c in g if not c["text"].isspace()] or g for g in groups]
    right = max(x1 - (min(g[0]["x0"] for g in inked) - x0), max(g[-1]["x1"] for g in inked))
    # A word too wide for its cell starts a line of its own (after the list
    # label the line may start with), and is cut there: the 165 cuts of
    # those plans, each one; 196 flush wraps of the 4,364 stood so.
    alone = [not _LABEL.sub("", ln, count=1).count(" ") for ln in lines[:len(groups)]]
    flagged = [one and _cut_after(a, b, right) for one, a, b in zip(alone, inked, inked[1:])]
    last = inked[-1][-1]
    # The next letter is on the next page: a letter as wide as this one.
    end_cut = alone[-1] and _cut_after(inked[-1], [last], right)
    text, cuts = join_lines_at(lines, flagged)
    return text, cuts, end_cut


def _cut_after(line: Sequence[Char], nxt: Sequence[Char], right: float) -> bool:
    """Might Word or Calc have cut a word at this line's end?

    They cut a word wider than its cell at the last letter that fits, so the
    line ends in a letter less than the next line's first letter short of the
    cell's inner edge (``line`` and ``nxt`` without their spaces: Word draws
    one after a cut word too). Measured over 464 generated plans (three
    producers): every such cut ends at least 0.09 pt closer than that; a
    normal wrap is as close about as often as one in six, so the vocabulary
    decides (``cut_words``). Word 2013 leaves a little more (``CUT_SLACK``)."""
    last, first = line[-1], nxt[0]
    if not (last["text"][-1:].isalpha() and first["text"][:1].isalpha()):
        return False
    return right - last["x1"] < first["x1"] - first["x0"] + CUT_SLACK * last.get("size", 10.0)
