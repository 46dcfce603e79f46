"""How a cell's lines become its text: one contract for both readers and normalize.

Lines are joined with single spaces; a word hyphenated at a line end is
joined back. Indonesian writes reduplication with a hyphen (``nilai-nilai``,
``perundang-undangan``), so a line-end hyphen is kept when the two halves
repeat a stem, when the second half starts with a capital or digit, or when
the first half is a short prefix (``e-PPID``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_SHORT_PREFIX = 2  # e-PPID, e-Lapkin, i-...


def _keep_hyphen(left: str, right: str) -> bool:
    """Should ``left-`` at a line end + ``right`` keep its hyphen?"""
    if not right:
        return True
    if right[0].isupper() or right[0].isdigit() or not right[0].isalpha():
        return True
    stem = re.findall(r"[A-Za-z]+$", left)
    if not stem:
        return True
    a = stem[0].lower()
    b = re.match(r"[A-Za-z]+", right)
    b_word = b.group(0).lower() if b else ""
    if len(a) <= _SHORT_PREFIX:
        return True
    # Reduplication: the halves share a stem of 4+ letters (undang-undang,
    # perundang-undangan, sebaik-baiknya, nilai-nilai).
    for n in range(min(len(a), len(b_word)), 3, -1):
        for i in range(len(a) - n + 1):
            if a[i : i + n] in b_word:
                return True
    return len(a) <= 3 and a in b_word


def activity_text(text: str, first_column: bool) -> bool:
    """Text a table's body holds and its header does not: in its first
    column a bare item number ("1", "2."), anywhere a long text mostly in
    lower case (header labels are short or in capitals). Tells the first
    activity's row from a row of month labels under a schedule's header, in
    a scan and in normalize. (A speck under a header label read "0" is no
    item number: a scan read its labels' row as an activity so.)"""
    t = text.strip()
    return (first_column and bool(re.fullmatch(r"[1-9]\d?\.?", t))) or (
        len(t) >= 25 and sum(ch.islower() for ch in t) > len(t) / 2)


def join_lines(lines: Iterable[str]) -> str:
    """Join a cell's lines into one string with end-of-line repairs."""
    return join_lines_at(lines)[0]


def join_lines_at(lines: Iterable[str], flagged: Sequence[bool] = ()) -> tuple[str, tuple[int, ...]]:
    """``join_lines``, and where it put a plain space after a line that
    ``flagged`` marks (by the line's index): the offsets of those spaces in
    the text (a word the cell's width may have cut there)."""
    out = ""
    at: list[int] = []
    prev_flag = False
    for i, ln in enumerate(lines):
        ln = ln.strip()
        if not ln:
            continue
        if not out:
            out = ln
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha():
            out = out + ln if _keep_hyphen(out[:-1], ln) else out[:-1] + ln
        elif out.endswith("-") and len(out) > 1 and out[-2].isdigit() and ln[0].isdigit():
            # A range broken after its hyphen ("2023-" / "2027"): Word breaks a
            # line there, and the words are "2023-2027".
            out = out + ln
        elif out.endswith("/"):
            # A break after a slash is a break inside "Barang/Jasa".
            out = out + ln
        elif ln[0] in ",;:)":
            # Punctuation a line starts with belongs to the word before it:
            # Writer moves "," to the next line with the end of a word its
            # cell cut ("e-Kinerja" / ", e-Planning").
            out = out + ln
        else:
            if prev_flag:
                at.append(len(out))
            out = out + " " + ln
        prev_flag = i < len(flagged) and flagged[i]
    return out, tuple(at)
