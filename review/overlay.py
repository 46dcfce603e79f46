"""What the review page draws over each page image: every cell of every table
read (``cell``), every planned month where it was read (``mark``), and which
activity or table cell each belongs to, so a click on one finds the other."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from lampiran.model.interim import BBox, Document
from lampiran.model.records import Plan

# A cell read with less confidence than this is outlined as doubtful. Digital
# text is 1.0; on the fixtures' 150-300 dpi scans, words read right average
# 0.9, and the misreadings a person should look at cluster below 0.6.
LOW_CONFIDENCE = 0.6


@dataclass
class Box:
    page: int
    bbox: BBox
    css: str  # "cell", "cell low", "mark", ...
    title: str
    attrs: dict[str, str] = field(default_factory=dict)


def _rounded(b) -> tuple[float, ...]:
    return tuple(round(v, 2) for v in b)


def _activity_rows(plan: Plan) -> dict[int, list[tuple[int, float, float]]]:
    """Per page, the vertical band of each activity: from its months' cells."""
    bands: dict[int, dict[int, list[float]]] = defaultdict(dict)
    for s in plan.schedule:
        if s.page is None:
            continue
        lo, hi = bands[s.page].get(s.activity_no, [s.top, s.bottom])
        bands[s.page][s.activity_no] = [min(lo, s.top), max(hi, s.bottom)]
    return {p: [(a, lo, hi) for a, (lo, hi) in sorted(rows.items())] for p, rows in bands.items()}


def _owners(page: int, bbox: BBox, rows: dict[int, list[tuple[int, float, float]]]) -> list[int]:
    """The activities whose band holds the middle of ``bbox``, or, for a cell
    spanning several (a merged kegiatan), whose bands it covers."""
    top, bottom = bbox[1], bbox[3]
    out = []
    for a, lo, hi in rows.get(page, []):
        mid = (lo + hi) / 2
        if top - 0.5 <= mid <= bottom + 0.5:
            out.append(a)
    return out


def cell_boxes(doc: Document, plan: Plan) -> list[Box]:
    """One box per cell of every table of the intermediate."""
    rows = _activity_rows(plan)
    keys = {(c.page, _rounded((c.x0, c.top, c.x1, c.bottom))): f"{c.table_no}:{c.row_no}:{c.col_no}"
            for c in plan.cells if not c.merged}
    out = []
    for t_index, t in enumerate(doc.tables, start=1):
        for c in t.cells:
            css = "cell"
            if c.confidence < LOW_CONFIDENCE:
                css += " low"
            if c.row_span > 1 or c.col_span > 1:
                css += " merged"
            if c.fill:
                css += " filled"
            attrs = {"data-page": str(c.page), "data-conf": f"{c.confidence:.2f}", "data-grid": f"{t_index}:{c.row}:{c.col}"}
            owners = _owners(c.page, c.bbox, rows)
            if owners:
                attrs["data-activities"] = " ".join(map(str, owners))
            key = keys.get((c.page, _rounded(c.bbox)))
            if key:
                attrs["data-key"] = key
            out.append(Box(c.page, c.bbox, css, c.text or ("(mark)" if c.mark else ""), attrs))
    return out


def mark_boxes(plan: Plan) -> list[Box]:
    """One box per schedule row read from a cell (a month a correction added has none)."""
    return [Box(s.page, (s.x0, s.top, s.x1, s.bottom), "mark", f"activity {s.activity_no}, bulan {s.bulan}",
                {"data-activity": str(s.activity_no), "data-bulan": str(s.bulan), "data-page": str(s.page)})
            for s in plan.schedule if s.page is not None]
