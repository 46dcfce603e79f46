"""A page's objects through pdfium: the digital reader's fast route.

pdfminer's content-stream parse is most of the cost of a digital page
(0.085 s a page of the sample here); pdfium parses the same page in C.
``from_pdfium`` reads the characters from pdfium's text page and the paths
and images from its page objects, and puts them in exactly the frame and
shape ``pageobjects.from_layout`` gives (pdfminer's layout: the page's
``/Rotate`` applied, origin top-left, MediaBox-adjusted), so the reader
downstream cannot tell the routes apart. The tests hold this route to the
pdfminer one on every fixture.

What is rebuilt by hand, and why:
- a glyph's box is pdfminer's, from the origin, the advance and the font's
  descent, not pdfium's "loose" box (which spans ascent to descent, so is
  taller than the font size, and collapses for turned text);
- a path is split into subpaths and classed as line, rect or curve by
  pdfminer's own rule (``PDFLayoutAnalyzer.paint_path``), so edges and
  fills come out as pdfplumber makes them.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from pdfminer.utils import apply_matrix_pt as _apply
from pdfminer.utils import mult_matrix as _mult

from lampiran.extract.pageobjects import Obj, PageObjects, _orientation
from lampiran.extract.pdfium_text import NO_INK, Matrix, address, blank_char, glyphs, in_content_order, object_matrix, page_ctm

# pdfium's path segment and page object types (fpdf_edit.h)
_LINETO, _BEZIERTO, _MOVETO = raw.FPDF_SEGMENT_LINETO, raw.FPDF_SEGMENT_BEZIERTO, raw.FPDF_SEGMENT_MOVETO
_TEXT, _PATH, _IMAGE, _FORM = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM

def _colour(obj: Any) -> tuple[float, ...] | None:
    r, g, b, alpha = (ctypes.c_uint() for _ in range(4))
    if not raw.FPDFPageObj_GetFillColor(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(alpha)):
        return None
    return (r.value / 255, g.value / 255, b.value / 255)


def _subpaths(obj: Any) -> list[list[tuple[str, float, float]]]:
    """The path as pdfminer sees it: subpaths of (op, x, y), ``h`` where a
    segment closes its figure, a Bézier curve as one ``c`` to its end point."""
    out: list[list[tuple[str, float, float]]] = []
    cur: list[tuple[str, float, float]] = []
    n = raw.FPDFPath_CountSegments(obj)
    x, y = ctypes.c_float(), ctypes.c_float()
    bezier = 0
    for i in range(n):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        kind = raw.FPDFPathSegment_GetType(seg)
        raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        if kind == _MOVETO:
            if cur:
                out.append(cur)
            cur = [("m", x.value, y.value)]
            bezier = 0
        elif kind == _BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:  # two control points, then the end point
                cur.append(("c", x.value, y.value))
        else:
            cur.append(("l", x.value, y.value))
        if raw.FPDFPathSegment_GetClose(seg) and cur:
            cur.append(("h", cur[0][1], cur[0][2]))
    if cur:
        out.append(cur)
    return out


def _snap(v: float) -> float:
    """A coordinate pdfium kept in single precision, back on the thousandth of a
    point the producer wrote (567.41498 -> 567.415), so that rounding the
    stored boxes to 0.01 pt goes the way it goes for pdfminer's doubles."""
    r = round(v, 3)
    return r if abs(v - r) < 2e-4 else v


