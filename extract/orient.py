"""Read a digital page in its reading orientation.

A page stored turned (``/Rotate`` 90, 180 or 270 over upright content, as a
viewer writes when someone rotates a page and saves) or drawn with a turned
text matrix shows its text sideways or upside down in page coordinates.
The text layer says which way it reads: the direction of most glyphs'
baselines. The page's objects are turned so that direction reads left to
right; everything after (grid, cells, text) then works on an upright page.
Coordinates of such a page are reported in this reading frame.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from lampiran.extract.pageobjects import Obj, PageObjects, is_upright

MIN_CHARS = 20  # fewer visible glyphs say nothing reliable about a page's direction


def reading_turn(chars: list[Obj]) -> int:
    """Degrees to turn the page clockwise so its text reads upright: 0, 90, 180 or 270.

    Text whose baseline points up (rotated 90 degrees counter-clockwise) needs
    the page turned 90 degrees clockwise, and so on. The direction with most
    glyphs wins, and only when it outnumbers upright glyphs: month labels set
    vertically in narrow header cells are a minority on an upright page.
    """
    counts = {0: 0, 90: 0, 180: 0, 270: 0}
    for c in chars:
        if c["text"].isspace():
            continue
        a, b = c["matrix"][0], c["matrix"][1]
        if abs(b) <= abs(a):
            counts[0 if a > 0 else 180] += 1
        else:
            counts[90 if b > 0 else 270] += 1
    best = max((90, 180, 270), key=lambda k: counts[k])
    if sum(counts.values()) < MIN_CHARS or counts[best] <= counts[0]:
        return 0
    return best


def _box(o: Obj, turn: int, w: float, h: float) -> dict[str, float]:
    x0, x1, top, bottom = o["x0"], o["x1"], o["top"], o["bottom"]
    if turn == 90:  # (x, t) -> (h - t, x)
        return {"x0": h - bottom, "x1": h - top, "top": x0, "bottom": x1}
    if turn == 270:  # (x, t) -> (t, w - x)
        return {"x0": top, "x1": bottom, "top": w - x1, "bottom": w - x0}
    return {"x0": w - x1, "x1": w - x0, "top": h - bottom, "bottom": h - top}  # 180


def _vector(a: float, b: float, turn: int) -> tuple[float, float]:
    """A direction in PDF space (y up), turned clockwise with the page."""
    if turn == 90:
        return b, -a
    if turn == 270:
        return -b, a
    return -a, -b


def _char(c: Obj, turn: int, w: float, h: float) -> Obj:
    a, b, cc, d, e, f = c["matrix"]
    a, b = _vector(a, b, turn)
    cc, d = _vector(cc, d, turn)
    out: dict[str, Any] = {**c, **_box(c, turn, w, h), "matrix": (a, b, cc, d, e, f)}
    out["upright"] = is_upright((a, b, cc, d))
    out["size"] = out["bottom"] - out["top"] if out["upright"] else out["x1"] - out["x0"]
    return out


def _edge(e: Obj, turn: int, w: float, h: float) -> Obj:
    out = {**e, **_box(e, turn, w, h)}
    if turn in (90, 270):
        out["orientation"] = {"h": "v", "v": "h"}.get(e["orientation"], e["orientation"])
    return out


def _rect(r: Obj, turn: int, w: float, h: float) -> Obj:
    out = {**r, **_box(r, turn, w, h)}
    out["width"], out["height"] = out["x1"] - out["x0"], out["bottom"] - out["top"]
    return out


def upright(objs: PageObjects) -> tuple[PageObjects, int]:
    """The page's objects in its reading orientation, and the turn applied."""
    turn = reading_turn(objs.chars)
    if not turn:
        return objs, 0
    w, h = objs.width, objs.height
    size = (h, w) if turn in (90, 270) else (w, h)
    return replace(
        objs,
        width=size[0],
        height=size[1],
        chars=[_char(c, turn, w, h) for c in objs.chars],
        edges=[_edge(e, turn, w, h) for e in objs.edges],
        rects=[_rect(r, turn, w, h) for r in objs.rects],
        images=[{**i, **_box(i, turn, w, h)} for i in objs.images],
    ), turn
