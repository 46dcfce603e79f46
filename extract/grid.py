"""Ruled tables from ruling segments: the lattice, its merged cells and spans.

Input is plain segments (from a PDF's lines/rects); output is one
``GridTable`` per connected set of rulings. A merged cell is found where the
ruling between two neighbouring grid positions is absent, which is how both
Word and Excel draw vertically merged area/kegiatan cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lampiran.extract.lattice import GridCell, cluster, merged_spans


@dataclass
class GridSettings:
    """Tolerances in PDF points (pdfplumber's TableSettings in spirit)."""

    snap_tolerance: float = 2.0  # rulings closer than this are one line
    join_tolerance: float = 3.0  # collinear pieces with gaps below this are one line
    intersection_tolerance: float = 3.0  # how near a line end must come to touch another line
    min_line_length: float = 4.0
    min_rows: int = 1  # a split row's tail can stand alone at the top of a page
    min_cols: int = 2
    min_edge_coverage: float = 0.6  # share of a grid segment a ruling must cover to count as a border
    max_line_thickness: float = 3.0  # filled rects thicker than this are shading, not rulings


@dataclass
class Segment:
    orient: str  # "h" | "v"
    pos: float  # y for "h", x for "v"
    start: float
    end: float


@dataclass
class GridTable:
    col_edges: list[float]
    row_edges: list[float]
    cells: list[GridCell] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.col_edges[0], self.row_edges[0], self.col_edges[-1], self.row_edges[-1])


def segments_from_edges(edges: list[dict], settings: GridSettings) -> list[Segment]:
    """pdfplumber ``page.edges`` (and thin rects) to axis-aligned segments."""
    segs: list[Segment] = []
    for e in edges:
        # Every rect's outline counts, filled or not: big filled boxes
        # (shading) still bound cells in Excel exports.
        o = e["orientation"]
        if o == "h":
            x0, x1 = sorted((e["x0"], e["x1"]))
            if x1 - x0 >= settings.min_line_length:
                segs.append(Segment("h", e["top"], x0, x1))
        elif o == "v":
            t, b = sorted((e["top"], e["bottom"]))
            if b - t >= settings.min_line_length:
                segs.append(Segment("v", e["x0"], t, b))
    return segs


def _merge(segs: list[Segment], settings: GridSettings) -> list[Segment]:
    """Snap near-collinear segments to one position and join overlapping pieces."""
    out: list[Segment] = []
    for orient in ("h", "v"):
        group = sorted((s for s in segs if s.orient == orient), key=lambda s: s.pos)
        centres = cluster([s.pos for s in group], settings.snap_tolerance)
        by_centre: dict[float, list[Segment]] = {c: [] for c in centres}
        ci = 0
        for s in group:
            while ci + 1 < len(centres) and abs(centres[ci + 1] - s.pos) < abs(centres[ci] - s.pos):
                ci += 1
            by_centre[centres[ci]].append(s)
        for c, ss in by_centre.items():
            ss.sort(key=lambda s: s.start)
            cur = Segment(orient, c, ss[0].start, ss[0].end)
            for s in ss[1:]:
                if s.start <= cur.end + settings.join_tolerance:
                    cur.end = max(cur.end, s.end)
                else:
                    out.append(cur)
                    cur = Segment(orient, c, s.start, s.end)
            out.append(cur)
    return out


def _touches(h: Segment, v: Segment, tol: float) -> bool:
    return (h.start - tol <= v.pos <= h.end + tol) and (v.start - tol <= h.pos <= v.end + tol)


def _components(segs: list[Segment], tol: float) -> list[list[Segment]]:
    """Groups of rulings connected by intersections (one group per table)."""
    hs = [s for s in segs if s.orient == "h"]
    vs = [s for s in segs if s.orient == "v"]
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    vs_sorted = sorted(range(len(vs)), key=lambda j: vs[j].pos)
    xs = [vs[j].pos for j in vs_sorted]
    import bisect

    for i, h in enumerate(hs):
        lo = bisect.bisect_left(xs, h.start - tol)
        hi = bisect.bisect_right(xs, h.end + tol)
        for k in range(lo, hi):
            j = vs_sorted[k]
            if _touches(h, vs[j], tol):
                a, b = find(i), find(len(hs) + j)
                if a != b:
                    parent[a] = b
    groups: dict[int, list[Segment]] = {}
    for i, s in enumerate(hs + vs):
        groups.setdefault(find(i), []).append(s)
    return [g for g in groups.values() if any(s.orient == "h" for s in g) and any(s.orient == "v" for s in g)]