def _paint(obj: Any, m: Matrix, to_page: Any, edges: list[Obj], rects: list[Obj]) -> None:
    fillmode, stroke = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fillmode), ctypes.byref(stroke))
    fill = fillmode.value != 0
    colour = _colour(obj) if fill else None
    for sub in _subpaths(obj):
        shape = "".join(op for op, _, _ in sub)
        pts = [(_snap(x), _snap(y)) for x, y in (_apply(m, (px, py)) for _, px, py in sub)]
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts.pop(-2)
        if shape in ("mlh", "ml"):
            (x0, y0), (x1, y1) = pts[0], pts[1]
            e = to_page(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            orient = _orientation(e["x0"], e["top"], e["x1"], e["bottom"])
            if orient:
                e.update(orientation=orient, object_type="line")
                edges.append(e)
            continue
        if shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            closed = pts[0] == pts[4]
            square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
            if closed and square:
                r = to_page(min(x0, x2), min(y0, y2), max(x0, x2), max(y0, y2))
                r.update(width=r["x1"] - r["x0"], height=r["bottom"] - r["top"], fill=fill,
                         non_stroking_color=colour, object_type="rect")
                rects.append(r)
                edges.append({**r, "bottom": r["top"], "orientation": "h", "object_type": "rect_edge"})
                edges.append({**r, "top": r["bottom"], "orientation": "h", "object_type": "rect_edge"})
                edges.append({**r, "x1": r["x0"], "orientation": "v", "object_type": "rect_edge"})
                edges.append({**r, "x0": r["x1"], "orientation": "v", "object_type": "rect_edge"})
                continue
        # a curve: pdfplumber's curve_to_edges over its points
        tops = [to_page(px, py, px, py) for px, py in pts]
        for p0, p1 in zip(tops, tops[1:]):
            orient = _orientation(p0["x0"], p0["top"], p1["x0"], p1["top"])
            if orient:
                edges.append({"x0": min(p0["x0"], p1["x0"]), "x1": max(p0["x0"], p1["x0"]),
                              "top": min(p0["top"], p1["top"]), "bottom": max(p0["top"], p1["top"]),
                              "orientation": orient, "object_type": "curve_edge"})


def _walk(objs: list[Any], parent: Matrix, to_page: Any, edges: list[Obj], rects: list[Obj], images: list[Obj],
          blanks: list[tuple[int, Any, Matrix]], order: dict[int, int]) -> None:
    """Paths, images and inkless text objects, forms walked into; ``order``
    numbers the text objects in content order."""
    l, b, r, t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    for obj in objs:
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == _TEXT:
            order[address(obj)] = len(order)
            raw.FPDFPageObj_GetBounds(obj, ctypes.byref(l), ctypes.byref(b), ctypes.byref(r), ctypes.byref(t))
            if abs(r.value - l.value) < NO_INK:
                blanks.append((len(order) - 1, obj, _mult(object_matrix(raw.FPDFPageObj_GetMatrix, obj), parent)))
        elif kind == _PATH:
            _paint(obj, _mult(object_matrix(raw.FPDFPageObj_GetMatrix, obj), parent), to_page, edges, rects)
        elif kind == _IMAGE:
            m = _mult(object_matrix(raw.FPDFPageObj_GetMatrix, obj), parent)
            pts = [_apply(m, (x, y)) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
            images.append(to_page(min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)))
        elif kind == _FORM:
            m = _mult(object_matrix(raw.FPDFPageObj_GetMatrix, obj), parent)
            inner = [raw.FPDFFormObj_GetObject(obj, i) for i in range(raw.FPDFFormObj_CountObjects(obj))]
            _walk(inner, m, to_page, edges, rects, images, blanks, order)


class _Frame:
    """Layout-frame box (PDF y up) -> pdfplumber's (top-left origin)."""

    __slots__ = ("height", "mb_x0", "mb_top")

    def __init__(self, height: float, mb_x0: float, mb_top: float) -> None:
        self.height, self.mb_x0, self.mb_top = height, mb_x0, mb_top

    def __call__(self, x0: float, y0: float, x1: float, y1: float) -> Obj:
        return {"x0": x0 + self.mb_x0, "x1": x1 + self.mb_x0, "top": self.height - y1 + self.mb_top,
                "bottom": self.height - y0 + self.mb_top}


def from_pdfium(page: pdfium.PdfPage, mediabox: tuple[float, float, float, float], rotate: int,
                plumber_box: tuple[float, float], width: float, height: float, clip_text: bool = True) -> PageObjects:
    """A page's objects, in the frame ``from_layout`` gives.

    ``mediabox`` and ``rotate`` are the page's as pdfminer reads them;
    ``plumber_box`` is pdfplumber's MediaBox origin (x0, top); ``width`` and
    ``height`` pdfplumber's page size (turned by ``/Rotate``). Glyphs their
    clipping path cuts off are left out unless ``clip_text`` is False
    (``pdfium_text.clip_box``)."""
    ctm = page_ctm(mediabox, rotate % 360)
    mb_x0, mb_top = plumber_box

    to_page = _Frame(height, mb_x0, mb_top)

    edges: list[Obj] = []
    rects: list[Obj] = []
    images: list[Obj] = []
    handle = page.raw
    top_objs = [raw.FPDFPage_GetObject(handle, i) for i in range(raw.FPDFPage_CountObjects(handle))]
    blanks: list[tuple[int, Any, Matrix]] = []
    order: dict[int, int] = {}
    _walk(top_objs, ctm, to_page, edges, rects, images, blanks, order)
    textpage = raw.FPDFText_LoadPage(handle)
    try:
        chars, seqs = glyphs(textpage, ctm, to_page, order, clip_text)
    finally:
        raw.FPDFText_ClosePage(textpage)
    if blanks:
        chars = in_content_order(chars, seqs, [(seq, c) for seq, obj, m in blanks if (c := blank_char(obj, m, to_page))])
    return PageObjects(width, height, chars, edges, rects, images)

