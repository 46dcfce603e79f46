"""The scanned reader: a page image to text lines and tables of cells.

Per page, in order:
1. render at the scan's own resolution; geometry says whether the text
   runs across or down (``image.turn_candidates``); turn the likelier way,
   deskew. The page pass of step 3 is the test of the turn: a page whose
   words read poorly is read again turned 180 degrees, and the better
   reading is kept (no separate orientation pass: OSD and strip readings
   cost 40% of a 150 dpi scan's OCR, and the page pass is needed anyway);
   the tables are read once, for the turn kept;
2. ``find_grids``: binarise, rulings, ruled grids (``scan.grid``);
3. ``read_words``: one OCR pass over the page (upsampled to ~300 dpi,
   binarised, table rulings painted out);
4. per table, ``read_table``: words assigned to cells by their centre; cells
   the page pass left empty or read poorly, and words that ran across a
   drawn ruling, are read again (cell crops stacked on one strip, one
   Tesseract call per batch, ``--psm 6``); header labels set vertically are
   read turned; the month cells are decided by ink and fill (``scan.omr``),
   never as text; structural repairs (``scan.repair``);
5. the page text outside the tables, and for body pages under a coloured
   stamp a second reading with the colour faded (for the SK's facts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from lampiran.extract.base import PageResult
from lampiran.extract.heading import Line, name_tables
from lampiran.extract.lattice import GridCell
from lampiran.extract.pdf import pdfium_document
from lampiran.extract.scan import image as imaging
from lampiran.extract.scan.cells import CellWords, assign_words
from lampiran.extract.scan.fact_lines import reread_fact_lines
from lampiran.extract.scan.grid import Grid, Rulings, detect_tables, find_rulings, table_ruling_mask
from lampiran.extract.scan.layout import header_rows, is_tall, mark_columns, split_label_cells
from lampiran.extract.scan.ocr import (OcrEngine, OcrError, Word, cell_strip, is_junk, make_engine, ocr_image,
                                       reading_quality, slot_of, text_height_px, upsample_factor)
from lampiran.extract.scan.omr import decide_marks, ink_mm2, ink_without_rulings
from lampiran.extract.scan.repair import repair_enumeration, repair_month_labels, repair_number_rows
from lampiran.extract.scan.settings import ScanSettings
from lampiran.extract.scan.words import join_words, lines_by_geometry
from lampiran.model.interim import Cell, Table
from lampiran.model.warnings import notice

if TYPE_CHECKING:
    import pdfplumber

Box = tuple[int, int, int, int]


@dataclass
class PageOcr:
    """One page's OCR image and its scale against the page image."""

    image: np.ndarray  # binarised, rulings painted out, upsampled by ``factor``
    factor: float
    dpi: float  # the page image's resolution
    text_px: float | None = None  # the page's letters' height (``ocr.text_height_px``) the factor was chosen by


@dataclass
class PagePass:
    """A page image's grids and its OCR pass: enough to judge its turn, and
    what its tables are then read from."""

    img: imaging.PageImage
    binary: np.ndarray
    clean: np.ndarray  # the binary page without its rulings (``omr.ink_without_rulings``)
    rulings: Rulings
    grids: list[Grid]
    mask: np.ndarray  # the rulings painted out before OCR
    ocr: PageOcr
    words: list[Word]
    warnings: list[str]


