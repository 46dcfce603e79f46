"""Words a cell's width cut within a page, joined back by the document's
own words (``model.word_cuts``: the rules, and why geometry alone cannot
tell a cut from a wrap). The text's geometry marks the spaces
(``text.cell_text``); the vocabulary is every page's text and every cell's,
less the pieces on either side of a marked space.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from lampiran.extract.base import PageResult
from lampiran.model.interim import Table
from lampiran.model.word_cuts import HEAD, TAIL, Vocabulary, one_word, vocabulary

def rejoin_cut_words(
    results: Sequence[PageResult], dictionary: Callable[[], frozenset[str]]
) -> tuple[list[Table], list[tuple[int, str]]]:
    """The pages' tables, with each word their cells' widths cut joined back,
    and the (page, pieces) the words could not decide on, left apart.

    ``dictionary`` gives the OCR language's words in lower case (called only
    where a marked space needs it)."""
    marked: dict[tuple[int, int, int], list[int]] = {}
    for p, r in enumerate(results):
        for t, c, at in r.word_cuts:
            marked.setdefault((p, t, c), []).append(at)
    tables = [list(r.tables) for r in results]
    doubts: list[tuple[int, str]] = []
    if marked:
        vocab = _vocabulary(results, marked, dictionary)
        for (p, t, c), offsets in sorted(marked.items()):
            table = tables[p][t]
            cells = list(table.cells)
            text, undecided = _joined(cells[c].text, sorted(offsets), vocab)
            cells[c] = dataclasses.replace(cells[c], text=text)
            tables[p][t] = dataclasses.replace(table, cells=cells)
            doubts += [(results[p].page, pieces) for pieces in undecided]
    return [t for ts in tables for t in ts], doubts


def _vocabulary(results: Sequence[PageResult], marked: dict[tuple[int, int, int], list[int]],
                dictionary: Callable[[], frozenset[str]]) -> Vocabulary:
    """The words of the pages' text and of every cell, less the marked pieces."""
    texts = [r.text for r in results]
    for p, r in enumerate(results):
        for t, table in enumerate(r.tables):
            for c, cell in enumerate(table.cells):
                at = marked.get((p, t, c))
                texts.append(cell.text if not at else _blank_pieces(cell.text, at))
    return vocabulary(texts, dictionary)


def _blank_pieces(text: str, offsets: Sequence[int]) -> str:
    """``text`` with the space-separated chunks on either side of each marked
    space taken out (a NUL in their place: no pair is counted across it)."""
    keep = list(text)
    for at in offsets:
        a = text.rfind(" ", 0, at) + 1
        b = text.find(" ", at + 1)
        b = len(text) if b < 0 else b
        keep[a:b] = ["\x00"] * (b - a)
    return "".join(keep)


def _joined(text: str, offsets: Sequence[int], vocab: Vocabulary) -> tuple[str, list[str]]:
    """``text`` with the marked spaces that stand inside a word removed, and
    the pieces ("perundangunda ngan") the words could not decide on."""
    # Runs of pieces each joined to the next by a marked space.
    runs: list[list[int]] = []
    for at in offsets:
        prev_end = runs[-1][-1] if runs else -1
        if runs and text.find(" ", prev_end + 1) == at:
            runs[-1].append(at)
        else:
            runs.append([at])
    drop: set[int] = set()
    undecided: list[str] = []
    for run in runs:
        pieces = _pieces(text, run)
        left, i, doubt = pieces[0], 0, ""
        while i < len(run):
            # The longest join of the word so far with the pieces after it that the vocabulary takes.
            j = next((j for j in range(len(run), i, -1) if one_word([left, *pieces[i + 1:j + 1]], vocab)), i)
            if j > i:
                doubt = ""  # the piece after a doubted space starts a cut word: that space was a wrap
                drop.update(run[i:j])
                left += "".join(pieces[i + 1:j + 1])
                i = j
                continue
            if doubt:
                undecided.append(doubt)
            doubt = f"{left} {pieces[i + 1]}" if one_word([left, pieces[i + 1]], vocab) is None else ""
            left, i = pieces[i + 1], i + 1
        if doubt:
            undecided.append(doubt)
    return "".join(ch for k, ch in enumerate(text) if k not in drop), undecided


def _pieces(text: str, run: Sequence[int]) -> list[str]:
    """The letters on either side of a run of marked spaces: the tail of the
    chunk before the first, the chunks between, the head of the chunk after
    the last."""
    start = text.rfind(" ", 0, run[0]) + 1
    end = text.find(" ", run[-1] + 1)
    chunks = text[start:len(text) if end < 0 else end].split(" ")
    tail = TAIL.search(chunks[0])
    head = HEAD.search(chunks[-1])
    return [tail.group(0) if tail else ""] + chunks[1:-1] + [head.group(0) if head else ""]
