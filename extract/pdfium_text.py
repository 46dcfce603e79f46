"""A page's glyphs through pdfium's text page, in pdfminer's shape.

Part of the pdfium object route (``pdfium_objects``): each glyph gets
pdfminer's box, built from pdfium's origin, its loose width (the advance) and
the font's descent, and its text, font name, size and matrix. Spaces pdfium's
text page leaves out (a text object of no ink) are put back where the content
drew them.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2.raw as raw
from pdfminer.utils import apply_matrix_pt as _apply
from pdfminer.utils import mult_matrix as _mult

from lampiran.extract.pageobjects import Obj, is_upright

Matrix = tuple[float, float, float, float, float, float]

_GENERATED = {" ", "\r", "\n", "\x02"}  # what pdfium's text page may insert between words and lines


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


def object_matrix(getter: Any, handle: Any) -> Matrix:
    m = raw.FS_MATRIX()
    if not getter(handle, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _char_matrix(textpage: Any, i: int) -> Matrix:
    m = raw.FS_MATRIX()
    if not raw.FPDFText_GetMatrix(textpage, i, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def address(handle: Any) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


class _Run:
    """What every glyph of one text object shares, asked of pdfium once."""

    __slots__ = ("fontname", "size", "descent", "font", "matrix", "upright", "fast", "vertical_size", "a", "clip")

    def __init__(self, textpage: Any, i: int, textobj: Any, names: dict[int, str], ctm: Matrix,
                 clips: dict[int, Any], to_page: Any) -> None:
        font = raw.FPDFTextObj_GetFont(textobj)
        size = ctypes.c_float(0.0)
        raw.FPDFTextObj_GetFontSize(textobj, ctypes.byref(size))
        descent, ascent = ctypes.c_float(0.0), ctypes.c_float(0.0)
        raw.FPDFFont_GetDescent(font, size, ctypes.byref(descent))
        raw.FPDFFont_GetAscent(font, size, ctypes.byref(ascent))
        key = address(font)
        if key not in names:
            names[key] = font_name(font)
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
        self.clip = clip_box(textobj, ctm, to_page, clips)


def clip_box(obj: Any, ctm: Matrix, to_page: Any, cache: dict[int, Any]) -> tuple[float, float, float, float] | None:
    """The box (x0, top, x1, bottom, in the layout frame) of what the object's
    clipping path lets show, or None where nothing clips it.

    A producer clips a cell's text to the cell: Writer and Excel cut off what
    overflows a row set too short, Calc prints a merged range's text on every
    page and clips it to the page's part. The cut-off glyphs stay in the text
    layer, where a reader would put them in the next row (the Singkawang plan's
    "server" under its cell, a Writer header's "KEGIA" over the first row).
    The clip's paths are intersected, each by its bounding box (a conservative
    box for a path that is no rectangle)."""
    cp = raw.FPDFPageObj_GetClipPath(obj)
    if not cp:
        return None
    key = address(cp)
    if key in cache:
        return cache[key]
    box: tuple[float, float, float, float] | None = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for path in range(raw.FPDFClipPath_CountPaths(cp)):
        xs, ys = [], []
        for seg in range(raw.FPDFClipPath_CountPathSegments(cp, path)):
            point = raw.FPDFClipPath_GetPathSegment(cp, path, seg)
            raw.FPDFPathSegment_GetPoint(point, ctypes.byref(x), ctypes.byref(y))
            px, py = _apply(ctm, (x.value, y.value))
            xs.append(px)
            ys.append(py)
        if not xs:
            continue
        r = to_page(min(xs), min(ys), max(xs), max(ys))
        b = (r["x0"], r["top"], r["x1"], r["bottom"])
        box = b if box is None else (max(box[0], b[0]), max(box[1], b[1]), min(box[2], b[2]), min(box[3], b[3]))
    cache[key] = box
    return box


def clipped(box: Obj, clip: tuple[float, float, float, float] | None) -> bool:
    """Is the glyph's centre outside what its clipping path lets show (by
    more than CLIP_SLACK)?"""
    if clip is None:
        return False
    x, y = (box["x0"] + box["x1"]) / 2, (box["top"] + box["bottom"]) / 2
    return not (clip[0] - CLIP_SLACK <= x <= clip[2] + CLIP_SLACK and clip[1] - CLIP_SLACK <= y <= clip[3] + CLIP_SLACK)


# Points: a glyph's centre may stand this far past its clip's edge and still
# show (rounding in the producer's clip and in pdfminer's glyph box).
CLIP_SLACK = 0.5


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


def _page_text(textpage: Any, n: int) -> list[str]:
    """Each of the ``n`` characters' text, by index: in one call, unless a
    character lies outside the Basic Multilingual Plane (it takes two UTF-16
    units of the buffer and would shift every later index): then one by one."""
    from array import array

    buf = ctypes.create_string_buffer((n + 1) * 2)
    raw.FPDFText_GetText(textpage, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    units = array("H")
    units.frombytes(buf.raw[: n * 2])
    if any(0xD800 <= u <= 0xDFFF for u in units):
        return [chr(raw.FPDFText_GetUnicode(textpage, i)) for i in range(n)]
    return [chr(u) for u in units]


def glyphs(textpage: Any, ctm: Matrix, to_page: Any, order: dict[int, int],
           clip_text: bool = True) -> tuple[list[Obj], list[int]]:
    """The text page's glyphs, and each one's text object's place in content
    order; with ``clip_text``, those their clipping path cuts off left out.

    Long because the loop over glyphs is the route's hot path (235,000 glyphs
    on the 99-page Bali lampiran): a helper call per glyph would add 0.07 s."""
    n = raw.FPDFText_CountChars(textpage)
    seqs: list[int] = []
    if n <= 0:
        return [], seqs
    text = _page_text(textpage, n)
    names: dict[int, str] = {}
    runs: dict[int, _Run] = {}
    clips: dict[int, Any] = {}
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
        ch = text[i]
        if ch in _GENERATED and _is_generated(tp, i) == 1:
            continue  # a space or line break pdfium inferred; pdfminer has none
        key = _get_object(tp, i)
        if not key:
            continue
        run = runs.get(key)
        if run is None:
            run = runs[key] = _Run(textpage, i, ctypes.cast(key, raw.FPDF_PAGEOBJECT), names, ctm, clips, to_page)
        if ch in ("\ufffe", "\x02"):
            # pdfium's text page replaces a hyphen that ends a line (0x2D or a
            # soft hyphen 0xAD, its IsHyphenCode) with this mark (0x02 one by
            # one) and keeps no code of it; every such hyphen in the fixtures
            # is printed '-'.
            ch = "-"
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
        if clip_text and run.clip is not None and clipped(box, run.clip):
            continue  # cut off by its clipping path: not on the printed page
        out.append(box)
        seqs.append(order.get(key, len(order)))
    return out, seqs


def font_name(font: Any) -> str:
    """A font's base name as the PDF gives it (pdfium leaves out the subset prefix)."""
    n = raw.FPDFFont_GetBaseFontName(font, None, 0)
    buf = ctypes.create_string_buffer(max(n, 1))
    raw.FPDFFont_GetBaseFontName(font, buf, n)
    return buf.value.decode("latin-1", "replace")


def glyph_box(m: Matrix, adv: float, lo: float, hi: float, to_page: Any) -> Obj:
    """pdfminer's glyph box: the text-space rectangle (0, lo)-(adv, hi) carried by ``m``."""
    corners = [_apply(m, (x, y)) for x, y in ((0.0, lo), (adv, lo), (0.0, hi), (adv, hi))]
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    return to_page(min(xs), min(ys), max(xs), max(ys))


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
    box = glyph_box(m, adv, lo, hi, to_page)
    box["matrix"] = m
    return box


NO_INK = 1e-3  # points: a text object this narrow draws no ink (pdfium's text page skips it)


def in_content_order(chars: list[Obj], seqs: list[int], blanks: list[tuple[int, Obj]]) -> list[Obj]:
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


def blank_char(obj: Any, m: Matrix, to_page: Any) -> Obj | None:
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
    box = glyph_box(m, width.value, lo, hi, to_page)
    upright = is_upright(m)
    box.update(text=" ", size=(box["bottom"] - box["top"]) if upright or abs(m[1]) < abs(m[0]) else (box["x1"] - box["x0"]),
               fontname=font_name(font), upright=upright, matrix=m)
    return box