@dataclass
class ScannedReader:
    """``PageReader`` for pages that need OCR (see ``extract.route``)."""

    name: str = "scanned"
    engine: OcrEngine = field(default_factory=make_engine)
    settings: ScanSettings = field(default_factory=ScanSettings)
    orient: bool = True
    deskew: bool = True
    # Read every text cell on its own (cells stacked on a strip) instead of
    # assigning the page pass's words to cells.
    per_cell: bool = False
    dpi: float | None = None  # render resolution (None: the scan's own)
    _docs: dict[int, tuple[Any, Any]] = field(default_factory=dict, repr=False)

    # -- the PageReader method
    def read_page(self, pdf: pdfplumber.PDF, page_no: int) -> PageResult:
        img = imaging.render_page(self._pdfium(pdf), pdf.pages[page_no - 1], self.dpi)
        if not self.orient:
            return self.read_image(self._deskewed(img), page_no)
        s = self.settings
        tried: list[tuple[float, int, PagePass]] = []
        for turn in imaging.turn_candidates(img, s):
            pp = self._page_pass(self._deskewed(imaging.rotate_quadrant(img, turn)))
            if turn:
                pp.warnings.append(notice("turned_page", f"page turned {turn} degrees"))
            share, n = reading_quality(pp.words)
            if share >= s.upright_share and n >= s.upright_min_words:
                return self._read_tables(pp, page_no)  # reads well this way: the other turn is not read
            tried.append((share * n, turn, pp))
        # Only the page passes are compared: the tables are read once, for the
        # turn kept (a page that reads poorly both ways, a spreadsheet printed
        # small, had its cells read again for both: 224 s for 13 pages).
        best = max(tried, key=lambda t: t[0])  # ties: the likelier turn, tried first
        if best[0] > 0:
            best[2].warnings.append(notice("orientation_guess", "orientation by OCR confidence: "
                                           + ", ".join(f"{t} degrees {sc:.1f}" for sc, t, _ in tried)))
        return self._read_tables(best[2], page_no)

    def page_image(self, pdf: pdfplumber.PDF, page_no: int) -> imaging.PageImage:
        """The page rendered, turned the likelier way by its geometry, deskewed
        (without the OCR test of the turn that ``read_page`` makes)."""
        img = imaging.render_page(self._pdfium(pdf), pdf.pages[page_no - 1], self.dpi)
        if self.orient:
            img = imaging.rotate_quadrant(img, imaging.turn_candidates(img, self.settings)[0])
        return self._deskewed(img)

    def _deskewed(self, img: imaging.PageImage) -> imaging.PageImage:
        return imaging.deskew(img) if self.deskew else img

    def _pdfium(self, pdf: pdfplumber.PDF) -> Any:
        key = id(pdf)
        hit = self._docs.get(key)
        if hit is not None and hit[0] is pdf:
            return hit[1]
        doc = pdfium_document(pdf)
        self._docs = {key: (pdf, doc)}
        return doc

    def read_image(self, img: imaging.PageImage, page_no: int) -> PageResult:
        return self._read_tables(self._page_pass(img), page_no)

    def _page_pass(self, img: imaging.PageImage) -> PagePass:
        """The page's grids and its one OCR pass (what the turn is judged by)."""
        warnings = list(img.warnings)
        binary = imaging.binarize(img.gray, img.dpi)
        rulings = find_rulings(binary, img.dpi)
        # One row is a table: a plan's last row alone at the top of a page (a
        # random variant at 150 dpi lost it, and its months, so), as the
        # digital reader's ``GridSettings.min_rows`` has it.
        grids = detect_tables(binary, img.dpi, rulings, min_rows=1, gray=img.gray)
        mask = table_ruling_mask(rulings, grids, img.dpi)
        clean = ink_without_rulings(binary, rulings, img.dpi)
        ocr = self._ocr_page(img.gray, mask, img.dpi, fine=bool(grids), text_px=text_height_px(clean, img.dpi))
        words = self._words(ocr, warnings, "OCR")
        return PagePass(img, binary, clean, rulings, grids, mask, ocr, words, warnings)

    def _read_tables(self, pp: PagePass, page_no: int) -> PageResult:
        """The page's tables from its page pass, and the text outside them."""
        img, words, warnings, clean_bin = pp.img, pp.words, pp.warnings, pp.clean
        tables: list[Table] = []
        used: set[int] = set()
        for g in pp.grids:
            try:
                t, cw = self.read_table(g, img, words, clean_bin, page_no, pp.ocr)
            except Exception as e:  # noqa: BLE001 - one bad table must not lose the page
                warnings.append(notice("table_skipped", f"table at {g.box} skipped: {type(e).__name__}: {e}"))
                continue
            tables.append(t)
            used |= cw.page_used
        if tables:
            lowest = max(t.bbox[3] for t in tables)
            for t in tables:
                t.touches_page_bottom = abs(t.bbox[3] - lowest) < 1.0
        # Page text: the words outside tables as visual lines, top to bottom
        # (as the digital reader groups a text layer), one line per line.
        rest = [w for i, w in enumerate(words) if i not in used]
        lines = lines_by_geometry(rest)
        text, doubts = reread_fact_lines(lines, img, pp.ocr.factor, self.engine, self.settings.junk_conf)
        name_tables(tables, [_line_pt(ln, img) for ln in lines])
        alt_text = ""
        if not tables and img.color is not None and imaging.coloured_ink_share(img.color) > self.settings.stamp_share:
            alt_text = self._stampless_text(pp)
        return PageResult(page_no, "scanned", text, tables, warnings, alt_text, doubts)

    # -- OCR passes
    def _ocr_page(self, gray: np.ndarray, mask: np.ndarray, dpi: float, fine: bool = False,
                  text_px: float | None = None) -> PageOcr:
        """The page for one OCR pass: upsampled towards ``ocr_dpi``, and
        further where its letters (``text_px`` tall) are small, binarised
        with the rulings painted out (shaded cells defeat Tesseract's own
        global threshold); ``fine``: a page with a table, whose small text
        keeps its fine parts (``ocr.ocr_image``)."""
        s = self.settings
        f = upsample_factor(dpi, text_px, s)
        return PageOcr(ocr_image(gray, mask, dpi, f, s.ocr_threshold_c, fine), f, dpi, text_px)

    def _words(self, ocr: PageOcr, warnings: list[str], what: str) -> list[Word]:
        """One OCR pass; boxes back in page-image pixels, junk dropped."""
        f = ocr.factor
        try:
            words = self.engine.words(ocr.image, dpi=round(ocr.dpi * f), psm=self.settings.psm)
        except OcrError as e:
            warnings.append(notice("ocr_failed", f"{what} failed: {e}"))
            return []
        if f != 1.0:
            for w in words:
                x0, y0, x1, y1 = w.bbox_px
                w.bbox_px = (int(x0 / f), int(y0 / f), round(x1 / f), round(y1 / f))
        return [w for w in words if not is_junk(w, self.settings.junk_conf)]

    def _stampless_text(self, pp: PagePass) -> str:
        """The page read again with coloured ink faded out.

        A date typed over the stamp ("Pada tanggal 30 Desember 2020" under a
        purple seal) is lost in the grey image; in the per-pixel maximum of
        the colour channels coloured ink turns light and black type stays.
        Handwriting in blue ink fades too, so this is a second reading for
        the facts, not the page text.
        """
        ocr = self._ocr_page(pp.img.color.max(axis=2).astype(np.uint8), pp.mask, pp.img.dpi, text_px=pp.ocr.text_px)
        words = self._words(ocr, pp.warnings, "OCR (stamp faded)")
        return "\n".join(join_words(ln) for ln in lines_by_geometry(words))

    def _read_strip(self, boxes: list[Box], ocr: PageOcr, rotate: int | None = None) -> list[list[Word]]:
        """Words of each cell crop, the crops stacked on one strip (``--psm 6``);
        boxes back in the crop's place on the page image (``rotate``: the
        crops turned, boxes only spread along the cell)."""
        f = ocr.factor
        strip, slots = cell_strip(boxes, ocr.image, f, ocr.dpi, rotate=rotate)
        try:
            ws = self.engine.words(strip, dpi=round(ocr.dpi * f), psm=6)
        except OcrError:
            return [[] for _ in boxes]
        out: list[list[Word]] = [[] for _ in boxes]
        spans = [(sy0, sy1) for sy0, sy1, *_ in slots]
        for w in ws:
            k = None if is_junk(w, self.settings.junk_conf) else slot_of(w, spans)
            if k is None:
                continue
            sy0, _sy1, gx, a, b, _h = slots[k]
            if rotate is None:
                x0, x1 = (w.bbox_px[0] - gx + a) / f, (w.bbox_px[2] - gx + a) / f
                y0, y1 = (w.bbox_px[1] - sy0 + b) / f, (w.bbox_px[3] - sy0 + b) / f
                out[k].append(Word(w.text, (int(x0), int(y0), round(x1), round(y1)), w.conf))
            else:
                out[k].append(w)
        return out

    def _read_turned(self, boxes: list[Box], ocr: PageOcr) -> list[list[Word]]:
        """Cells whose text runs vertically, read turned both ways.

        One direction for the whole table (labels are all set the same way):
        the direction with more confident letters over all cells wins."""
        best_total, best = -1.0, [[] for _ in boxes]
        for code in (cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_90_COUNTERCLOCKWISE):
            per = self._read_strip(boxes, ocr, rotate=code)
            total = sum(w.conf * len(w.text) for wl in per for w in wl if any(ch.isalnum() for ch in w.text))
            if total > best_total:
                best_total = total
                # Words in reading order, spread along the cell one pixel apart.
                best = [[Word(w.text, (b[0] + j, b[1], b[0] + j + 1, b[3]), w.conf) for j, w in enumerate(wl)]
                        for b, wl in zip(boxes, per)]
        return best

    def _rescue(self, cw: CellWords, idx: list[int], ocr: PageOcr, clean_bin: np.ndarray,
                turned: bool = False, every: bool = False) -> None:
        """Read again the cells of ``idx`` that the page pass left empty or read
        poorly (and that hold ink), or with ``every`` all of them; keep a
        reading only where it is more sure. Poorly: the cell's mean word
        confidence under ``rescue_conf``."""
        s = self.settings
        cells = cw.grid.cells

        def unsure(i: int) -> bool:
            return every or cw.conf(i) < s.rescue_conf

        todo = [i for i in idx if (not cw.words[i] or unsure(i))
                and ink_mm2(clean_bin, cells[i].box, ocr.dpi, 0.0) >= s.rescue_min_ink_mm2]
        for k in range(0, len(todo), s.rescue_batch):
            part = todo[k: k + s.rescue_batch]
            boxes = [cells[i].box for i in part]
            extra = self._read_turned(boxes, ocr) if turned else self._read_strip(boxes, ocr)
            for i, ws in zip(part, extra):
                if not ws:
                    continue
                if cw.words[i] and sum(w.conf for w in ws) / len(ws) <= cw.conf(i):
                    continue  # the page pass read it better
                cw.words[i] = list(ws)

    # -- one table
    def read_table(self, g: Grid, img: imaging.PageImage, words: list[Word], clean_bin: np.ndarray,
                   page_no: int, ocr: PageOcr) -> tuple[Table, CellWords]:
        cw = assign_words(g, words)
        months = mark_columns(g, self.settings)
        lo, hi = (months[0], months[-1]) if months else (-1, -2)
        in_marks, _ = _month_flags(g.cells, lo, hi, set())
        if self.per_cell:
            for i in range(len(g.cells)):
                if not in_marks[i]:
                    cw.words[i] = []
        # 1. Cells outside the month columns are always text.
        self._rescue(cw, [i for i in range(len(g.cells)) if not in_marks[i]], ocr, clean_bin)
        # 2. A spanning label over the months near the top ("PELAKSANAAN
        #    (BULAN)") is read first if the page pass missed it: it decides
        #    the header band.
        self._rescue(cw, [i for i, gc in enumerate(g.cells) if in_marks[i] and gc.col_span >= 2 and gc.row <= 2],
                     ocr, clean_bin)
        head_rows = header_rows(g, months, cw.words, self.settings) if months else set()
        # The header labels name the columns: each is read again on its own
        # and the surer reading kept. One unsure word among sure ones ("PENANGGUNG
        # JAWAB" wrapped in a narrow shaded cell read as "PENANGGU" at 50 and
        # "NG" at 96: a mean of 73) and a label the page pass took for part of
        # the turned month names beside it (a shaded "KET." read "X m 2" at a
        # mean of 80; alone, "KET." at 97) both lost their column's role. The
        # nine plan fixtures at 150 dpi read the same with this as without it.
        self._rescue(cw, [i for i, gc in enumerate(g.cells) if not in_marks[i] and gc.row in head_rows],
                     ocr, clean_bin, every=True)
        in_marks, is_mark = _month_flags(g.cells, lo, hi, head_rows)
        # 3. Header labels in the month columns; tall narrow ones are set
        #    vertically (month names turned 90 degrees).
        head = [i for i, gc in enumerate(g.cells) if in_marks[i] and not is_mark[i]]
        tall = [i for i in head if is_tall(g.cells[i].box, self.settings.tall_ratio)]
        for i in tall:
            cw.words[i] = []
        self._rescue(cw, tall, ocr, clean_bin, turned=True)
        self._rescue(cw, [i for i in head if i not in tall], ocr, clean_bin)
        if head_rows:
            g.cells, cw.words = split_label_cells(g, cw.words, months, head_rows)
            in_marks, is_mark = _month_flags(g.cells, lo, hi, head_rows)
        # 4. Month cells: ink and fill, against the body rows' text cells.
        body_rows = {r for gc, m in zip(g.cells, is_mark) if m for r in range(gc.row, gc.row + gc.row_span)}
        others = [gc for i, gc in enumerate(g.cells) if not in_marks[i] and gc.row in body_rows]
        marks = decide_marks(g, [gc for gc, m in zip(g.cells, is_mark) if m], img, clean_bin, others, self.settings)
        cells = self._cells(g, cw, is_mark, marks, img, clean_bin, page_no)
        # 5. Repairs the table's structure makes safe.
        repair_number_rows(cells)
        repair_enumeration(cells)
        if months:
            repair_month_labels(cells, set(months))
        return _table(g, img, cells, page_no), cw

    def _cells(self, g: Grid, cw: CellWords, is_mark: list[bool], marks: dict[tuple[int, int], tuple[bool, float, str]],
               img: imaging.PageImage, clean_bin: np.ndarray, page_no: int) -> list[Cell]:
        cells: list[Cell] = []
        for i, gc in enumerate(g.cells):
            bbox = _r(img.upright_pt(gc.box))
            if is_mark[i]:
                mark, conf, fill = marks[(gc.row, gc.col)]
                cells.append(Cell(page_no, gc.row, gc.col, gc.row_span, gc.col_span, bbox, "", mark, conf, fill))
                continue
            ws = cw.words[i]
            if ws:
                n = sum(len(w.text) for w in ws) or 1
                conf = sum(w.conf * len(w.text) for w in ws) / n / 100.0
            else:  # no words: sure of an empty cell, unsure of one with ink
                conf = 1.0 if ink_mm2(clean_bin, gc.box, img.dpi, 0.0) < self.settings.rescue_min_ink_mm2 else 0.3
            cells.append(Cell(page_no, gc.row, gc.col, gc.row_span, gc.col_span, bbox, cw.text(i), False,
                              round(float(conf), 3)))
        return cells


