"""The scanned reader: a page image to text lines and tables of cells.

Per page: render at the scan's own resolution -> upright (geometry + Tesseract
OSD, OCR confidence as tie-break) -> deskew (projection profile, up to +-3
degrees) -> binarise -> rulings and grid (``extract.scan_grid``) -> one OCR
pass over the page (upsampled to ~300 dpi, binarised, table rulings painted
out) -> words assigned to cells by their centre. Cells the page pass left
empty or read with low confidence, and words that ran across a drawn ruling,
are read again cell by cell: the cells' crops stacked on one strip, one
Tesseract call per 40 cells (``--psm 6``). Header labels set vertically
(month names in narrow columns) are read turned.

Month (mark) cells are never read as text. Their ink (strokes left after the
rulings are removed) and fill (shading or colour) are measured, and each
table learns its own cut: the sorted values of all its mark cells, cut at the
first large jump (as OMR tools do), so a faint tick and a heavy one both
count while specks and ruling fragments do not.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from lampiran.extract import imaging
from lampiran.extract.base import PageResult
from lampiran.extract.ocr import OcrEngine, OcrError, TesseractEngine, Word
from lampiran.extract.scan_grid import Grid, GridCell, detect_tables, find_rulings, table_ruling_mask
from lampiran.model.text import join_lines
from lampiran.model.vocab import BULAN, BULAN_ABBR, MONTH_TOKEN
from lampiran.model.interim import Cell, Table

if TYPE_CHECKING:
    import pdfplumber

# ----------------------------------------------------------------- needs_ocr

_LARGE_IMAGE = 0.5  # share of the page covered by one image


def needs_ocr(page: pdfplumber.page.Page) -> bool:
    """True when the page has no usable text layer but carries a large image.

    Unusable: no chars; only whitespace; an invisible OCR layer (text render
    mode 3, read through pypdfium2); or garbage (few letters or digits).
    """
    if imaging.page_scan_coverage(page) < _LARGE_IMAGE:
        return False
    chars = page.chars
    if not chars:
        return True
    visible = [c for c in chars if not c["text"].isspace()]
    if len(visible) < 20:
        return True
    good = sum(1 for c in visible if c["text"].isalnum())
    if good / len(visible) < 0.5:
        return True
    text = "".join(c["text"] for c in chars)
    if len(re.findall(r"[A-Za-z]{3,}", text)) < 5:
        return True
    return invisible_text_share(page) >= 0.9


def pdfium_document(pdf: pdfplumber.PDF) -> Any:
    """The pypdfium2 twin of an open pdfplumber document (by path, else by its bytes)."""
    import pypdfium2 as pdfium

    path = getattr(pdf, "path", None)
    if path is not None and str(path) and not isinstance(path, io.IOBase):
        return pdfium.PdfDocument(str(path))
    stream = pdf.stream
    pos = stream.tell()
    stream.seek(0)
    data = stream.read()
    stream.seek(pos)
    return pdfium.PdfDocument(data)


def invisible_text_share(page: pdfplumber.page.Page) -> float:
    """Share of the page's text objects drawn invisibly (render mode 3, the
    layer OCR tools put over a scan). 0.0 when it cannot be told."""
    try:
        import pypdfium2.raw as pdfium_c

        doc = pdfium_document(page.pdf)
        try:
            pp = doc[page.page_number - 1]
            n = inv = 0
            for obj in pp.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=4):
                n += 1
                if pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE:
                    inv += 1
            pp.close()
        finally:
            doc.close()
        return inv / n if n else 0.0
    except Exception:  # noqa: BLE001 - a probe only; any trouble means "cannot tell"
        return 0.0


# ------------------------------------------------------------------- reader

_JUNK = re.compile(r"^[\W_]+$")
_COLNUM = re.compile(r"^\(?\d{1,2}\)?$")  # a column-number cell: 1, (2), 18
_NUMBER_CELL = re.compile(r"^\(?(\d{1,2})\)?$")
_NUM_COMMA = re.compile(r"^(\d{1,3}),$")  # a numbering "1." read as "1," at low resolution


@dataclass
class ScannedReader:
    """``PageReader`` for pages that need OCR (see ``needs_ocr``)."""

    name: str = "scanned"
    engine: OcrEngine = field(default_factory=TesseractEngine)
    ocr_dpi: int = 300  # pages scanned below this are upsampled for Tesseract
    orient: bool = True
    deskew: bool = True
    psm: int = 3
    # Read every text cell on its own (cells stacked on a strip, one OCR call
    # per 40 cells) instead of assigning the page pass's words to cells.
    per_cell: bool = False
    _docs: dict[int, tuple[Any, Any]] = field(default_factory=dict, repr=False)

    # -- plumbing
    def _pdfium(self, pdf: pdfplumber.PDF) -> Any:
        key = id(pdf)
        hit = self._docs.get(key)
        if hit is not None and hit[0] is pdf:
            return hit[1]
        doc = pdfium_document(pdf)
        self._docs = {key: (pdf, doc)}
        return doc

    def page_image(self, pdf: pdfplumber.PDF, page_no: int) -> imaging.PageImage:
        page = pdf.pages[page_no - 1]
        img = imaging.render_page(self._pdfium(pdf), page)
        if self.orient:
            img = imaging.fix_orientation(img, self.engine)
        if self.deskew:
            img = imaging.deskew(img)
        return img

    # -- the PageReader method
    def read_page(self, pdf: pdfplumber.PDF, page_no: int) -> PageResult:
        img = self.page_image(pdf, page_no)
        return self.read_image(img, page_no)

    def read_image(self, img: imaging.PageImage, page_no: int) -> PageResult:
        warnings = list(img.warnings)
        binary = imaging.binarize(img.gray, img.dpi)
        rulings = find_rulings(binary, img.dpi)
        grids = detect_tables(binary, img.dpi, rulings)
        # One OCR pass per page, upsampled to ~ocr_dpi, on a binarised image
        # with the rulings painted out (shaded cells defeat Tesseract's own
        # global threshold).
        f = 1.0
        if img.dpi < self.ocr_dpi * 0.8:
            f = min(3.0, self.ocr_dpi / img.dpi)
        mask = table_ruling_mask(rulings, grids, img.dpi)
        ocr_img = ocr_image(img.gray, mask, img.dpi, f)
        words = self._words(ocr_img, img.dpi, f, warnings, "OCR")
        clean_bin = _ink_without_rulings(binary, rulings, img.dpi)
        tables: list[Table] = []
        used: set[int] = set()
        for g in grids:
            try:
                t, u = self._table(g, img, words, clean_bin, page_no, warnings, ocr_img, f)
            except Exception as e:  # noqa: BLE001 - one bad table must not lose the page
                warnings.append(f"table at {g.box} skipped: {type(e).__name__}: {e}")
                continue
            tables.append(t)
            used |= u
        if tables:
            lowest = max(t.bbox[3] for t in tables)
            for t in tables:
                t.touches_page_bottom = abs(t.bbox[3] - lowest) < 1.0
        # Page text: the words outside tables as visual lines, top to bottom
        # (as the digital reader groups a text layer), one line per line.
        rest = [w for i, w in enumerate(words) if i not in used]
        text = "\n".join(_join_words(ln) for ln in _lines_by_geometry(rest))
        alt_text = ""
        if not tables and img.color is not None and _coloured_ink_share(img.color) > _STAMP_SHARE:
            alt_text = self._stampless_text(img, mask, f, warnings)
        return PageResult(page=page_no, kind="scanned", text=text, tables=tables, warnings=warnings, alt_text=alt_text)

    def _words(self, ocr_img: np.ndarray, dpi: float, f: float, warnings: list[str], what: str) -> list[Word]:
        """One OCR pass; boxes back in page-image pixels, junk dropped."""
        try:
            words = self.engine.words(ocr_img, dpi=round(dpi * f), psm=self.psm)
        except OcrError as e:
            warnings.append(f"{what} failed: {e}")
            return []
        if f != 1.0:
            for w in words:
                x0, y0, x1, y1 = w.bbox_px
                w.bbox_px = (int(x0 / f), int(y0 / f), round(x1 / f), round(y1 / f))
        return [w for w in words if not (_JUNK.match(w.text) and w.conf < 60)]

    def _stampless_text(self, img: imaging.PageImage, mask: np.ndarray, f: float, warnings: list[str]) -> str:
        """The page read again with coloured ink faded out.

        A date typed over the stamp ("Pada tanggal 30 Desember 2020" under a
        purple seal) is lost in the grey image; in the per-pixel maximum of
        the colour channels coloured ink turns light and black type stays.
        Handwriting in blue ink fades too, so this is a second reading for
        the facts, not the page text.
        """
        gray = img.color.max(axis=2).astype(np.uint8)
        words = self._words(ocr_image(gray, mask, img.dpi, f), img.dpi, f, warnings, "OCR (stamp faded)")
        return "\n".join(_join_words(ln) for ln in _lines_by_geometry(words))

    def _rescue(self, boxes: list[tuple[int, int, int, int]], ocr_img: np.ndarray, f: float,
                dpi: float) -> list[list[Word]]:
        strip, slots = _strip(boxes, ocr_img, f, dpi)
        try:
            ws = self.engine.words(strip, dpi=round(dpi * f), psm=6)
        except OcrError:
            return [[] for _ in boxes]
        out: list[list[Word]] = [[] for _ in boxes]
        for w in ws:
            if _JUNK.match(w.text) and w.conf < 60:
                continue
            cy = (w.bbox_px[1] + w.bbox_px[3]) / 2.0
            for k, (sy0, sy1, gx, a, b, h) in enumerate(slots):
                if sy0 - 2 <= cy <= sy1 + 2:
                    x0 = (w.bbox_px[0] - gx + a) / f
                    x1 = (w.bbox_px[2] - gx + a) / f
                    y0 = (w.bbox_px[1] - sy0 + b) / f
                    y1 = (w.bbox_px[3] - sy0 + b) / f
                    out[k].append(Word(w.text, (int(x0), int(y0), round(x1), round(y1)), w.conf))
                    break
        return out

    def _rescue_rotated(self, boxes: list[tuple[int, int, int, int]], ocr_img: np.ndarray, f: float,
                        dpi: float) -> list[list[Word]]:
        """Cells whose text runs vertically: read them turned both ways and keep,
        per cell, the reading with more confident letters."""
        # One direction for the whole table (labels are all set the same way):
        # the direction with more confident letters over all cells wins.
        best_total, best = -1.0, [[] for _ in boxes]
        for code in (cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_90_COUNTERCLOCKWISE):
            strip, slots = _strip(boxes, ocr_img, f, dpi, rotate=code)
            try:
                ws = self.engine.words(strip, dpi=round(dpi * f), psm=6)
            except OcrError:
                continue
            per: list[list[Word]] = [[] for _ in boxes]
            for w in ws:
                if _JUNK.match(w.text) and w.conf < 60:
                    continue
                cy = (w.bbox_px[1] + w.bbox_px[3]) / 2.0
                for k, (sy0, sy1, *_rest) in enumerate(slots):
                    if sy0 - 2 <= cy <= sy1 + 2:
                        per[k].append(w)
                        break
            total = sum(w.conf * len(w.text) for wl in per for w in wl if any(ch.isalnum() for ch in w.text))
            if total > best_total:
                best_total = total
                best = []
                for k, wl in enumerate(per):
                    x0, y0, _x1, y1 = boxes[k]
                    best.append([Word(w.text, (x0 + j, y0, x0 + j + 1, y1), w.conf) for j, w in enumerate(wl)])
        return best

    # -- tables
    def _table(self, g: Grid, img: imaging.PageImage, words: list[Word], clean_bin: np.ndarray,
               page_no: int, warnings: list[str], ocr_img: np.ndarray | None = None,
               f: float = 1.0) -> tuple[Table, set[int]]:
        owner = np.full((g.n_rows, g.n_cols), -1, int)
        for i, gc in enumerate(g.cells):
            owner[gc.row: gc.row + gc.row_span, gc.col: gc.col + gc.col_span] = i
        buckets: list[list[int]] = [[] for _ in g.cells]
        used: set[int] = set()
        x0, y0, x1, y1 = g.box
        for wi, w in enumerate(words):
            cx = (w.bbox_px[0] + w.bbox_px[2]) / 2.0
            cy = (w.bbox_px[1] + w.bbox_px[3]) / 2.0
            if not (x0 <= cx <= x1 and y0 <= cy <= y1):
                continue
            c = min(max(int(np.searchsorted(g.col_edges, cx, side="right")) - 1, 0), g.n_cols - 1)
            r = min(max(int(np.searchsorted(g.row_edges, cy, side="right")) - 1, 0), g.n_rows - 1)
            if _straddles(w, g, r):
                continue  # read again per cell (rescue below)
            buckets[owner[r, c]].append(wi)
            used.add(wi)

        mark_cols = _mark_columns(g)
        lo, hi = (mark_cols[0], mark_cols[-1]) if mark_cols else (-1, -2)
        in_marks = [lo <= gc.col and gc.col + gc.col_span - 1 <= hi for gc in g.cells]
        if self.per_cell:
            for i in range(len(g.cells)):
                if not in_marks[i]:
                    buckets[i] = []

        def rescue(idx: list[int], rotate: bool = False) -> None:
            """Read again, one strip per 40 cells, the cells the page pass left empty."""
            todo = [i for i in idx if (not buckets[i] or _mean_conf(words, buckets[i]) < RESCUE_CONF)
                    and _ink_mm2(clean_bin, g.cells[i].box, img.dpi, 0.0) >= 0.1]
            if not todo or ocr_img is None:
                return
            for k in range(0, len(todo), 40):
                part = todo[k: k + 40]
                boxes = [g.cells[i].box for i in part]
                if rotate:
                    extra = self._rescue_rotated(boxes, ocr_img, f, img.dpi)
                else:
                    extra = self._rescue(boxes, ocr_img, f, img.dpi)
                for i, ws in zip(part, extra):
                    if not ws:
                        continue
                    if buckets[i]:
                        if sum(w.conf for w in ws) / len(ws) <= _mean_conf(words, buckets[i]):
                            continue  # the page pass read it better
                        buckets[i] = []
                    for w in ws:
                        words.append(w)
                        buckets[i].append(len(words) - 1)
                        used.add(len(words) - 1)

        # 1. Cells outside the month columns are always text.
        rescue([i for i in range(len(g.cells)) if not in_marks[i]])
        # 2. Header rows (their month cells hold labels, not marks). A spanning
        #    label over the months near the top is read first if the page pass
        #    missed it: it decides the header band.
        rescue([i for i, gc in enumerate(g.cells) if in_marks[i] and gc.col_span >= 2 and gc.row <= 2])
        header_rows = _header_rows(g, mark_cols, buckets, words) if mark_cols else set()
        is_mark = [
            in_marks[i] and all(r not in header_rows for r in range(gc.row, gc.row + gc.row_span))
            for i, gc in enumerate(g.cells)
        ]
        # 3. Header labels in the month columns; tall narrow ones are set
        #    vertically (month names turned 90 degrees).
        head = [i for i, gc in enumerate(g.cells) if in_marks[i] and not is_mark[i]]
        tall = [i for i in head if _is_tall(g.cells[i].box)]
        if tall:
            for i in tall:
                buckets[i] = []
            rescue(tall, rotate=True)
        rescue([i for i in head if i not in tall])
        body_rows = {r for gc, m in zip(g.cells, is_mark) if m for r in range(gc.row, gc.row + gc.row_span)}
        others = [gc for i, gc in enumerate(g.cells) if not in_marks[i] and gc.row in body_rows]
        marks = _decide_marks(g, [gc for gc, m in zip(g.cells, is_mark) if m], img, clean_bin, others)

        cells: list[Cell] = []
        for i, gc in enumerate(g.cells):
            bbox = _r(img.upright_pt(gc.box))
            if is_mark[i]:
                mark, conf = marks[(gc.row, gc.col)]
                cells.append(Cell(page_no, gc.row, gc.col, gc.row_span, gc.col_span, bbox, "", mark, conf))
                continue
            ws = [words[k] for k in buckets[i]]
            text = _NUM_COMMA.sub(r"\1.", _join_words_cell(ws))
            if ws:
                n = sum(len(w.text) for w in ws) or 1
                conf = sum(w.conf * len(w.text) for w in ws) / n / 100.0
            else:
                conf = 1.0 if _ink_mm2(clean_bin, gc.box, img.dpi, 0.0) < 0.1 else 0.3  # ink, no text
            cells.append(Cell(page_no, gc.row, gc.col, gc.row_span, gc.col_span, bbox, text, False,
                              round(float(conf), 3)))
        _repair_number_rows(cells)
        if mark_cols:
            _repair_month_labels(cells, set(mark_cols))
        # Page bbox and edges in points.
        # Coordinates: points in the upright frame (see PageImage.upright_pt).
        s = 72.0 / img.dpi
        tb = _r(img.upright_pt(g.box))
        col_edges = [round(float(x) * s, 2) for x in g.col_edges]
        row_edges = [round(float(y) * s, 2) for y in g.row_edges]
        table = Table(page=page_no, bbox=tb, n_rows=g.n_rows, n_cols=g.n_cols, col_edges=col_edges,
                      row_edges=row_edges, cells=cells, reader="scanned")
        return table, used


def _r(b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return (round(float(b[0]), 2), round(float(b[1]), 2), round(float(b[2]), 2), round(float(b[3]), 2))


OCR_THRESH_C = 25


_STAMP_SHARE = 0.002  # share of strongly coloured pixels that says "stamp or signature here"


def _coloured_ink_share(color: np.ndarray) -> float:
    """Share of pixels in saturated, not-dark colour (stamps, signatures, seals)."""
    hsv = cv2.cvtColor(color, cv2.COLOR_BGR2HSV)
    return float(np.count_nonzero((hsv[..., 1] > 80) & (hsv[..., 2] > 60))) / max(hsv.shape[0] * hsv.shape[1], 1)


def ocr_image(gray: np.ndarray, ruling_mask: np.ndarray, dpi: float, factor: float = 1.0) -> np.ndarray:
    """Black-on-white binary image for OCR: upsampled by ``factor``, locally
    thresholded, rulings and specks removed."""
    g = gray if factor == 1.0 else cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    d = dpi * factor
    block = max(11, round(d / 200.0 * 31) | 1)
    b = cv2.adaptiveThreshold(cv2.GaussianBlur(g, (3, 3), 0), 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C,
                              cv2.THRESH_BINARY_INV, block, OCR_THRESH_C)
    m = ruling_mask if factor == 1.0 else cv2.resize(ruling_mask, (g.shape[1], g.shape[0]),
                                                         interpolation=cv2.INTER_NEAREST)
    k = max(3, round(d / 100.0) | 1)
    m = cv2.dilate(m, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    b[m > 0] = 0
    _n, lab, st, _ = cv2.connectedComponentsWithStats(b, connectivity=8)
    small = st[:, cv2.CC_STAT_AREA] < max(3, int((d / 300.0) ** 2 * 12))
    small[0] = False
    b[small[lab]] = 0
    return 255 - b


def _straddles(w: Word, g: Grid, r: int) -> bool:
    """Does the word run across a drawn vertical ruling (two cells' text read as one)?"""
    x0, x1 = w.bbox_px[0], w.bbox_px[2]
    m = 0.15 * (x1 - x0)
    for j, e in enumerate(g.col_edges[1:-1], start=1):
        if x0 + m < e < x1 - m and g.v_present[r, j]:
            return True
    return False


RESCUE_CONF = 60.0  # cells read with less mean confidence are read again on their own


def _mean_conf(words: list[Word], idx: list[int]) -> float:
    return sum(words[k].conf for k in idx) / len(idx) if idx else 0.0


def _repair_number_rows(cells: list[Cell]) -> None:
    """The column-number row ("1 2 3 ... 18", numbering its columns) is an
    arithmetic sequence: when most of its cells read as col + k, a cell the
    OCR garbled (a lone "11" read as "- ta") is set to its col + k, with a
    low confidence."""
    by_row: dict[int, list[Cell]] = {}
    for c in cells:
        if c.row_span == 1 and c.col_span == 1 and not c.mark:
            by_row.setdefault(c.row, []).append(c)
    for row_cells in by_row.values():
        if len(row_cells) < 5:
            continue
        offsets = [int(m.group(1)) - c.col for c in row_cells if (m := _NUMBER_CELL.match(c.text))]
        if len(offsets) < 0.7 * len(row_cells):
            continue
        k, n = max(((o, offsets.count(o)) for o in set(offsets)), key=lambda t: t[1])
        if n < 0.7 * len(row_cells):
            continue
        for c in row_cells:
            m = _NUMBER_CELL.match(c.text)
            if not m or int(m.group(1)) - c.col != k:
                c.text = str(c.col + k)
                c.confidence = min(c.confidence, 0.5)




def _month_of(text: str) -> tuple[int, str] | None:
    """(month 1..12, style) of a month label, allowing one or two OCR slips
    ("Jull", "Mel", "Oxtober"); style is "full" or "abbr"."""
    from rapidfuzz.distance import Levenshtein

    t = text.strip().rstrip(".")
    if not t.isalpha() or len(t) < 3:
        return None
    best: tuple[int, int, str] | None = None
    for i, (full, abbr) in enumerate(zip(BULAN, BULAN_ABBR)):
        for name, style in ((full, "full"), (abbr, "abbr")):
            d = Levenshtein.distance(t.lower(), name.lower())
            if d <= (1 if len(name) <= 5 else 2) and (best is None or d < best[0]):
                best = (d, i + 1, style)
    return (best[1], best[2]) if best else None


def _repair_month_labels(cells: list[Cell], mark_cols: set[int]) -> None:
    """Month labels over the month columns are a closed, ordered set: when most
    cells of such a header row read as month (col + k), the others are set
    to the label their position gives, in the row's style and case."""
    by_row: dict[int, list[Cell]] = {}
    for c in cells:
        if c.col in mark_cols and c.row_span == 1 and c.col_span == 1 and not c.mark and c.text:
            by_row.setdefault(c.row, []).append(c)
    for row_cells in by_row.values():
        if len(row_cells) < max(4, 0.6 * len(mark_cols)):
            continue
        found = [(c, m) for c in row_cells if (m := _month_of(c.text))]
        if len(found) < 0.6 * len(row_cells):
            continue
        offsets = [m[0] - c.col for c, m in found]
        k = max(set(offsets), key=offsets.count)
        if offsets.count(k) < 0.6 * len(row_cells):
            continue
        styles = [m[1] for _, m in found]
        style = max(set(styles), key=styles.count)
        upper = sum(c.text.isupper() for c, _ in found) > len(found) / 2
        for c in row_cells:
            month = c.col + k
            if not 1 <= month <= 12:
                continue
            label = (BULAN if style == "full" else BULAN_ABBR)[month - 1]
            label = label.upper() if upper else label
            if c.text != label:
                c.text = label
                c.confidence = min(c.confidence, 0.6)


def _is_tall(box: tuple[int, int, int, int]) -> bool:
    return (box[3] - box[1]) > 1.8 * (box[2] - box[0])


def _strip(boxes: list[tuple[int, int, int, int]], ocr_img: np.ndarray, f: float, dpi: float,
           rotate: int | None = None) -> tuple[np.ndarray, list[tuple[int, int, int, int, int, int]]]:
    """Cell crops stacked one per line on a white strip; returns the strip and,
    per crop, (strip_y0, strip_y1, page_x0, page_y0) for mapping back."""
    crops = []
    pad = max(2, round(0.4 * dpi * f / 25.4))
    for x0, y0, x1, y1 in boxes:
        a, b = int(x0 * f) + pad, int(y0 * f) + pad
        c, d = int(x1 * f) - pad, int(y1 * f) - pad
        crop = ocr_img[max(b, 0): max(d, b + 1), max(a, 0): max(c, a + 1)]
        if rotate is not None:
            crop = cv2.rotate(crop, rotate)
        crops.append((crop, a, b))
    gap = max(10, round(2.5 * dpi * f / 25.4))
    width = max(c.shape[1] for c, _, _ in crops) + 2 * gap
    height = sum(c.shape[0] for c, _, _ in crops) + gap * (len(crops) + 1)
    strip = np.full((height, width), 255, np.uint8)
    slots = []
    y = gap
    for crop, a, b in crops:
        h, w = crop.shape
        strip[y: y + h, gap: gap + w] = crop
        slots.append((y, y + h, gap, a, b, h))
        y += h + gap
    return strip, slots


# ----------------------------------------------------------- mark columns

def _mark_columns(g: Grid) -> list[int]:
    """The month columns: a run of >= 4 narrow columns of near-equal width.

    When a header cell spans exactly a sub-run of them ("PELAKSANAAN (BULAN)"),
    its span wins (so a narrow KET column next to the months stays text)."""
    widths = np.diff(g.col_edges).astype(float)
    n = len(widths)
    if n < 5:
        return []
    best: tuple[int, int] = (0, 0)
    i = 0
    while i < n:
        j = i + 1
        while j < n:
            run = widths[i: j + 1]
            med = float(np.median(run))
            if np.all(np.abs(run - med) <= 0.25 * med):
                j += 1
            else:
                break
        if j - i > best[1] - best[0]:
            best = (i, j)
        i += 1
    a, b = best
    if b - a < 4:
        return []
    run_med = float(np.median(widths[a:b]))
    others = np.concatenate([widths[:a], widths[b:]])
    table_w = float(widths.sum())
    if others.size and run_med > 0.6 * float(np.median(others)) and run_med > 0.06 * table_w:
        return []
    cols = list(range(a, b))
    # A header cell spanning 4+ of these columns fixes the exact set.
    spans = [gc for gc in g.cells if gc.col_span >= 2 and gc.col >= a and gc.col + gc.col_span <= b and gc.row <= 2]
    if spans:
        s = max(spans, key=lambda gc: gc.col_span)
        same = [gc for gc in spans if gc.row == s.row]
        c0 = min(gc.col for gc in same)
        c1 = max(gc.col + gc.col_span for gc in same)
        if c1 - c0 >= 4:
            cols = list(range(c0, c1))
    return cols


def _header_rows(g: Grid, mark_cols: list[int], buckets: list[list[int]], words: list[Word]) -> set[int]:
    """Rows whose month cells hold header text (PELAKSANAAN, 1..12, JAN..DES)."""
    header: set[int] = set()
    lo, hi = mark_cols[0], mark_cols[-1]
    # A spanning cell with words near the top ("PELAKSANAAN (BULAN)", "JADWAL")
    # marks a header band: it and the row of month labels under it. (A body
    # row may merge month cells into one filled bar: that has no words.)
    for i, gc in enumerate(g.cells):
        if not (gc.col_span >= 2 and gc.col >= lo and gc.col + gc.col_span - 1 <= hi):
            continue
        if gc.row <= 2 and any(sum(ch.isalpha() for ch in words[k].text) >= 3 for k in buckets[i]):
            last = gc.row + gc.row_span - 1
            header |= set(range(last + 2))
    # Rows where most month cells carry distinct month/number tokens.
    by_row: dict[int, list[str]] = {}
    for i, gc in enumerate(g.cells):
        if gc.col < lo or gc.col > hi or gc.col_span != 1:
            continue
        toks = [words[k].text for k in buckets[i] if words[k].conf >= 50]
        tok = " ".join(toks).strip()
        if tok and MONTH_TOKEN.match(tok):
            by_row.setdefault(gc.row, []).append(tok.lower())
    need = max(3, len(mark_cols) // 2)
    for r, toks in by_row.items():
        if len(set(toks)) >= need:
            header.add(r)
    # The column-number row ("1 2 3 ... 18"): its text cells hold only numbers.
    texts: dict[int, list[str]] = {}
    for i, gc in enumerate(g.cells):
        if lo <= gc.col <= hi or gc.row_span != 1:
            continue
        t = " ".join(words[k].text for k in buckets[i]).strip()
        if t:
            texts.setdefault(gc.row, []).append(t)
    for r, ts in texts.items():
        if len(ts) >= 2 and all(_COLNUM.match(t) for t in ts):
            header.add(r)
    return {r for r in header if r < g.n_rows}


# ------------------------------------------------------------------- marks

def _ink_without_rulings(binary: np.ndarray, rulings: Any, dpi: float) -> np.ndarray:
    k = max(3, round(dpi / 75.0) | 1)
    mask = cv2.dilate(rulings.both, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    out = binary.copy()
    out[mask > 0] = 0
    # drop 1-2 px specks
    return cv2.morphologyEx(out, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (2, 2)))


def _interior(box: tuple[int, int, int, int], dpi: float, share: float = 0.12) -> tuple[int, int, int, int]:
    """The cell without its rulings: a margin of ``share`` of the size (marks
    sit in the middle) but at least ~0.25 mm."""
    x0, y0, x1, y1 = box
    m = max(2, round(0.5 * dpi / 25.4))
    mx = max(m, int(share * (x1 - x0)))
    my = max(m, int(share * (y1 - y0)))
    return x0 + mx, y0 + my, max(x0 + mx + 1, x1 - mx), max(y0 + my + 1, y1 - my)


def _ink_mm2(clean_bin: np.ndarray, box: tuple[int, int, int, int], dpi: float, share: float = 0.12,
             drop_bands: bool = False) -> float:
    """Ink in the cell interior in mm^2, counting only blobs above speck size.

    Absolute area, not a share of the cell: a tick is the same size in a
    short row and in a tall one."""
    x0, y0, x1, y1 = _interior(box, dpi, share)
    roi = clean_bin[y0:y1, x0:x1]
    if roi.size == 0:
        return 0.0
    px_mm2 = (dpi / 25.4) ** 2
    n, _, st, _ = cv2.connectedComponentsWithStats((roi > 0).astype(np.uint8), connectivity=8)
    if n <= 1:
        return 0.0
    areas = st[1:, cv2.CC_STAT_AREA].astype(float) / px_mm2
    H, W = roi.shape
    w, h = st[1:, cv2.CC_STAT_WIDTH], st[1:, cv2.CC_STAT_HEIGHT]
    # For marks: bands along the cell's sides are the edge of a shaded area or
    # a ruling's remains, never a tick (a digit "1" in a text cell may look so).
    band = ((w >= 0.8 * W) & (h <= 0.3 * H)) | ((h >= 0.8 * H) & (w <= 0.3 * W))
    if not drop_bands:
        band[:] = False
    return float(areas[(areas >= SPECK_MM2) & ~band].sum())


def _fill(img: imaging.PageImage, box: tuple[int, int, int, int], dpi: float, paper: float) -> float:
    """How much darker or more coloured than paper the cell's interior is (0..255)."""
    x0, y0, x1, y1 = _interior(box, dpi)
    g = img.gray[y0:y1, x0:x1]
    if g.size == 0:
        return 0.0
    dark = paper - float(np.median(g))
    sat = 0.0
    if img.color is not None:
        hsv = cv2.cvtColor(img.color[y0:y1, x0:x1], cv2.COLOR_BGR2HSV)
        sat = float(np.median(hsv[..., 1]))
    return max(dark, sat)


@dataclass
class Cut:
    threshold: float
    gap: float  # size of the jump the cut sits in (0 when none)


def learn_cut(values: Sequence[float], min_jump: float, absolute: float) -> Cut:
    """The first large jump in the sorted values (from the low end).

    A jump is large when it is at least ``min_jump`` and at least a quarter of
    the largest jump. Without one, all values are one class: marked when their
    median is above ``absolute``, else unmarked."""
    v = sorted(values)
    if len(v) < 2:
        return Cut(absolute, 0.0)
    gaps = np.diff(v)
    big = float(gaps.max())
    need = max(min_jump, 0.25 * big)
    for i, gp in enumerate(gaps):
        if gp >= need and v[i + 1] >= absolute * 0.5:
            return Cut((v[i] + v[i + 1]) / 2.0, float(gp))
    med = float(np.median(v))
    return Cut(-1.0 if med > absolute else float("inf"), 0.0)


INK_MIN_JUMP = 0.2  # mm^2 of ink
INK_ABSOLUTE = 0.3
SPECK_MM2 = 0.04
FILL_MIN_JUMP = 25.0  # grey levels / saturation
FILL_ABSOLUTE = 40.0


def _decide_marks(g: Grid, cells: list[GridCell], img: imaging.PageImage, clean_bin: np.ndarray,
                  others: Sequence[GridCell] = ()) -> dict[tuple[int, int], tuple[bool, float]]:
    """Mark or not, with a confidence, for each month cell. ``others``: the
    body rows' text cells; a row whose text cells are shaded like its month
    cells has a shaded background (a section row, zebra stripes), so only
    ink counts there."""
    if not cells:
        return {}
    dpi = img.dpi
    x0, y0, x1, y1 = g.box
    paper = float(np.percentile(img.gray[y0:y1, x0:x1], 95)) if img.gray[y0:y1, x0:x1].size else 255.0
    inks = [_ink_mm2(clean_bin, c.box, dpi, 0.0, drop_bands=True) for c in cells]  # a tick may sit at the top
    fills = [_fill(img, c.box, dpi, paper) for c in cells]
    ink_cut = learn_cut(inks, INK_MIN_JUMP, INK_ABSOLUTE)
    fill_cut = learn_cut(fills, FILL_MIN_JUMP, FILL_ABSOLUTE)
    shaded: dict[int, float] = {}  # row -> its background fill
    if np.isfinite(fill_cut.threshold) and others:
        by_row: dict[int, list[float]] = {}
        for c in others:
            if c.row_span == 1:  # a merged cell's median speaks for its other rows
                by_row.setdefault(c.row, []).append(_fill(img, c.box, dpi, paper))
        shaded = {r: float(np.median(fs)) for r, fs in by_row.items()
                  if sum(f > fill_cut.threshold for f in fs) >= 0.6 * len(fs)}
    out: dict[tuple[int, int], tuple[bool, float]] = {}
    for c, ink, fill in zip(cells, inks, fills):
        m_ink = ink > ink_cut.threshold
        # In a shaded row a month counts as filled only when clearly darker
        # or more coloured than the row's own background.
        m_fill = fill > fill_cut.threshold and (c.row not in shaded or fill > shaded[c.row] + 2 * FILL_MIN_JUMP)
        mark = m_ink or m_fill
        conf = min(_margin(ink, ink_cut, INK_MIN_JUMP), _margin(fill, fill_cut, FILL_MIN_JUMP)) if not mark else \
            max(_margin(ink, ink_cut, INK_MIN_JUMP) if m_ink else 0.0, _margin(fill, fill_cut, FILL_MIN_JUMP) if m_fill else 0.0)
        out[(c.row, c.col)] = (bool(mark), round(conf, 3))
    return out


def _margin(v: float, cut: Cut, min_jump: float) -> float:
    if not np.isfinite(cut.threshold) or cut.threshold < 0:
        return 0.9
    half = max(cut.gap, min_jump) / 2.0
    return float(min(1.0, 0.5 + 0.5 * abs(v - cut.threshold) / half))


# -------------------------------------------------------------------- text

def _lines_by_geometry(words: list[Word]) -> list[list[Word]]:
    """Words grouped into visual lines, top to bottom, left to right.

    A word joins a line when its vertical centre lies within half a line
    height of the line's running centre (no span growth, so a tall glyph or
    a stamp cannot swallow the lines below)."""
    ordered = sorted(words, key=lambda w: ((w.bbox_px[1] + w.bbox_px[3]) / 2.0, w.bbox_px[0]))
    lines: list[list[Word]] = []
    centres: list[float] = []
    heights: list[float] = []
    for w in ordered:
        cy = (w.bbox_px[1] + w.bbox_px[3]) / 2.0
        h = float(max(w.bbox_px[3] - w.bbox_px[1], 1))
        placed = False
        for i in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            if abs(cy - centres[i]) <= 0.5 * min(h, heights[i]) + 1:
                lines[i].append(w)
                n = len(lines[i])
                centres[i] += (cy - centres[i]) / n
                heights[i] = float(np.median([x.bbox_px[3] - x.bbox_px[1] for x in lines[i]]))
                placed = True
                break
        if not placed:
            lines.append([w])
            centres.append(cy)
            heights.append(h)
    for ln in lines:
        ln.sort(key=lambda w: w.bbox_px[0])
    return lines


def _join_words(line: list[Word]) -> str:
    return " ".join(w.text for w in line)


def _join_words_cell(words: list[Word]) -> str:
    return join_lines(_join_words(ln) for ln in _lines_by_geometry(words))


# --------------------------------------------------------------- parallel

def _worker(args: tuple[str, int, dict[str, Any]]) -> PageResult:
    import pdfplumber

    path, page_no, opts = args
    reader = ScannedReader(**opts)
    with pdfplumber.open(path) as pdf:
        return reader.read_page(pdf, page_no)


def read_pages(path: str, page_nos: Sequence[int], workers: int = 2, **opts: Any) -> list[PageResult]:
    """Read several pages of one file, in parallel across pages (at most 2 processes).

    Each worker runs Tesseract single-threaded (``OMP_THREAD_LIMIT=1``)."""
    workers = max(1, min(int(workers), 2, len(page_nos) or 1))
    jobs = [(str(path), int(n), opts) for n in page_nos]
    if workers == 1:
        return [_worker(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=workers) as ex:
        return list(ex.map(_worker, jobs))


__all__ = ["ScannedReader", "learn_cut", "needs_ocr", "read_pages"]
