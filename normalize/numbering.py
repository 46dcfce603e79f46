"""Numbers of areas, kegiatan and items that the text shows and OCR blurs.

Two rules hold for every document: a kegiatan "2 Internalisasi" in a
document that numbers its kegiatan is number 2 (``bare_numbers``), and bare
numbers that count 1, 2 ... in each area are the numbering
(``_bare_numbers_counting_per_area``: a spreadsheet's kegiatan typed
"1 Pembentukan Tim"). The rest is for scans only
(``repair_scanned_numbering``): a "1." read as a letter, a dot lost, an area
number read as the letter it looks like, each repaired where the document's
own numbering says what was printed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lampiran.normalize.assemble import Activity


def number_kegiatan(activities: list[Activity], scanned: bool) -> None:
    """The kegiatan numbers the text shows: split off where printed without a
    dot, then, on a scan, what OCR blurred repaired (in this order: a scan's
    counting rule waits for its "L"s read back as "1"s)."""
    if not scanned:
        _bare_numbers_counting_per_area(activities)
    bare_numbers(activities)
    if scanned:
        repair_scanned_numbering(activities)


def repair_scanned_numbering(activities: list[Activity]) -> None:
    """The scan-only repairs, in order."""
    _first_item_read_as_letter(activities)
    _bare_numbers_counting_per_area(activities)
    # Numbered from the "L"s only now: a "1 Pengelolaan" whose dot was lost
    # is that numbering too (a random variant at 150 dpi: three kegiatan
    # read "L ...", two "1 ...", none "1.").
    bare_numbers(activities)
    _first_items_numbered(activities)
    _area_numbers_in_sequence(activities)


# A kegiatan's leading number without its dot ("2 Internalisasi"), as OCR loses it.
BARE_NO = re.compile(r"^\s*(\d{1,2})\s+(?=[A-Z])(.*)$", re.S)


def bare_numbers(activities: list[Activity]) -> None:
    """In a document that numbers its kegiatan ("1. ..."), a kegiatan read as
    "2 Internalisasi ..." is the same numbering with its period lost (OCR
    drops a small dot): split it off too."""
    groups = list({id(a.kegiatan): a.kegiatan for a in activities}.values())
    if not any(g.numbered for g in groups):
        return
    for g in groups:
        m = None if g.no else BARE_NO.match(g.text)
        if m:
            g.no, g.text, g.numbered = m.group(1), m.group(2).strip(), True


MIN_COUNTED = 3  # kegiatan whose bare numbers count 1, 2 ... in their area: a numbering


def _bare_numbers_counting_per_area(activities: list[Activity]) -> None:
    """Where no kegiatan is numbered with a dot, bare numbers that start at 1
    in each area and count up within it are the numbering, where at least
    ``MIN_COUNTED`` kegiatan and half of them do: a scan whose kegiatan lost
    every dot ("1 Internalisasi ...", "1 Penerapan ..." in five areas: an
    unseen random variant at 150 dpi), and a spreadsheet whose kegiatan are
    typed so (three of the first thirty random spreadsheet variants, read with the
    number in the text and an empty ``kegiatan_no``, unwarned)."""
    groups = list({id(a.kegiatan): (a.kegiatan, a.area) for a in activities}.values())
    if any(g.numbered for g, _ in groups):
        return  # a numbering read with its dots: ``bare_numbers`` goes by it
    expected: dict[int, int] = {}
    counted = []
    for g, area in groups:
        want = expected.get(id(area), 1)
        expected[id(area)] = want + 1
        m = BARE_NO.match(g.text)
        if m and int(m.group(1)) == want:
            counted.append((g, m))
    if len(counted) >= MIN_COUNTED and 2 * len(counted) >= len(groups):
        for g, m in counted:
            g.no, g.text, g.numbered = m.group(1), m.group(2).strip(), True


_ONE_AS_LETTER = re.compile(r"^(?:[LlI|]|LL)\.?\s+(?=\S)")  # "1." as OCR reads it at low resolution: "L ", "l ", "I ", "LL "
_ONE_AS_ELL = re.compile(r"^(?:[Ll|]|LL)\.?\s+(?=\S)")  # the same but "I", which may be a printed roman one


def _one_restored(text: str) -> str:
    """An item's "1." read as a letter ("L Penerapan") set back; other text as it is."""
    return _ONE_AS_LETTER.sub("1. ", text, count=1)