def _month_flags(cells: list[GridCell], lo: int, hi: int, head_rows: set[int]) -> tuple[list[bool], list[bool]]:
    """Per cell: does it lie within the month columns ``lo..hi``; and is it a
    month cell to decide by ink and fill (none of its rows a header row)?"""
    in_marks = [lo <= gc.col and gc.col + gc.col_span - 1 <= hi for gc in cells]
    is_mark = [m and all(r not in head_rows for r in range(gc.row, gc.row + gc.row_span))
               for m, gc in zip(in_marks, cells)]
    return in_marks, is_mark


def _table(g: Grid, img: imaging.PageImage, cells: list[Cell], page_no: int) -> Table:
    """The grid in points, in the upright frame (see ``PageImage.upright_pt``)."""
    s = 72.0 / img.dpi
    return Table(page=page_no, bbox=_r(img.upright_pt(g.box)), n_rows=g.n_rows, n_cols=g.n_cols,
                 col_edges=[round(float(x) * s, 2) for x in g.col_edges],
                 row_edges=[round(float(y) * s, 2) for y in g.row_edges], cells=cells, reader="scanned")


def _line_pt(words: list[Word], img: imaging.PageImage) -> Line:
    """A line of words with its box in points, in the upright frame."""
    x0, top, x1, bottom = img.upright_pt((min(w.bbox_px[0] for w in words), min(w.bbox_px[1] for w in words),
                                         max(w.bbox_px[2] for w in words), max(w.bbox_px[3] for w in words)))
    return Line(join_words(words), x0, top, x1, bottom)


def _r(b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return (round(float(b[0]), 2), round(float(b[1]), 2), round(float(b[2]), 2), round(float(b[3]), 2))


def read_page_file(path: str, page_no: int, reader: ScannedReader | None = None,
                   password: str | None = None) -> PageResult:
    """Read one page of a file (a worker's unit of work: a path, not an open document)."""
    import pdfplumber

    reader = reader or ScannedReader()
    with pdfplumber.open(path, password=password) as pdf:
        return reader.read_page(pdf, page_no)
