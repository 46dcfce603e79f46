"""Row rulings a scan broke or faded past the ruling masks: found by their
thin runs in the binary image, or by their long dark ridge in the grey one
(``grid._grid_from_masks`` asks, segment by segment, where the masks saw no
ruling)."""

from __future__ import annotations

import cv2
import numpy as np

# A 0.5 pt row ruling scanned at 150 dpi with blur binarises into pieces of
# 2-60 px, most shorter than the 4 mm opening that makes the ruling mask, so
# the mask loses it and two rows merge (docx_seed at 150 dpi: four rows with
# 24-25 marks). Its pieces are still thin and long, which text is not: a
# glyph that crosses the line is taller than a ruling, and a letter's own
# horizontal stroke is shorter than 1.5 mm.
# Measured over the 661 row segments the mask left undrawn on six 150 dpi
# scans (three producers, standard and heavier blur): 629 at most 0.11 (no
# ruling; text crossing the line gives no thin run that long), and 0.24-1.0
# (broken rulings, by eye). The cut sits in that gap.
THIN_RULING_COVERAGE = 0.2  # share of the segment covered by thin runs
THIN_RUN_MM = 1.5  # a thin run shorter than this is a letter's stroke
THIN_MM = 0.5  # ink thinner than this across the line is a ruling's


def thin_coverage(binary: np.ndarray, pos: float, a: int, b: int, band: int, mm: float) -> float:
    """Share of a..b (ends padded off) covered by runs of at least ``THIN_RUN_MM``
    of ink that is thin across a row ruling at ``pos`` (ink within +-band of it,
    none ``THIN_MM`` above and below that ink)."""
    pad = max(1, (b - a) // 8)
    a, b = a + pad, b - pad
    t = max(2, round(THIN_MM * mm))
    p = round(pos)
    top, bot = p - band - t, p + band + t + 1
    if b <= a or top < 0 or bot > binary.shape[0]:
        return 0.0
    ink = binary[top:bot, a:b] > 0
    core = ink[t:-t]  # the band itself
    above, below = ink[:-2 * t], ink[2 * t:]  # t rows above and below each band row
    thin = (core & ~above & ~below).any(axis=0)
    min_run = max(3, round(THIN_RUN_MM * mm))
    covered = 0
    run = 0
    for v in np.append(thin, False):
        if v:
            run += 1
        else:
            if run >= min_run:
                covered += run
            run = 0
    return covered / float(b - a)


# A faint row ruling with text close above it (docx_seed at 150 dpi: a 0.5 pt
# line at grey 160-167 on paper at 253, the descenders of the line above
# 2-3 px off it): the local threshold, pulled down by the text, loses it, and
# the text leaves it no thin run. In the grey image it is still the one dark
# line that runs unbroken along most of the cell: the darkest run of
# ``LONG_RIDGE_SHARE`` of the segment along the ruling, against the same
# run ``LONG_RIDGE_OFFSET_MM`` above and below it (a shaded cell is dark on
# both sides; text has light gaps between words within such a run).
# Measured over the 627 row segments the masks and thin runs left undrawn on
# six 150 dpi scans (three producers, standard and heavier blur): 605 at most
# 20 grey levels, text and header shading 22-36, and rulings 57-81 (by eye,
# all drawn; one of them the docx_seed row that merged two activities). The
# cut sits in the gap.
LONG_RIDGE_CONTRAST = 45  # grey levels the ruling's run is darker than beside it
LONG_RIDGE_SHARE = 0.7  # share of the segment (ends padded off) the run spans
LONG_RIDGE_OFFSET_MM = 1.0  # where "beside" is


def long_ridge(gray: np.ndarray, pos: float, a: int, b: int, band: int, mm: float) -> int:
    """Grey levels by which the darkest unbroken run of ``LONG_RIDGE_SHARE``
    of a..b (ends padded off) within +-band of a row ruling at ``pos`` is
    darker than the same run ``LONG_RIDGE_OFFSET_MM`` above and below."""
    pad = max(1, (b - a) // 8)
    a, b = a + pad, b - pad
    d = max(2, round(LONG_RIDGE_OFFSET_MM * mm))
    p = round(pos)
    top, bot = p - band - d - 1, p + band + d + 2
    run = round(LONG_RIDGE_SHARE * (b - a))
    if run < 3 or top < 0 or bot > gray.shape[0]:
        return 0
    ink = 255 - gray[top:bot, a:b]
    # the lightest pixel of each run (a grey erosion); runs wholly inside only
    lightest = cv2.erode(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1)))
    lo = run // 2
    lightest = lightest[:, lo: lo + (b - a) - run + 1].astype(np.int16)
    line = lightest[d + 1: d + 2 + 2 * band].max(axis=0)
    beside = np.maximum(lightest[:2].max(axis=0), lightest[-2:].max(axis=0))
    return int((line - beside).max())