def _first_item_read_as_letter(activities: list[Activity]) -> None:
    """In a scan, a kegiatan's first sub kegiatan or indikator reading "L Pemutakhiran"
    while the next reads "2. ..." is the item "1." misread: repair it. So is
    a kegiatan reading "L Penguatan ..." in a document that numbers its
    kegiatan, where it is the first of its area or the next one is "2": the
    page's own repair (``scan.repair``) cannot tell when the kegiatan is the
    only one on its page (docx_seed at 150 dpi: seven activities lost their
    kegiatan number so)."""
    groups = list({id(a.kegiatan): (a.kegiatan, a.area) for a in activities}.values())
    # Evidence of a numbering: kegiatan read with a number, or read starting
    # with a lone "L" (no word is "L"; a random variant at 150 dpi read every
    # one of its ten kegiatan, each the first of its area, as "L ...").
    ells = sum(bool(_ONE_AS_ELL.match(g.text)) for g, _ in groups if not g.no)
    numbered = sum(g.numbered for g, _ in groups)
    # ... or read with a bare number whose dot was lost, 1 and 2 among them
    # (an unseen random variant at 150 dpi: four "1 ..."/"2 ...", two "L ...").
    bare = [int(m.group(1)) for g, _ in groups if not g.no and (m := BARE_NO.match(g.text))]
    counted = len(bare) >= 2 and {1, 2} <= set(bare)
    if 2 * (numbered + ells + len(bare) * counted) >= len(groups) and (numbered or ells >= 2 or counted):
        for i, (g, area) in enumerate(groups):
            m = None if g.no else _ONE_AS_LETTER.match(g.text)
            if m is None:
                continue
            first = i == 0 or groups[i - 1][1] is not area
            then_two = i + 1 < len(groups) and groups[i + 1][1] is area and groups[i + 1][0].no == "2"
            if first or then_two:
                g.no, g.text, g.numbered = "1", g.text[m.end():], True
    for prev, nxt in zip(activities, activities[1:]):
        if prev.kegiatan is not nxt.kegiatan:
            continue
        for role in ("sub", "indikator"):
            if nxt.texts[role].startswith("2."):
                prev.texts[role] = _one_restored(prev.texts[role])


def _first_items_numbered(activities: list[Activity]) -> None:
    """In a scan, the first sub kegiatan (or indikator) of a kegiatan that
    reads "L Penerapan ..." where most kegiatan's first one reads "1. ..." is
    that "1." misread, though no "2." follows it (a random variant at 150
    dpi: a kegiatan with one sub kegiatan)."""
    firsts = [a for i, a in enumerate(activities) if i == 0 or activities[i - 1].kegiatan is not a.kegiatan]
    for role in ("sub", "indikator"):
        numbered = sum(a.texts[role].startswith("1.") for a in firsts)
        if numbered < 2 or 2 * numbered < len(firsts):
            continue
        for a in firsts:
            a.texts[role] = _one_restored(a.texts[role])


def _area_numbers_in_sequence(activities: list[Activity]) -> None:
    """In a scan, the areas' NO column counts 1, 2, 3 ...: a single number
    that both its neighbours contradict (n-1 before it, n+1 after it) is
    ``n`` misread, and so is a first one read as a letter before a "2"
    (random variants at 150 dpi: "i." for "1.", "3" or "&" for "4"), and a
    last one read as the letter OCR takes for the next digit ("G" for "6"
    after "5") or as one it takes for no digit ("&", "w").
    A skip that its neighbours do not bracket is left as printed."""
    areas = list({id(a.area): a.area for a in activities}.values())
    nums = [int(g.no) if g.no.isdigit() else None for g in areas]
    if 2 * sum(n is not None for n in nums) < len(areas):
        return
    for i, g in enumerate(areas):
        before = 0 if i == 0 else nums[i - 1]
        after = nums[i + 1] if i + 1 < len(areas) else None
        if before is None or nums[i] == before + 1:
            continue
        # The last one: a character OCR takes for that digit, or one it takes
        # for no digit at all ("&", "w"); not one that reads as another ("B").
        if after is None and i > 0 and len(g.no) == 1 and not g.no.isdigit() \
                and _DIGIT_LIKE.get(g.no, before + 1) == before + 1:
            g.no, nums[i] = str(before + 1), before + 1
            continue
        # Between n-1 and n+1, whatever was read is n (a printed letter
        # numbering, "A", "B", has no digits around it).
        if after == before + 2:
            g.no, nums[i] = str(before + 1), before + 1


# A digit as OCR reads it as a letter in a small bold number.
_DIGIT_LIKE = {"G": 6, "b": 6, "S": 5, "s": 5, "B": 8, "Z": 2, "z": 2, "A": 4, "q": 9, "g": 9, "T": 7}
