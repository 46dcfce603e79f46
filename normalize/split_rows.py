"""Is the first row on a page the rest of the row above the page break?

A page break may cut a table row in two. The parts share no ruling, so the
decision comes from what they hold: the ticks (a row's twelve month cells
share one vertical alignment, so a split row's ticks all land in one part),
then the sub kegiatan's numbering, then the other columns' text.
"""

from __future__ import annotations

import re

_CONNECTORS = frozenset(
    "dan atau yang di ke dari untuk dengan serta bagi pada oleh dalam terhadap melalui sebagai "
    "antara tentang secara oleh".split()
)
_TERMINAL = ".;:"

_MARKER = re.compile(r"(?:^|(?<=\s))(\d{1,2})([.)])(?=\s)")


# A leading number without its dot or bracket, as a scan loses them ("3 3) JF
# Perencana" for "3) 3) JF Perencana", "3 Pembangunan" for "3. Pembangunan").
_BARE_MARKER = re.compile(r"^\s*(\d{1,2})\s+(?=\S)")


def _bare_verdict(a: str, b: str, lead: tuple[int, str] | None) -> bool | None:
    """For ``b`` opening with a bare number n: the next item of ``a``'s inner
    list (its last item n-1) continues it, the next of its leading numbering
    (``lead``, or n-1 without its dot) starts a new row; both or neither:
    can't tell."""
    m = _BARE_MARKER.match(b)
    if m is None:
        return None
    n = int(m.group(1))
    inner = [int(x.group(1)) for x in _MARKER.finditer(a)][1 if lead else 0:]
    first = lead[0] if lead else int(bm.group(1)) if (bm := _BARE_MARKER.match(a)) else None
    cont = bool(inner) and inner[-1] == n - 1
    new = first == n - 1
    return cont if cont != new else None


def _marker(text: str) -> tuple[int, str] | None:
    m = _MARKER.match(text.strip())
    return (int(m.group(1)), m.group(2)) if m else None


def _list_verdict(a: str, b: str, across: bool = True) -> bool | None:
    """Does ``b`` continue ``a`` (True), start a new item (False), or can't tell (None)?

    A row split between list items starts the next page with the next item of
    the cell's *inner* list ("1) ... Publik" then "2) Layanan ..."), while a
    new activity continues the *leading* numbering ("1. ..." then "2. ..."),
    where the column numbers ``across`` its rows, as the sub kegiatan does.
    """
    mb = _marker(b)
    lead = _marker(a)
    if mb is None and (bare := _bare_verdict(a, b, lead)) is not None:
        return bare  # before the colon: "1. ... Lumajang:" then "2 Evaluasi" (its dot lost) is new
    # A colon introduces what follows: the list is still to come; unless what
    # follows is the next item of the cell's own leading numbering ("1. ...
    # Lumajang:" then "2. Evaluasi ...": a scan at 150 dpi read the ";" as
    # ":" and joined two activities).
    if a.endswith(":") and not (mb and lead and mb[0] > 1 and lead == (mb[0] - 1, mb[1])):
        return True
    if mb is None:
        if b[0].islower() or b[0] in ",;:)" or a[-1] in ",-/" or a.split()[-1].lower() in _CONNECTORS:
            return True
        if a[-1] in _TERMINAL and b[0].isupper():
            return False
        return None
    n, style = mb
    inner = [(int(m.group(1)), m.group(2)) for m in _MARKER.finditer(a)][1 if lead else 0 :]
    if inner and inner[-1] == (n - 1, style):
        return True
    if n == 1 and inner and inner[-1][1] == "." and style == ")":
        return True  # "6. Pengelolaan Pengaduan" then "1) ...": a nested list opens under the last item
    # The other way round, "... 9) Penanganan Pengaduan" then "1. Melakukan
    # evaluasi ...", is a new activity's numbering, not a list nested in a
    # ")" item (a random variant with shaded months joined two activities so,
    # in its text layer and its scan, unwarned).
    if n == 1:
        return False
    if lead == (n - 1, style):
        # An indikator, a unit or a note numbers its items within its cell, so
        # its next one is that cell going on: "1) Jumlah pelanggaran tahun
        # sebelumnya" then "2) Jumlah ... tahun ini" (a random variant's row,
        # its sub kegiatan cut mid-phrase, came out as two activities, unwarned).
        return not across
    return None


def next_leading_item(a: str, b: str) -> bool:
    """Does ``b`` open with the next item of ``a``'s own leading numbering
    ("1. ..." then "2. ...", no inner list of that style in between)? Then
    it may be a new activity as well as the rest of ``a``'s cell."""
    mb, lead = _marker(b), _marker(a)
    if mb is None or lead is None or mb[0] < 2:
        return False
    inner = [(int(m.group(1)), m.group(2)) for m in _MARKER.finditer(a)][1:]
    return lead == (mb[0] - 1, mb[1]) and not (inner and inner[-1] == (mb[0] - 1, mb[1]))


def continues(prev: dict[str, str], texts: dict[str, str], prev_ticks: set[int], ticks: set[int],
              prev_fills: set[int] = frozenset(), fills: set[int] = frozenset()) -> bool:
    """Is a band with ``texts``, ``ticks`` and ``fills`` (months shaded; first
    on a page) the rest of the row above the page break (``prev``,
    ``prev_ticks``, ``prev_fills``)?

    The sub kegiatan is the activity's key: decide on it when it speaks, then
    on the other columns.
    """
    if not any(texts.values()):
        return True  # only marks, or only a merged cell's overflow
    # The twelve month cells of a row share one vertical alignment, so a split
    # row's ticks all land in one of its parts: ticks on both sides mean two
    # rows, ticks on one side only mean one row cut in two. (Shading covers
    # both parts of a split row, so colour says nothing here.)
    if ticks and prev_ticks:
        return False
    if ticks or prev_ticks:
        return True
    # Shading, though, is drawn in both parts of a split row: parts shaded in
    # other months are two rows; in the same months, one row cut in two where
    # the text does not tell (random variants with shaded months read a sub
    # kegiatan cut mid-phrase, "... Struktur Organisasi" / "KPU Kabupaten
    # Lumajang", as an activity of its own: 2 in 100, unwarned).
    if prev_fills and fills and prev_fills != fills:
        return False
    same_shade = bool(fills) and prev_fills == fills
    a, b = prev["sub"], texts["sub"]
    if a and not b:
        return True  # every activity has its sub kegiatan: this is a tail of the others
    if b and not a:
        return False
    if a and b:
        verdict = _list_verdict(a, b)
        if verdict is not None:
            return verdict
    score = 0
    for role in ("indikator", "pj", "ket"):
        a, b = prev[role], texts[role]
        if not b:
            continue
        if not a:
            score -= 2  # text where the top part had none: a new row
            continue
        verdict = _list_verdict(a, b, across=False)
        score += {True: 2, False: -1, None: 0}[verdict]
    return score > 0 or (score == 0 and same_shade)
