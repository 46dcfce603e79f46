"""Words a scan misread, set back by the document's own vocabulary.

OCR of small table text at 150 dpi confuses a few letter groups, always the
same ones. Measured over 16 random plan variants (two producers) at 150 dpi,
697 word pairs read wrong: an "i" lost (161), "ri" read "n" (104), "i" read
"u" (56), "k" read "h" (49), "ti" read "u" (40), "rj" read "n" (30), "in"
read "m" (25), "li" read "k" (23) ... A plan repeats its words (the office,
the unit, "Birokrasi", "Sekretaris", "pelatihan"), so a word read once that
these confusions turn into a word the document reads at least twice is that
word: "Sekretans" is "Sekretaris", "Bwokrasi" is "Birokrasi".

Only for scans (a text layer is as printed); a word read more than once only
towards one read three times as often (a common word, "dan", is never set to
a rarer one, "dari"); and only where exactly one word of the document
explains the reading.

Then the OCR language's own dictionary (``model.lexicon``, Tesseract's word
list) vouches the same way for a word it lacks, where exactly one of its
words explains the reading: "pemenntahan" is "pemerintahan" though the plan
never reads it right. The plans' own words that the dictionary lacks are
added to it (``vocab.PLAN_WORDS``: "reviu" is one confusion from "revisi").
A word of five letters or more only ("Bupa" is one confusion from "Bipa"),
and a reading that recurs only towards a word the document also reads.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from difflib import SequenceMatcher

from lampiran.model.interim import Document, Table
from lampiran.model.lexicon import plan_dictionary

# (as read, as printed): the letter confusions seen at least 5 times in those
# 697 pairs, less a letter's case ("S" for "s") and the pairs of single thin
# letters ("i" for "l", "t" for "l"); punctuation and digits are not words.
CONFUSIONS: frozenset[tuple[str, str]] = frozenset({
    ("", "i"), ("n", "ri"), ("u", "i"), ("h", "k"), ("u", "ti"), ("n", "rj"), ("m", "in"), ("k", "li"),
    ("s", "i"), ("ru", "ni"), ("", "l"), ("h", "li"), ("r", "i"), ("t", "i"), ("I", "li"), ("u", "si"),
    ("w", "ir"), ("y", "ij"), ("b", "li"), ("n", "ti"), ("m", "rn"), ("d", "il"), ("lu", "ki"), ("ch", "di"),
    ("a", "it"),
})
MAX_CONFUSIONS = 2  # per word: "Burohrasi" for "Birokrasi" takes two
MIN_WITNESSES = 2  # readings of the printed word elsewhere in the document
MIN_WORD = 4  # shorter words ("um", "ch") are too easily another word
MORE_OFTEN = 3  # a reading that recurs yields only to a word read this many times as often
LEXICON_MIN_WORD = 5  # the dictionary's shorter words are too often one confusion from a reading

_WORD = re.compile(r"[A-Za-z]+")
# The confusions by the first letter of what was read ("" for a letter lost).
_BY_FIRST: dict[str, tuple[tuple[str, str], ...]] = {
    k: tuple(sorted(c for c in CONFUSIONS if c[0][:1] == k)) for k in {a[:1] for a, _ in CONFUSIONS}}


def vouched(read: str, printed: str) -> bool:
    """Is ``read`` ``printed`` with at most ``MAX_CONFUSIONS`` of OCR's confusions?"""
    blocks = [(read[i1:i2], printed[j1:j2])
              for op, i1, i2, j1, j2 in SequenceMatcher(a=read, b=printed, autojunk=False).get_opcodes()
              if op != "equal"]
    used = 0
    for a, b in blocks:
        n = _confusions(a, b, MAX_CONFUSIONS - used)
        if n is None:
            return False
        used += n
    return 0 < used <= MAX_CONFUSIONS


