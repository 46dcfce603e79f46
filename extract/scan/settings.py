"""Every decision threshold of the scanned reader, named, with the reason for its value.

Like ``GridSettings`` for the digital grid: a plain object the reader holds
and passes down; nothing reads it from the environment.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScanSettings:
    # -- OCR
    ocr_dpi: int = 300  # Tesseract's models are trained at ~300 dpi: lower scans are upsampled towards it
    upsample_below: float = 0.8  # a scan within 80% of ocr_dpi is read as it is (upsampling buys nothing)
    max_upsample: float = 3.0  # a 72 dpi page upsampled past 3x only blurs into blobs
    # Small text is upsampled further, until its ink blobs (letters, letters
    # run together) stand this tall at the OCR's scale, whatever the dpi.
    # Words read right on a spreadsheet page printed fit-to-page (5 pt,
    # blobs 6 px tall at 150 dpi): 120 of 206 at 2x, 169 at 3x; 4.4 pt
    # (6 px): 111 of 217 at 2x, 142 at 3.5x; the same 5 pt at 200 dpi (10 px):
    # 160 of 261 at 1.5x, 230 at 2x. Table text at 7.5-8.5 pt scanned at 150
    # dpi stands 9-13 px and is read as well at 2x as at 3x (324 / 326 of 341).
    ocr_text_px: float = 20.0
    max_text_upsample: float = 4.0  # 4.4 pt text read no better at 4x than at 3.5x
    psm: int = 3  # fully automatic page segmentation: a page mixes text blocks and tables
    rescue_conf: float = 60.0  # cells whose words average below this are read again on their own
    rescue_batch: int = 40  # cell crops per rescue strip: one Tesseract call per 40 cells
    rescue_min_ink_mm2: float = 0.1  # a cell with less ink than this holds no text worth a rescue
    junk_conf: float = 60.0  # punctuation-only words below this confidence are specks read as text
    ocr_threshold_c: int = 25  # adaptive threshold offset of the OCR image (grey levels under the local mean)
    tall_ratio: float = 1.8  # a header cell this much taller than wide holds text set vertically
    # -- layout: where the month grid is
    month_width_spread: float = 0.25  # month columns differ from their median width by at most a quarter
    min_month_columns: int = 4  # fewer equal columns than this are not a month grid (quarters are 4)
    month_narrow_share: float = 0.6  # month columns are narrower than 0.6 of the other columns' median ...
    month_table_share: float = 0.06  # ... or each under 6% of the table's width
    header_token_conf: float = 50.0  # a month label read with less confidence does not vote for a header row
    # -- orientation: the page pass reads the turn geometry thinks likelier;
    # a reading below this share of confident 3+ letter words (see
    # ``ocr.reading_quality``) is tried turned 180 degrees too
    sideways_profile: float = 1.15  # text lines make the row profile this much sharper than the column profile
    upright_share: float = 0.45  # measured at 150 dpi (5 pages, 2 producers): upright 0.76-0.85, turned wrong 0.20-0.30
    upright_min_words: int = 10  # fewer words than this prove nothing: the other turn is read too
    # -- OMR (ticks and fills in month cells): the cut is learned per table
    ink_min_jump: float = 0.2  # mm^2: the smallest gap between "no tick" and "tick" ink areas
    ink_absolute: float = 0.3  # mm^2: without a gap, cells above this median are all ticked
    speck_mm2: float = 0.04  # mm^2: blobs smaller than this are scanner noise, not ink
    # mm^2: ink inside a filled month cell counts as a tick from this on. The
    # smallest tick at 150 dpi measured 2.1-2.8 mm^2 (four fixtures, three
    # tick glyphs); a grey fill's binarised speckle 0.1-0.4, which a page with
    # one row of fills learned as ink and took for a tick.
    tick_in_fill_mm2: float = 1.0
    fill_min_jump: float = 25.0  # grey levels / saturation between unfilled and filled cells
    fill_absolute: float = 40.0  # without a gap, cells above this median are all filled
    # -- facts
    stamp_share: float = 0.002  # share of strongly coloured pixels that says "a stamp or signature is here"
