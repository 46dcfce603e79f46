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

from lampiran.extract.pageobjects import Obj, PageObjects, _orientation, is_upright

Matrix = tuple[float, float, float, float, float, float]

# pdfium's path segment types (fpdf_edit.h)
_LINETO, _BEZIERTO, _MOVETO = raw.FPDF_SEGMENT_LINETO, raw.FPDF_SEGMENT_BEZIERTO, raw.FPDF_SEGMENT_MOVETO
_TEXT, _PATH, _IMAGE, _FORM = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM
_GENERATED = {" ", "\r", "\n", "\x02"}  # what pdfium's text page may insert between words and lines


def _mult(m: Matrix, n: Matrix) -> Matrix:
    """m then n (pdfminer's ``mult_matrix`` order)."""
    a1, b1, c1, d1, e1, f1 = m
    a0, b0, c0, d0, e0, f0 = n
    return (a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1, b0 * c1 + d0 * d1,
            a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def page_ctm(mediabox: tuple[float, float, float, float], rotate: int) -> Matrix:
    """pdfminer's page matrix (``PDFPageInterpreter.process_page``): the page's
    ``/Rotate`` turned into the layout frame, MediaBox origin at 0."""
    x0, y0, x1, y1 = mediabox
    if rotate == 90:
        return (0, -1, 1, 0, -y0, x1)
    if rotate == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotate == 270:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


def _matrix(getter: Any, handle: Any) -> Matrix:
    m = raw.FS_MATRIX()
    if not getter(handle, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _char_matrix(textpage: Any, i: int) -> Matrix:
    m = raw.FS_MATRIX()
    if not raw.FPDFText_GetMatrix(textpage, i, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _address(handle: Any) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


class _Run:
    """What every glyph of one text object shares, asked of pdfium once."""

    __slots__ = ("fontname", "size", "descent", "font", "matrix", "upright", "fast", "vertical_size", "a")

    def __init__(self, textpage: Any, i: int, textobj: Any, names: dict[int, str], ctm: Matrix) -> None:
        font = raw.FPDFTextObj_GetFont(textobj)
        size = ctypes.c_float(0.0)
        raw.FPDFTextObj_GetFontSize(textobj, ctypes.byref(size))
        descent, ascent = ctypes.c_float(0.0), ctypes.c_float(0.0)
        raw.FPDFFont_GetDescent(font, size, ctypes.byref(descent))
        raw.FPDFFont_GetAscent(font, size, ctypes.byref(ascent))
        key = _address(font)
        if key not in names:
            n = raw.FPDFFont_GetBaseFontName(font, None, 0)
            buf = ctypes.create_string_buffer(max(n, 1))
            raw.FPDFFont_GetBaseFontName(font, buf, n)
            names[key] = buf.value.decode("latin-1", "replace")
        self.fontname = names[key]
        self.size = size.value
        self.descent = descent.value
        self.font = font
        own = _char_matrix(textpage, i)
        self.matrix = _mult(own, ctm)  # the glyphs' matrix in the layout frame, less the origin
        self.upright = is_upright(self.matrix)
        a, b, c, d = own[:4]
        self.a = a
        # pdfium's loose width is a times the advance when the glyph is drawn
        # unturned and the font has an ascent and descent (else pdfium falls
        # back to the ink box).
        self.fast = b == 0 and c == 0 and a > 0 and ascent.value != descent.value
        self.vertical_size = abs(b) >= abs(a)


def _prototype(fn: Any, restype: Any, *argtypes: Any) -> Any:
    """A pdfium function called with plain addresses: ctypes then converts no
    handle types and boxes no pointers (1.43 against 1.97 us a call here)."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, ctypes.c_void_p).value)


_P, _I = ctypes.c_void_p, ctypes.c_int
_get_object = _prototype(raw.FPDFText_GetTextObject, _P, _P, _I)
_get_origin = _prototype(raw.FPDFText_GetCharOrigin, _I, _P, _I, _P, _P)
_get_loose = _prototype(raw.FPDFText_GetLooseCharBox, _I, _P, _I, _P)
_is_generated = _prototype(raw.FPDFText_IsGenerated, _I, _P, _I)
_map_error = _prototype(raw.FPDFText_HasUnicodeMapError, _I, _P, _I)


def _chars(textpage: Any, ctm: Matrix, to_page: Any, order: dict[int, int]) -> tuple[list[Obj], list[int]]:
    """The text page's glyphs, and each one's text object's place in content order."""
    n = raw.FPDFText_CountChars(textpage)
    seqs: list[int] = []
    if n <= 0:
        return [], seqs
    buf = ctypes.create_string_buffer((n + 1) * 2)
    raw.FPDFText_GetText(textpage, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    text = buf.raw[: n * 2].decode("utf-16-le", "replace")
    names: dict[int, str] = {}
    runs: dict[int, _Run] = {}
    out: list[Obj] = []
    tp = ctypes.cast(textpage, ctypes.c_void_p).value
    ox, oy = ctypes.c_double(), ctypes.c_double()
    loose = raw.FS_RECTF()
    a_ox, a_oy, a_loose = ctypes.addressof(ox), ctypes.addressof(oy), ctypes.addressof(loose)
    p_ox, p_oy, p_loose = ctypes.byref(ox), ctypes.byref(oy), ctypes.byref(loose)
    cm_a, cm_b, cm_c, cm_d, cm_e, cm_f = ctm
    cm_axis = cm_b == 0 and cm_c == 0  # no /Rotate: the frame only moves
    height, mb_x0, mb_top = to_page.height, to_page.mb_x0, to_page.mb_top
    for i in range(n):
        ch = text[i] if i < len(text) else ""
        if ch in _GENERATED and _is_generated(tp, i) == 1:
            continue  # a space or line break pdfium inferred; pdfminer has none
        key = _get_object(tp, i)
        if not key:
            continue
        run = runs.get(key)
        if run is None:
            run = runs[key] = _Run(textpage, i, ctypes.cast(key, raw.FPDF_PAGEOBJECT), names, ctm)
        if ch == "\ufffe":
            # pdfium's text page replaces a hyphen that ends a line (0x2D or a
            # soft hyphen 0xAD, its IsHyphenCode) with this mark and keeps no
            # code of it; every such hyphen in the fixtures is printed '-'.
            ch = "-"
        elif "\ud800" <= ch <= "\udbff" and i + 1 < len(text):
            ch = text[i : i + 2]  # a surrogate pair is one glyph
        if _map_error(tp, i) == 1:
            ch = f"(cid:{raw.FPDFText_GetUnicode(textpage, i)})"
        m = run.matrix
        if run.fast and cm_axis:
            # Unturned and unskewed: the origin and pdfium's loose width give
            # pdfminer's box (the loose box's height is pdfium's ascent-to-descent,
            # and around a glyph whose ink overhangs it it grows, so only its
            # width is taken).
            _get_origin(tp, i, a_ox, a_oy)
            _get_loose(tp, i, a_loose)
            x = cm_a * ox.value + cm_e
            y = cm_d * oy.value + cm_f
            x1 = x + m[0] * (loose.right - loose.left) / run.a
            y0 = y + m[3] * run.descent
            y1 = y0 + m[3] * run.size
            if x1 < x:
                x, x1 = x1, x
            if y1 < y0:
                y0, y1 = y1, y0
            top, bottom = height - y1 + mb_top, height - y0 + mb_top
            box = {"x0": x + mb_x0, "x1": x1 + mb_x0, "top": top, "bottom": bottom, "text": ch,
                   "size": (x1 - x) if run.vertical_size and not run.upright else (bottom - top),
                   "fontname": run.fontname, "upright": run.upright, "matrix": (m[0], m[1], m[2], m[3], cm_a * ox.value + cm_e, y)}
        else:
            box = _slow_box(textpage, i, ch, run, ctm, to_page, p_ox, p_oy, ox, oy, p_loose, loose)
            m = box.pop("matrix")
            h, w = box["bottom"] - box["top"], box["x1"] - box["x0"]
            box.update(text=ch, size=w if run.vertical_size and not run.upright else h,
                       fontname=run.fontname, upright=run.upright, matrix=m)
        out.append(box)
        seqs.append(order.get(key, len(order)))
    return out, seqs


def _slow_box(textpage: Any, i: int, ch: str, run: _Run, ctm: Matrix, to_page: Any,
              p_ox: Any, p_oy: Any, ox: Any, oy: Any, p_loose: Any, loose: Any) -> Obj:
    """pdfminer's glyph box, built from the origin, the advance and the descent:
    for turned, skewed or unevenly scaled glyphs and pages stored turned."""
    raw.FPDFText_GetCharOrigin(textpage, i, p_ox, p_oy)
    own = _char_matrix(textpage, i)
    a = own[0]
    if abs(a) > 1e-6 and raw.FPDFText_GetLooseCharBox(textpage, i, p_loose):
        adv = (loose.right - loose.left) / a  # pdfium's loose width is a * advance
    else:
        w = ctypes.c_float(0.0)
        raw.FPDFFont_GetGlyphWidth(run.font, ord(ch[0]) if len(ch) == 1 else 0, ctypes.c_float(run.size), ctypes.byref(w))
        adv = w.value
    m = _mult((own[0], own[1], own[2], own[3], ox.value, oy.value), ctm)
    lo, hi = run.descent, run.descent + run.size
    corners = [_apply(m, x, y) for x, y in ((0.0, lo), (adv, lo), (0.0, hi), (adv, hi))]
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    box = to_page(min(xs), min(ys), max(xs), max(ys))
    box["matrix"] = m
    return box


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
        pts = [(_snap(x), _snap(y)) for x, y in (_apply(m, px, py) for _, px, py in sub)]
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


_NO_INK = 1e-3  # points: a text object this narrow draws no ink (pdfium's text page skips it)


def _in_content_order(chars: list[Obj], seqs: list[int], blanks: list[tuple[int, Obj]]) -> list[Obj]:
    """The blank spaces put among the glyphs where the content drew them (the
    text assembly keeps the order of glyphs that share a position)."""
    out: list[Obj] = []
    k = 0
    for ch, seq in zip(chars, seqs):
        while k < len(blanks) and blanks[k][0] < seq:
            out.append(blanks[k][1])
            k += 1
        out.append(ch)
    out.extend(c for _, c in blanks[k:])
    return out


def _blank_char(obj: Any, m: Matrix, to_page: Any) -> Obj | None:
    """The space a text object of no ink draws, which pdfium's text page leaves out.

    pdfium skips a text object whose glyph boxes have no width, and that is a
    space drawn on its own: Word sets a justified line's spaces so (137 of
    1,763 glyphs on a page of the Jombang renja), and where the words close
    in, pdfium does not generate a space either. pdfminer keeps the glyph, and
    the text assembly reads word breaks from it, so it is put back: one space
    at the object's origin, its advance from the font."""
    font = raw.FPDFTextObj_GetFont(obj)
    size = ctypes.c_float(0.0)
    raw.FPDFTextObj_GetFontSize(obj, ctypes.byref(size))
    if not font or size.value <= 0:
        return None
    descent, width = ctypes.c_float(0.0), ctypes.c_float(0.0)
    raw.FPDFFont_GetDescent(font, size, ctypes.byref(descent))
    raw.FPDFFont_GetGlyphWidth(font, 32, size, ctypes.byref(width))
    lo, hi = descent.value, descent.value + size.value
    corners = [_apply(m, x, y) for x, y in ((0.0, lo), (width.value, lo), (0.0, hi), (width.value, hi))]
    box = to_page(min(p[0] for p in corners), min(p[1] for p in corners), max(p[0] for p in corners), max(p[1] for p in corners))
    n = raw.FPDFFont_GetBaseFontName(font, None, 0)
    buf = ctypes.create_string_buffer(max(n, 1))
    raw.FPDFFont_GetBaseFontName(font, buf, n)
    upright = is_upright(m)
    box.update(text=" ", size=(box["bottom"] - box["top"]) if upright or abs(m[1]) < abs(m[0]) else (box["x1"] - box["x0"]),
               fontname=buf.value.decode("latin-1", "replace"), upright=upright, matrix=m)
    return box


def _walk(objs: list[Any], parent: Matrix, to_page: Any, edges: list[Obj], rects: list[Obj], images: list[Obj],
          blanks: list[tuple[int, Any, Matrix]], order: dict[int, int]) -> None:
    """Paths, images and inkless text objects, forms walked into; ``order``
    numbers the text objects in content order."""
    l, b, r, t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    for obj in objs:
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == _TEXT:
            order[_address(obj)] = len(order)
            raw.FPDFPageObj_GetBounds(obj, ctypes.byref(l), ctypes.byref(b), ctypes.byref(r), ctypes.byref(t))
            if abs(r.value - l.value) < _NO_INK:
                blanks.append((len(order) - 1, obj, _mult(_matrix(raw.FPDFPageObj_GetMatrix, obj), parent)))
        elif kind == _PATH:
            _paint(obj, _mult(_matrix(raw.FPDFPageObj_GetMatrix, obj), parent), to_page, edges, rects)
        elif kind == _IMAGE:
            m = _mult(_matrix(raw.FPDFPageObj_GetMatrix, obj), parent)
            pts = [_apply(m, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
            images.append(to_page(min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)))
        elif kind == _FORM:
            m = _mult(_matrix(raw.FPDFPageObj_GetMatrix, obj), parent)
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
                plumber_box: tuple[float, float], width: float, height: float) -> PageObjects:
    """A page's objects, in the frame ``from_layout`` gives.

    ``mediabox`` and ``rotate`` are the page's as pdfminer reads them;
    ``plumber_box`` is pdfplumber's MediaBox origin (x0, top); ``width`` and
    ``height`` pdfplumber's page size (turned by ``/Rotate``)."""
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
        chars, seqs = _chars(textpage, ctm, to_page, order)
    finally:
        raw.FPDFText_ClosePage(textpage)
    if blanks:
        chars = _in_content_order(chars, seqs, [(seq, c) for seq, obj, m in blanks if (c := _blank_char(obj, m, to_page))])
    return PageObjects(width, height, chars, edges, rects, images)