def _confusions(a: str, b: str, budget: int) -> int | None:
    """The fewest confusions that make ``a`` (read) ``b`` (printed), one after
    another ("hu" for "ki": "h" for "k", then "u" for "i"), within ``budget``."""
    if not a and not b:
        return 0
    if budget <= 0:
        return None
    best: int | None = None
    for i in range(len(a) + 1):
        for j in range(len(b) + 1):
            if (i or j) and (a[:i], b[:j]) in CONFUSIONS:
                rest = _confusions(a[i:], b[j:], budget - 1)
                if rest is not None and (best is None or rest + 1 < best):
                    best = rest + 1
    return best


def corrections(texts: list[str], lexicon: frozenset[str] = frozenset()) -> dict[str, str]:
    """Read word -> printed word, for the words of ``texts`` that the rest of
    them vouch for, then those that ``lexicon`` (lower-case words) vouches
    for (see the module doc)."""
    from rapidfuzz.distance import Levenshtein

    counts = Counter(w for t in texts for w in _WORD.findall(t))
    witnesses = sorted(w for w, n in counts.items() if n >= MIN_WITNESSES and len(w) >= MIN_WORD)
    out: dict[str, str] = {}
    # The most read first: a misreading that recurs ("hinerja" twice, from a
    # bold "k") yields to a word read MORE_OFTEN times as often ("kinerja"
    # ten times) and then vouches for nothing itself ("hunerja").
    for w in sorted(counts, key=lambda w: (-counts[w], w)):
        n = counts[w]
        if len(w) < MIN_WORD:
            continue
        need = MIN_WITNESSES if n == 1 else MORE_OFTEN * n
        found = [v for v in witnesses
                 if counts[v] >= need and v not in out
                 and Levenshtein.distance(w, v, score_cutoff=2 * MAX_CONFUSIONS) <= 2 * MAX_CONFUSIONS and vouched(w, v)]
        if len(found) == 1:
            out[w] = found[0]
    if lexicon:
        out.update(_dictionary_fixes(counts, out, lexicon))
    return out


def _dictionary_fixes(counts: Counter[str], done: dict[str, str], lexicon: frozenset[str]) -> dict[str, str]:
    """Read word -> the one dictionary word that OCR's confusions make of it."""
    read = {w.lower() for w in counts}
    out: dict[str, str] = {}
    for w in sorted(counts):
        low = w.lower()
        if w in done or len(w) < LEXICON_MIN_WORD or low in lexicon or not w.isalpha():
            continue
        # The confusions are of lower-case letters (and "I"): a word in capitals is undone in lower case.
        found = sorted({v.lower() for v in spellings(low if w.isupper() else w, MAX_CONFUSIONS)} & lexicon)
        if len(found) != 1 or (counts[w] > 1 and found[0] not in read):
            continue
        c = found[0]
        out[w] = c.upper() if w.isupper() else c[0].upper() + c[1:] if w[0].isupper() else c
    return out


def spellings(read: str, budget: int, start: int = 0) -> set[str]:
    """What ``read`` may be printed as: OCR's confusions undone, up to
    ``budget`` of them, each at its own place from ``start`` on. Made, not
    searched for: a dictionary lookup each (a search of the 45,000-word
    dictionary within the same edit distance took 38 ms a word)."""
    out: set[str] = set()
    if budget <= 0:
        return out
    for i in range(start, len(read) + 1):
        for a, b in _BY_FIRST.get(read[i:i + 1], ()) + _BY_FIRST[""]:
            if read.startswith(a, i):
                made = read[:i] + b + read[i + len(a):]
                out.add(made)
                out |= spellings(made, budget - 1, i + len(b))
    return out


def vouch_tables(doc: Document) -> Document:
    """``doc`` with its scanned tables' words set back (a copy; a text layer's
    document is returned as it is)."""
    if doc.kind == "digital":
        return doc
    fixes = corrections([c.text for t in doc.tables for c in t.cells], plan_dictionary())
    if not fixes:
        return doc

    def fixed(text: str) -> str:
        return _WORD.sub(lambda m: fixes.get(m.group(0), m.group(0)), text)

    tables: list[Table] = [
        t if t.reader == "digital" else
        dataclasses.replace(t, cells=[dataclasses.replace(c, text=fixed(c.text)) for c in t.cells])
        for t in doc.tables]
    return dataclasses.replace(doc, tables=tables)
