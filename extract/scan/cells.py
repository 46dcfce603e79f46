"""The page pass's words to a grid's cells.

A word goes to the cell its centre lies in; a word that runs across a drawn
vertical ruling (two cells' text read as one) goes to none, so its cells are
read again on their own (``ScannedReader._rescue``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lampiran.extract.lattice import owner_map, position_at
from lampiran.extract.scan.grid import Grid
from lampiran.extract.scan.ocr import Word
from lampiran.extract.scan.repair import numbering_dot
from lampiran.extract.scan.words import cell_text


@dataclass
class CellWords:
    """The words each cell of one grid holds: the page pass's, then those
    read again. ``page_used`` is what the page text must leave out."""

    grid: Grid
    words: list[list[Word]]  # per grid cell
    page_used: set[int] = field(default_factory=set)  # indices into the page's words

    def conf(self, i: int) -> float:
        ws = self.words[i]
        return sum(w.conf for w in ws) / len(ws) if ws else 0.0

    def text(self, i: int) -> str:
        return numbering_dot(cell_text(self.words[i]))


def assign_words(g: Grid, words: list[Word]) -> CellWords:
    """The page pass's words to the grid's cells by their centre. A word that
    runs across a drawn vertical ruling (two cells' text read as one) goes to
    no cell: its cells are read again on their own."""
    owner = owner_map(g.cells, g.n_rows, g.n_cols)
    cw = CellWords(g, [[] for _ in g.cells])
    for wi, w in enumerate(words):
        pos = position_at((w.bbox_px[0] + w.bbox_px[2]) / 2.0, (w.bbox_px[1] + w.bbox_px[3]) / 2.0,
                          g.col_edges, g.row_edges)
        if pos is None or _straddles(w, g, pos[0]):
            continue
        cw.words[owner[pos[0]][pos[1]]].append(w)
        cw.page_used.add(wi)
    return cw


def _straddles(w: Word, g: Grid, r: int) -> bool:
    """Does the word run across a drawn vertical ruling?"""
    x0, x1 = w.bbox_px[0], w.bbox_px[2]
    m = 0.15 * (x1 - x0)
    for j, e in enumerate(g.col_edges[1:-1], start=1):
        if x0 + m < e < x1 - m and g.v_present[r, j]:
            return True
    return False
