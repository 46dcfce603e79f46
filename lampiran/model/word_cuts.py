"""Is a word cut by its cell's width one word or two? The document's own
words decide, then the OCR language's dictionary (``model.lexicon``).

Word, LibreOffice Writer and Calc cut a word wider than its table cell at the
last letter that fits and go on on the next line, with no hyphen. Where the
text's geometry says a line may end in such a cut (``extract.text``), the
pieces on either side are one word when:

- the joined word stands whole elsewhere in the document (more often than
  the two halves side by side): a cut;
- the two halves stand side by side elsewhere: a wrap;
- the joined word is in the dictionary: a cut;
- both halves are words (of the document or of the dictionary): a wrap;
- neither half is a word ("BKPSD" / "M"): a cut;
- one half a word and the other none ("perundangunda" / "ngan" where the
  plan never writes "perundangundangan" whole): undecided (None), left
  apart by the callers and said (``word_cut_unsure``).

Three pieces and more join only into a word the document or the dictionary
knows. Used by the extract stage within a page and by normalize across a
page break.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lampiran.model.lexicon import plan_dictionary
from lampiran.model.warnings import notice

if TYPE_CHECKING:
    from lampiran.model.interim import Table

WORD = re.compile(r"[^\W\d_]+")
TAIL = re.compile(r"[^\W\d_]+$")  # the letters a text ends in: the piece before a cut
HEAD = re.compile(r"^[^\W\d_]+")  # the letters a text starts with: the piece after it


@dataclass
class Vocabulary:
    """How often the document writes each word, and each pair of words side
    by side; ``discount`` is how many of a piece's own occurrences those
    counts hold (normalize counts the pieces in their own cells)."""

    words: Counter[str]
    pairs: Counter[tuple[str, str]]
    dictionary: Callable[[], frozenset[str]]
    discount: int = 0

    def known(self, word: str) -> bool:
        # One letter is no word here ("n" of "Pengawasa" / "n"), whatever a list label reads.
        return len(word) > 1 and (self.words[word] > self.discount or word in self.dictionary())


def vocabulary(texts: Iterable[str], dictionary: Callable[[], frozenset[str]], discount: int = 0) -> Vocabulary:
    """The words of ``texts``; a newline or a NUL parts two words as no pair."""
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for text in texts:
        for chunk in re.split(r"[\n\x00]", text):
            found = [w.lower() for w in WORD.findall(chunk)]
            words.update(found)
            pairs.update(zip(found, found[1:]))
    return Vocabulary(words, pairs, dictionary, discount)


def one_word(pieces: Sequence[str], vocab: Vocabulary) -> bool | None:
    """Are these pieces one word? None where the words cannot tell (two
    pieces, one a word and one none)."""
    if not all(pieces) or not all(WORD.fullmatch(p) for p in pieces):
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


def tables_vocabulary(tables: Iterable[Table]) -> Vocabulary:
    """The words of every cell of ``tables``, each piece counted once in its
    own cell (normalize, joining a row split over a page break)."""
    return vocabulary((c.text for t in tables for c in t.cells), plan_dictionary, 1)


def join_cut(before: str, after: str, vocab: Vocabulary) -> tuple[str, str]:
    """``before`` and ``after`` (a row's text on two pages) joined, the word
    that ``before`` may end in the middle of joined whole where the words say
    so; and the pieces where they cannot tell ("" where they can)."""
    from lampiran.model.text import join_lines

    tail, head = TAIL.search(before), HEAD.search(after.lstrip())
    pieces = [tail.group(0) if tail else "", head.group(0) if head else ""]
    verdict = one_word(pieces, vocab)
    if verdict:
        return before.rstrip() + after.lstrip(), ""
    return join_lines([before, after]), " ".join(pieces) if verdict is None else ""


def unsure(pieces: str, page: int) -> str:
    """The warning for pieces the words could not decide on, left apart."""
    return notice("word_cut_unsure", f"'{pieces}' may be one word its cell's width cut; left apart", page)
