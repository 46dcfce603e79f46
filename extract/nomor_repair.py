"""A scanned SK's facts repaired where OCR blurred them: the letter codes,
roman months and numbers of a nomor (towards ``vocab.NOMOR_CODES`` and by the
nomor's other readings in the document), the title and issuing office by the
words the document reads right elsewhere. ``facts.parse_facts`` reads; this
module mends what it read, for scans only (a text layer is as printed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lampiran.extract.facts import _NOMOR, _ROMAN, _clean, _nomor_value, _roman_months, nomor_as_read
from lampiran.model.interim import Facts
from lampiran.model.vocab import MONTH_NAMES, NOMOR_CODES


_CONFUSED = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})


def digit_confusions(nomor: str) -> str:
    """``O`` for ``0`` and ``l``, ``I``, ``|`` for ``1`` as OCR reads them in the
    numbers of a nomor (``l88.4/2O23`` -> ``188.4/2023``): in a piece between
    ``/``, ``.`` and ``-`` of digits and those letters only, digits the most of
    it. A roman month (already read as one) and words (``Kpt``, ``KPU``) stay.
    A comma between digits is the dot of a classification code (``188,4/``
    -> ``188.4/``: a spreadsheet's heading scanned at 200 dpi, unwarned; no
    nomor prints a comma). For a nomor read by OCR only: a typed nomor is
    kept as printed."""
    def fix(m: re.Match[str]) -> str:
        tok = m.group(0)
        digits = sum(ch.isdigit() for ch in tok)
        return tok.translate(_CONFUSED) if digits and 2 * digits >= len(tok) else tok

    nomor = re.sub(r"(?<=[0-9]),(?=[0-9])", ".", nomor)
    return re.sub(r"(?<![A-Za-z0-9|])[0-9OoIl|]+(?![A-Za-z0-9|])", fix, nomor)


# "H" read as two thin strokes in a code ("07/11K.03.1", "29/1IK.03.1",
# "29/1!K.03.1" for "HK"), as three (a speck beside it: "29/11IK.03.1", an
# unseen variant at 150 dpi), or as one that is no letter ("29/1K.03.1").
_ELEVEN_CODE = re.compile(r"(?<![A-Za-z0-9])(?:[1Il|!]{2,3}|[1|!])([A-Z]{1,3})(?=[./-])")
# A speck read as a "1" before a code ("29/1HK.03.1"); not a letter, which may be printed.
_LEAD_SPECK = re.compile(r"(?<![A-Za-z0-9])[1|!]([A-Z][A-Za-z]{1,4})(?=[./-])")
# "O" read as "0" in a code ("03/0T.01" for "03/OT.01").
_ZERO_CODE = re.compile(r"(?<![A-Za-z0-9])(?=[A-Z0]*[A-Z])(?=[A-Z0]*0)[A-Z0]{2,4}(?=[./-])")
# A speck read as a mark inside a code ("29/H!K.03.1" for "29/HK.03.1").
_STRAY_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Zl1!|'`]{1,5}(?=[./-])")
_STRAY_MARKS = str.maketrans("", "", "!|'`")
# A speck read as a thin letter or a "1" between two letters of a code ("HIK",
# "H1K" for "HK": the latter a Word-made random variant at 150 dpi).
_STRAY_THIN = re.compile(r"(?<=[A-Z])[Il1](?=[A-Z])")
# A roman month's last "I" and the slash after it read as one "U", right
# before the year ("KPU-Kab/VU2021" for ".../VI/2021", the same variant), or
# as a "U" and the slash again ("KPU-Kab/VU/2021": two unseen Word-made
# variants at 150 dpi, both "VI"; two strokes of "II" stand apart in these
# fonts and were never read as one "U").
_ROMAN_SLASH = re.compile(r"(?<=/)([IVX]{0,3})U(/?)(?=(?:19|20)\d\d(?!\d))")
# A code before a number or a "/": the "/" between them read as a letter or
# lost ("-KpvU3508" and "-Kpv3508" for "-Kpt/3508"), or a letter misread
# ("-Kpv/3509").
_GLUED_CODE = re.compile(r"(?<=[-/.])([A-Za-z]{3,5})(?=\d|/)")
# What the left edge of a "/" is read as when OCR reads the slash twice.
_SLASH_GHOSTS = frozenset("vVlI1|")


def nomor_codes(nomor: str) -> str:
    """The letter codes of a scanned nomor repaired towards the known ones
    (``vocab.NOMOR_CODES``): ``11K``, ``1IK``, ``11IK``, ``1K`` -> ``HK``, and a
    speck before a known code goes (``1HK`` -> ``HK``); a code within one letter of a
    known code of three or more letters is that code (``Kpv/3509`` ->
    ``Kpt/3509``; a code in capitals before its slash is kept: ``KPT/``), and gets its slash back when glued to the number after it
    (``KpvU3508`` -> ``Kpt/3508``); a known code with the slash after it
    read twice is that code (``Kptv/`` -> ``Kpt/``); ``0T`` -> ``OT``; a speck read as a
    mark, or as a thin letter between two, inside a known code is dropped
    (``H!K``, ``HIK``, ``H1K`` -> ``HK``); a roman month's "I/" read as "U"
    before the year is read back (``VU2021``, ``VU/2021`` -> ``VI/2021``). Anything else
    stays."""
    from rapidfuzz.distance import Levenshtein

    def eleven(m: re.Match[str]) -> str:
        code = "H" + m.group(1)
        return code if code in NOMOR_CODES else m.group(0)

    def glued(m: re.Match[str]) -> str:
        run = m.group(1)
        slash = m.string[m.end(1): m.end(1) + 1] == "/"  # the slash is there: only a letter was misread
        if slash and (run.isupper() or run in NOMOR_CODES):
            return run  # a printed capital code varies by institution ("KPT", "KEP", "UN"): kept as read
        if slash and run[-1] in _SLASH_GHOSTS and run[:-1] in NOMOR_CODES:
            return run[:-1]  # the slash read twice: "-Kptv/" for "-Kpt/" (not "Kpts": an s is not read as v)
        extra = (0,) if slash else (0, 1)
        near = sorted((Levenshtein.distance(run[: len(code)], code), -len(code), code) for code in NOMOR_CODES
                      if len(code) >= 3 and len(run) - len(code) in extra)
        if not near or near[0][0] > 1:
            return run
        return near[0][2] if slash else near[0][2] + "/"

    def zero(m: re.Match[str]) -> str:
        code = m.group(0).replace("0", "O")
        return code if code in NOMOR_CODES else m.group(0)

    def stray(m: re.Match[str]) -> str:
        read = m.group(0)
        if read in NOMOR_CODES:
            return read
        for code in (read.translate(_STRAY_MARKS), _STRAY_THIN.sub("", read)):
            if code in NOMOR_CODES:
                return code
        return read

    def lead(m: re.Match[str]) -> str:
        return m.group(1) if m.group(1) in NOMOR_CODES else m.group(0)

    def roman(m: re.Match[str]) -> str:
        return m.group(1) + "I/" if m.group(1) + "I" in _ROMAN else m.group(0)

    nomor = _ROMAN_SLASH.sub(roman, nomor)
    nomor = _LEAD_SPECK.sub(lead, _ELEVEN_CODE.sub(eleven, _STRAY_CODE.sub(stray, nomor)))
    return _ZERO_CODE.sub(zero, _GLUED_CODE.sub(glued, nomor))


def repair_scanned_facts(facts: Facts, text: str = "") -> None:
    """The nomor and the amended SK's nomor of a scanned SK, repaired
    (``nomor_codes``, then ``digit_confusions``, then ``corroborated`` by the
    other readings of the same nomor in ``text``, the document's OCR text);
    the amended nomor also where the title quotes it; and the title's and
    the issuing office's words that ``text`` vouches for (``vouched_title``)."""
    readings = nomor_readings(text)
    facts.nomor = corroborated(facts.nomor, readings)
    facts.tentang = vouched_title(facts.tentang, text)
    facts.instansi = vouched_title(facts.instansi, text)
    if facts.mengubah_nomor:
        fixed = corroborated(facts.mengubah_nomor, readings)
        m = _NOMOR.search(facts.tentang)
        end = _quoted_end(facts.tentang, m.start(1), facts.mengubah_nomor) if m else None
        if m and end is not None:
            facts.tentang = facts.tentang[: m.start(1)] + fixed + facts.tentang[end:]
        facts.mengubah_nomor = fixed


def _quoted_end(text: str, start: int, value: str) -> int | None:
    """Where the nomor quoted in ``text`` from ``start`` ends: the shortest run
    of its words that reads as ``value`` (the nomor as parsed, its OCR spaces
    and split codes already joined: "3508/K PU-Kab/V1/2021" for
    "3508/KPU-Kab/VI/2021")."""
    for w in re.finditer(r"\S(?=\s|$)", text[start:]):
        if _nomor_value(text[start: start + w.end()]) == value:
            return start + w.end()
    return None


# An H read as two thin strokes inside a capitalised word ("PEMILIIIAN" for
# "PEMILIHAN" in a random variant's title at 150 dpi, while its kop and
# heading read the word right; "PEMILIITAN", its bar read with the right
# stem, and "PEMILITTAN", with both, in unseen ones). A pair is replaced only
# where the document reads the word with the H at least twice, so "IT" of an
# ordinary word stays.
_H_AS_STROKES = re.compile(r"[I1l|!T][I1lT|!]")


def vouched_title(tentang: str, text: str) -> str:
    """The scanned title with each word that reads an H as two thin strokes
    set to the word the document reads at least twice with an H there; and
    each word with two neighbouring letters read swapped ("PEMILHIAN", an
    unseen Word-made variant at 150 dpi) set to the word the document reads
    at least twice, and more often than as read, with them the other way
    round. Anything else stays."""
    counts: dict[str, int] = {}
    for w in re.findall(r"\b[A-Z][A-Z1l]+\b", text):
        counts[w] = counts.get(w, 0) + 1
    words = tentang.split(" ")
    for i, w in enumerate(words):
        for at in range(len(w) - 1):  # every place, overlapping ("III": an H and an I either way round)
            if _H_AS_STROKES.match(w, at) and counts.get(fixed := w[:at] + "H" + w[at + 2:], 0) >= 2:
                words[i] = fixed
                break
            swapped = w[:at] + w[at + 1] + w[at] + w[at + 2:]
            if swapped != w and counts.get(swapped, 0) >= max(2, counts.get(w, 0) + 1):
                words[i] = swapped
                break
    return " ".join(words)


def _repaired(nomor: str) -> str:
    return digit_confusions(nomor_codes(nomor))


def nomor_readings(text: str) -> list[str]:
    """Every nomor the text gives after a ``NOMOR`` word, as read: an SK
    repeats its own nomor in the lampiran heading, and the amended SK's in
    the title and again in the body ("Keputusan ... Nomor X diubah ...")."""
    return [value for rest in _after_nomor(text) if (value := _nomor_value(rest))]


def _after_nomor(text: str) -> Iterator[str]:
    """What follows the ``NOMOR`` word, on each line of ``text`` that has one."""
    for ln in text.splitlines():
        m = _NOMOR.search(_clean(ln))
        if m:
            yield m.group(1)


def corroborated(read: str, readings: list[str]) -> str:
    """``read`` repaired; where that took a repair of a letter code, the
    code as another reading of the same nomor gives it without any repair.

    OCR misreads a code differently in each place it is printed ("-Kptv/" is
    one letter from both "Kpt/" and "Kpts/"), while the numbers tell the
    readings of one nomor from those of another: a reading vouches only if
    it has the same pieces with the same numbers, and differs only in codes
    that were repaired here, each of its own a known code
    (``vocab.NOMOR_CODES``)."""
    fixed = _repaired(read)
    if fixed == read:
        return read  # read clean: it is its own witness
    pieces = re.split(r"([/.-])", fixed)
    as_read = set(re.split(r"[/.-]", read))
    for other in readings:
        if _repaired(other) != other or other == fixed:
            continue
        theirs = re.split(r"([/.-])", other)
        if len(theirs) != len(pieces):
            continue
        if all(a == b or (a.isalpha() and a not in as_read and b in NOMOR_CODES) for a, b in zip(pieces, theirs)):
            return other
    return fixed


# A roman month read with a stroke-like last letter before its slash: the
# stroke may be an "I" ("1I1" for "III") or the left edge of the slash read
# twice ("VI1/" for "VI/", an unseen Word-made variant at 150 dpi), and both
# readings are months. The repair takes it for an "I"; this says it is unsure.
_STROKE_MONTH = re.compile(r"[IVX1l|]{2,5}")


def doubtful_months(facts: Facts, text: str) -> list[str]:
    """For each of the SK's nomor and the amended one, the roman month that
    OCR read ending in a stroke where the month without it is a month too
    (``VI1`` -> ``VII`` or ``VI``), as a sentence; nothing where the month is
    read without such a stroke in any reading of that nomor."""
    doubts: dict[str, str] = {}
    clean: set[str] = set()
    for rest in _after_nomor(text):
        raw = nomor_as_read(rest)
        value = _repaired(_roman_months(raw))
        what = "nomor" if value and value == facts.nomor else "amended nomor" if value and value == facts.mengubah_nomor else ""
        if not what:
            continue
        for part in raw.split("/")[:-1]:
            if not (_STROKE_MONTH.fullmatch(part) and re.search(r"[IVX]", part)):
                continue
            taken, short = _roman_months(part), _roman_months(part[:-1])
            if part[-1] in "1l|" and taken in _ROMAN and short in _ROMAN and short != taken:
                doubts.setdefault(what, f"the {what} {value!r} has its roman month read {part!r}: taken as "
                                        f"{taken!r}, though the last stroke may be the slash's edge ({short!r})")
            elif part in _ROMAN:
                clean.add(what)
    return [msg for what, msg in doubts.items() if what not in clean]


# What follows a nomor on its line when OCR lost a slash or a dot between its
# codes, or read a gap inside it: more of it, ending in a year ("NOMOR 215
# HKOL 1-Kpe 3574 2023" for "15/HK.03.1-Kpt/3574/2023" at 150 dpi; "NOMOR 188
# 4/112/426 114/2023", "NOMOR :07 HK.O3 1350942022" with the year run into the
# number before it, and "037OT.01-Kpt/35 09/2024" at 200 dpi: spreadsheet
# lampiran headings).
_CUT_TAIL = re.compile(r"^(?:.*\D)?\d*(?:19|20)\d\d$")
_DATE_WORDS = frozenset({"tanggal", "tgl", "tahun", *MONTH_NAMES})
_PERATURAN = re.compile(r"\bTAHUN\b", re.I)  # the Peraturan style, "15 TAHUN 2021": whole as it is
# A word this long after the nomor is text ("TENTANG RENCANA AKSI 2023"),
# not a code ("HK", "Kpt", "HKOL", "OT").
_CODE_MAX_LETTERS = 5


def cut_nomors(facts: Facts, text: str) -> list[str]:
    """The SK's nomor, as a sentence, where its line goes on with more of a
    code ending in a year: only its first part was taken, cut where OCR lost
    a slash or read a gap ("07" of "NOMOR :07 HK.O3 1350942022";
    "037OT.01-Kpt/35" of "037OT.01-Kpt/35 09/2024"). The Peraturan style
    "15 TAHUN 2021", a date on the line and text after it are the line's own."""
    nomor = facts.nomor
    if not nomor or _PERATURAN.search(nomor):
        return []
    for rest in _after_nomor(text):
        if _repaired(_nomor_value(rest)) != nomor:
            continue
        tail = rest.strip().split(None, 1)[1:]
        letters = re.findall(r"[A-Za-z]+", tail[0]) if tail else []
        if (tail and _CUT_TAIL.match(tail[0].strip()) and not {w.lower() for w in letters} & _DATE_WORDS
                and all(len(w) <= _CODE_MAX_LETTERS for w in letters)):
            why = "a slash or dot was likely read as a gap" if "/" in nomor else "its slashes were likely lost"
            return [f"the nomor read as {nomor!r} stops where its line goes on ({tail[0].strip()!r}): "
                    f"{why}, and only its first part taken"]
    return []


def garbled_starts(facts: Facts) -> list[str]:
    """A scanned nomor (or the amended one) whose first part holds no digit and
    is no known code, though a later part holds digits: its number was read as
    letters ("OVOT.01-Kpt/3509/2024" for "03/OT.01-Kpt/3509/2024", a
    spreadsheet heading at 200 dpi that every reading of its line gave so)."""
    out = []
    for what, value in (("nomor", facts.nomor), ("amended nomor", facts.mengubah_nomor)):
        first, *rest = re.split(r"[/.-]", value)
        if (first and not any(ch.isdigit() for ch in first) and first not in NOMOR_CODES
                and any(ch.isdigit() for ch in "".join(rest)) and not _PERATURAN.search(value)):
            out.append(f"the {what} read as {value!r} opens with {first!r}, neither a number nor a known code: "
                       "its number was likely read as letters")
    return out
