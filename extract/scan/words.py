"""OCR words into visual lines and cell text."""

from __future__ import annotations

from lampiran.extract.lattice import group_lines
from lampiran.extract.scan.ocr import Word
from lampiran.model.text import join_lines


def lines_by_geometry(words: list[Word]) -> list[list[Word]]:
    """Words grouped into visual lines, top to bottom, left to right (by their
    centres: see ``lattice.group_lines``)."""
    boxes = [(float(w.bbox_px[1]), float(w.bbox_px[3]), float(w.bbox_px[0])) for w in words]
    return [[words[i] for i in ln] for ln in group_lines(boxes, rule="centre")]


def join_words(line: list[Word]) -> str:
    return " ".join(w.text for w in line)


def cell_text(words: list[Word]) -> str:
    return join_lines(join_words(ln) for ln in lines_by_geometry(words))
