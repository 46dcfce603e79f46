"""The lines an SK's facts are read from, read again on their own, and voted on.

The page pass reads the whole page from one binarised image. On small print
that loses what a nomor or a date hangs on: a spreadsheet variant's heading
(5.4 pt) scanned at 200 dpi came out "NOMOR :07 HK.O3 1350942022" and
"TANGGAL 6 Februan 2022" (printed "07/HK.03.1/3508/2022" and "8 Februari
2022"). Cut from the grey page and read as lines, Tesseract binarising them
itself, they read better, but not at one scale that is best for every line:
the same date line read "8" at 2x, 3x and 4x, and "6" at 3.3x. So each fact
line is read at three scales around the page pass's, the reading whose fact
(its date, or its nomor as repaired) most readings give is taken, and a line
whose readings split is said (``facts_unsure``, by the extract stage, where
the SK's facts hold it).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

import cv2

from lampiran.extract.facts import parse_date
from lampiran.extract.nomor_repair import cut_nomors, digit_confusions, nomor_codes, nomor_readings
from lampiran.extract.scan.ocr import OcrEngine, OcrError, Word, is_junk, slot_of, stack_crops
from lampiran.extract.scan.words import join_words
from lampiran.model.interim import Facts

if TYPE_CHECKING:
    from lampiran.extract.scan.image import PageImage

# A line that states a fact: the nomor, the date of the decree or its signing.
FACT_LINE = re.compile(r"^\W{0,3}(N\s?[O0]\s?M\s?[O0]\s?R|T\s?A\s?N\s?G\s?G\s?A\s?L|DITETAPKAN|PADA\s+TANGGAL)\b", re.I)
PAD_MM = 0.8  # white around a line's words: their ink reaches past Tesseract's boxes
GAP_MM = 2.5  # white between the lines stacked on one strip
# The re-readings' scales against the page pass's (the first wins a tie):
# at 200 dpi a 5.4 pt heading read right at 2x and 4x of the page image.
SCALES = (1.0, 0.7, 1.4)


def fact_of(line: str) -> str:
    """What a fact line states: its date, else its nomor as repaired; "" for
    neither, or for a nomor cut where its line goes on (``cut_nomors``): a
    reading that lost a slash does not outvote one that kept it."""
    nomor = next(iter(nomor_readings(line)), "")
    if not nomor or cut_nomors(Facts(nomor=nomor), line):
        return parse_date(line)
    return parse_date(line) or digit_confusions(nomor_codes(nomor))


def reread_fact_lines(lines: list[list[Word]], img: PageImage, factor: float, engine: OcrEngine,
                      junk_conf: float) -> tuple[str, list[tuple[str, str]]]:
    """The lines' text, one per line, a fact line's (``FACT_LINE``) as most
    of its readings state it (the page pass's and three more, ``SCALES``);
    and the doubts: (fact, why) for a fact no more than half of the readings
    that state one gave (the extract stage says so if the SK's facts hold it)."""
    texts = [join_words(ln) for ln in lines]
    todo = [i for i, t in enumerate(texts) if FACT_LINE.search(t)]
    doubts: list[tuple[str, str]] = []
    if not todo:
        return "\n".join(texts), doubts
    readings = [[texts[i]] for i in todo]
    for scale in SCALES:
        for k, again in enumerate(_read_lines([lines[i] for i in todo], img, factor * scale, engine, junk_conf)):
            if FACT_LINE.search(again):  # the same line, read again; not a fragment of it
                readings[k].insert(len(readings[k]) - 1, again)  # the page pass's reading stays last
    for i, read in zip(todo, readings):
        facts = [fact_of(t) for t in read]
        votes = Counter(f for f in facts if f)
        if not votes:
            continue
        best, n = max(votes.items(), key=lambda kv: (kv[1], -facts.index(kv[0])))
        texts[i] = read[facts.index(best)]
        if 2 * n <= sum(votes.values()):
            others = ", ".join(repr(f) for f in votes if f != best)
            doubts.append((best, f"a line read {len(read)} times gave {best!r} in {n} of them, and also {others}: "
                                 f"{best!r} taken"))
    return "\n".join(texts), doubts


def _read_lines(lines: list[list[Word]], img: PageImage, factor: float, engine: OcrEngine,
                junk_conf: float) -> list[str]:
    """Each line's grey crop scaled by ``factor``, stacked on one strip and
    read in one OCR call; "" for a line that gave nothing."""
    px = img.dpi * factor / 25.4
    pad, gap = round(PAD_MM * img.dpi / 25.4), round(GAP_MM * px)
    crops = []
    h, w = img.gray.shape
    for ln in lines:
        x0 = max(0, min(wd.bbox_px[0] for wd in ln) - pad)
        y0 = max(0, min(wd.bbox_px[1] for wd in ln) - pad)
        x1 = min(w, max(wd.bbox_px[2] for wd in ln) + pad)
        y1 = min(h, max(wd.bbox_px[3] for wd in ln) + pad)
        crops.append(cv2.resize(img.gray[y0:y1, x0:x1], None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC))
    strip, spans = stack_crops(crops, gap)
    try:
        words = engine.words(strip, dpi=round(img.dpi * factor), psm=6)
    except OcrError:
        return ["" for _ in lines]
    found: list[list[Word]] = [[] for _ in lines]
    for wd in words:
        k = slot_of(wd, spans)
        if k is not None and not is_junk(wd, junk_conf):
            found[k].append(wd)
    return [join_words(sorted(ws, key=lambda wd: wd.bbox_px[0])) for ws in found]