def _coverage(lines: list[Segment], a: float, b: float) -> float:
    """Share of the interval [a, b] covered by ``lines`` (sorted by start)."""
    if b <= a:
        return 1.0
    covered, cur = 0.0, a
    for s in lines:
        if s.end <= cur:
            continue
        if s.start >= b:
            break
        lo, hi = max(s.start, cur), min(s.end, b)
        if hi > lo:
            covered += hi - lo
            cur = hi
    return covered / (b - a)


def _open_columns(comp: list[Segment], loose: list[Segment], tol: float) -> list[Segment]:
    """Rulings that close the columns a table leaves open at its side.

    A spreadsheet draws a merged range cut by page breaks above and below
    with no ruling at the top or bottom of the middle page: its columns'
    vertical rulings stand alone beside the table, from its top to its
    bottom (an unseen spreadsheet variant's page lost its number, area and
    kegiatan columns so). Those rulings are returned, with the table's top
    and bottom borders drawn across to them."""
    hs = [s for s in comp if s.orient == "h"]
    vs = [s for s in comp if s.orient == "v"]
    top, bottom = min(s.pos for s in hs), max(s.pos for s in hs)
    left, right = min(s.pos for s in vs), max(s.pos for s in vs)
    full = [s for s in loose if abs(s.start - top) <= tol and abs(s.end - bottom) <= tol]
    before = [s for s in full if s.pos < left - tol]
    after = [s for s in full if s.pos > right + tol]
    out = before + after
    if before:
        x0 = min(s.pos for s in before)
        out += [Segment("h", top, x0, left), Segment("h", bottom, x0, left)]
    if after:
        x1 = max(s.pos for s in after)
        out += [Segment("h", top, right, x1), Segment("h", bottom, right, x1)]
    return out


def find_tables(segs: list[Segment], settings: GridSettings | None = None) -> list[GridTable]:
    settings = settings or GridSettings()
    merged = _merge(segs, settings)
    tables: list[GridTable] = []
    comps = _components(merged, settings.intersection_tolerance)
    in_comp = {id(s) for comp in comps for s in comp}
    loose = [s for s in merged if s.orient == "v" and id(s) not in in_comp]
    if loose:
        comps = [comp + _open_columns(comp, loose, settings.intersection_tolerance) for comp in comps]
    for comp in comps:
        t = _build(comp, settings)
        if t is not None:
            tables.append(t)
    tables.sort(key=lambda t: (round(t.row_edges[0], 1), round(t.col_edges[0], 1)))
    return tables


def _build(comp: list[Segment], settings: GridSettings) -> GridTable | None:
    hs = [s for s in comp if s.orient == "h"]
    vs = [s for s in comp if s.orient == "v"]
    row_edges = cluster([s.pos for s in hs], settings.snap_tolerance)
    col_edges = cluster([s.pos for s in vs], settings.snap_tolerance)
    n_rows, n_cols = len(row_edges) - 1, len(col_edges) - 1
    if n_rows < settings.min_rows or n_cols < settings.min_cols:
        return None

    def lines_at(lines: list[Segment], pos: float) -> list[Segment]:
        return sorted((s for s in lines if abs(s.pos - pos) <= settings.snap_tolerance), key=lambda s: s.start)

    v_at = [lines_at(vs, x) for x in col_edges]
    h_at = [lines_at(hs, y) for y in row_edges]
    cov = settings.min_edge_coverage
    # A border is drawn where rulings cover most of it.
    h_present = [[_coverage(h_at[i], col_edges[c], col_edges[c + 1]) >= cov for c in range(n_cols)] for i in range(n_rows + 1)]
    v_present = [[_coverage(v_at[j], row_edges[r], row_edges[r + 1]) >= cov for j in range(n_cols + 1)] for r in range(n_rows)]
    cells = [GridCell(*span) for span in merged_spans(h_present, v_present)]
    return GridTable(col_edges=col_edges, row_edges=row_edges, cells=cells)
