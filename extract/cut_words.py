"""Words a cell's width cut, joined back by the document's own vocabulary.

Word, LibreOffice Writer and Calc cut a word wider than its table cell at the
last letter that fits and go on on the next line, with no hyphen
("Pengawasa" / "n", "Penand" / "atanga" / "nan" in a sub kegiatan column two
words wide). The text layer then reads two words. Geometry alone cannot tell
such a cut from a wrap between two words (``text._cut_after``: a wrap ends
as close to the cell's edge about one time in six), so the words decide,
for each space the geometry marks:

- the joined word stands whole elsewhere in the document (more often than
  the two halves side by side): a cut;
- the two halves stand side by side elsewhere: a wrap;
- the joined word is in the OCR language's dictionary (``model.lexicon``):
  a cut;
- both halves are words (of the document or of the dictionary): a wrap;
- neither half is a word ("BKPSD" / "M"): a cut;
- one half a word and the other none ("perundangunda" / "ngan" where the
  plan never writes "perundangundangan" whole): left apart, and said
  (``word_cut_unsure``).

A word cut twice joins its pieces only into a word the document or the
dictionary knows. Measured on 464 generated plans (reportlab, LibreOffice
Writer and Calc) and the real Word and Excel lampiran: see the README.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Sequence

from lampiran.extract.base import PageResult
from lampiran.model.interim import Table

_WORD = re.compile(r"[^\W\d_]+")
_TAIL = re.compile(r"[^\W\d_]+$")
_HEAD = re.compile(r"^[^\W\d_]+")


@dataclasses.dataclass
class Vocabulary:
    """How often the document writes each word whole, and each pair of words
    side by side, leaving out the pieces on either side of a marked space."""

    words: Counter[str]
    pairs: Counter[tuple[str, str]]
    dictionary: Callable[[], frozenset[str]]

    def known(self, word: str) -> bool:
        # One letter is no word here ("n" of "Pengawasa" / "n"), whatever a list label reads.
        return len(word) > 1 and (self.words[word] > 0 or word in self.dictionary())


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
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    texts = [r.text for r in results]
    for p, r in enumerate(results):
        for t, table in enumerate(r.tables):
            for c, cell in enumerate(table.cells):
                at = marked.get((p, t, c))
                texts.append(cell.text if not at else _blank_pieces(cell.text, at))
    for text in texts:
        for chunk in re.split(r"[\n\x00]", text):
            found = [w.lower() for w in _WORD.findall(chunk)]
            words.update(found)
            pairs.update(zip(found, found[1:]))
    return Vocabulary(words, pairs, dictionary)


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
            j = next((j for j in range(len(run), i, -1) if _is_cut([left, *pieces[i + 1:j + 1]], vocab)), i)
            if j > i:
                doubt = ""  # the piece after a doubted space starts a cut word: that space was a wrap
                drop.update(run[i:j])
                left += "".join(pieces[i + 1:j + 1])
                i = j
                continue
            if doubt:
                undecided.append(doubt)
            doubt = f"{left} {pieces[i + 1]}" if _is_cut([left, pieces[i + 1]], vocab) is None else ""
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
    tail = _TAIL.search(chunks[0])
    head = _HEAD.search(chunks[-1])
    return [tail.group(0) if tail else ""] + chunks[1:-1] + [head.group(0) if head else ""]


def _is_cut(pieces: Sequence[str], vocab: Vocabulary) -> bool | None:
    """Are these pieces one word? None where the words cannot tell (two
    pieces, one a word and one none)."""
    if not all(pieces) or not all(_WORD.fullmatch(p) for p in pieces):
        return False
    parts = [p.lower() for p in pieces]
    whole = "".join(parts)
    pair = vocab.pairs[(parts[0], parts[1])] if len(parts) == 2 else 0
    if vocab.words[whole] > pair:
        return True
    if pair:
        return False
    if whole in vocab.dictionary():
        return True
    if len(parts) > 2:
        return False  # three pieces and more join only into a word the words know
    known = [vocab.known(p) for p in parts]
    if all(known):
        return False
    # Pieces that are no words ("BKPSD" / "M", "Lumaja" / "ng"): a cut.
    if not any(known):
        return True
    return None
