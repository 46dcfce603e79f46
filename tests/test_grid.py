"""The lattice: rulings to grid cells with row/column spans."""

from lampiran.extract.grid import GridSettings, Segment, find_tables


def _h(y, x0, x1):
    return Segment("h", y, x0, x1)


def _v(x, t, b):
    return Segment("v", x, t, b)


def test_merged_cells_get_spans():
    # 3 columns x 3 rows; column 0 merged over rows 1-2; row 0 cols 1-2 merged.
    xs, ys = [0, 50, 100, 150], [0, 20, 40, 60]
    segs = [_h(ys[0], 0, 150), _h(ys[3], 0, 150), _h(ys[1], 0, 150), _h(ys[2], 50, 150)]
    segs += [_v(0, 0, 60), _v(150, 0, 60), _v(50, 0, 60), _v(100, 20, 60)]
    (t,) = find_tables(segs)
    assert [round(x) for x in t.col_edges] == xs and [round(y) for y in t.row_edges] == ys
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in t.cells}
    assert spans == {(0, 0): (1, 1), (0, 1): (1, 2), (1, 0): (2, 1), (1, 1): (1, 1), (1, 2): (1, 1), (2, 1): (1, 1), (2, 2): (1, 1)}


def test_broken_and_doubled_rulings_are_joined():
    # Excel draws each cell border separately, with tiny gaps and 0.5pt offsets.
    segs = [_h(0, 0, 49), _h(0.4, 50.5, 100), _h(20, 0, 100), _h(40.3, 0, 100)]
    segs += [_v(0, 0, 19.5), _v(0.3, 20, 40), _v(50, 0, 40), _v(100, 0, 40)]
    (t,) = find_tables(segs, GridSettings())
    assert (len(t.row_edges), len(t.col_edges)) == (3, 3)
    assert all((c.row_span, c.col_span) == (1, 1) for c in t.cells) and len(t.cells) == 4


def test_separate_tables_stay_separate():
    a = [_h(0, 0, 100), _h(20, 0, 100), _h(40, 0, 100), _v(0, 0, 40), _v(50, 0, 40), _v(100, 0, 40)]
    b = [Segment(s.orient, s.pos + (200 if s.orient == "h" else 0), s.start + (200 if s.orient == "v" else 0), s.end + (200 if s.orient == "v" else 0)) for s in a]
    tables = find_tables(a + b)
    assert len(tables) == 2 and tables[0].row_edges[0] < tables[1].row_edges[0]


def test_lone_lines_are_not_a_table():
    assert find_tables([_h(0, 0, 100), _h(30, 0, 100)]) == []


def test_columns_left_open_beside_a_table_are_closed():
    """A spreadsheet's merged range cut by page breaks above and below: on the
    middle page its columns' rulings stand alone, from the table's top to its
    bottom, with no border over or under them (an unseen variant's page lost
    its number, area and kegiatan columns so). They join the table as one row
    of open cells; a ruling that is not the table's height stays out."""
    body = [_h(70, 262, 460), _h(120, 262, 460), _h(225, 262, 460), _v(262, 70, 225), _v(370, 70, 225),
            _v(460, 70, 225)]
    open_cols = [_v(55, 70, 225), _v(77, 70.5, 224.6), _v(173, 69.8, 225)]
    (t,) = find_tables(body + open_cols + [_v(20, 10, 300)])
    assert [round(x) for x in t.col_edges] == [55, 77, 173, 262, 370, 460]
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in t.cells}
    assert spans[(0, 0)] == spans[(0, 1)] == spans[(0, 2)] == (2, 1) and spans[(0, 3)] == (1, 1)
