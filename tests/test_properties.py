"""Property-based tests (Hypothesis): the intermediate's JSON round trip, the
pagination repair on random tables cut at random page breaks, and the diff
of a plan against itself and against a copy with one change."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lampiran.diff.stage import diff_plans
from lampiran.model.interim import Cell, Document, Facts, Table
from lampiran.normalize.tables import logical_tables
from tests.diff_plans import make_plan

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9)
TEXT = st.lists(WORD, min_size=1, max_size=6).map(" ".join)
HEADER_WORDS = ["NAMA", "JABATAN", "UNIT KERJA", "KETERANGAN", "TARGET", "ANGGARAN", "KELAS", "LOKASI"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ------------------------------------------------------------ interim JSON

BBOX = st.tuples(*[st.floats(0, 2000, allow_nan=False) for _ in range(4)]).map(
    lambda b: (min(b[0], b[2]), min(b[1], b[3]), max(b[0], b[2]) + 1, max(b[1], b[3]) + 1))


@st.composite
def documents(draw) -> Document:
    tables = []
    for page in range(1, draw(st.integers(1, 3)) + 1):
        n_rows, n_cols = draw(st.integers(1, 4)), draw(st.integers(1, 4))
        cells = [Cell(page=page, row=r, col=c, row_span=1, col_span=1, bbox=draw(BBOX),
                      text=draw(st.text(max_size=30)), mark=draw(st.booleans()),
                      confidence=draw(st.floats(0, 1, allow_nan=False)), fill=draw(st.sampled_from(["", "#ffcc00"])))
                 for r in range(n_rows) for c in range(n_cols)]
        tables.append(Table(page=page, bbox=draw(BBOX), n_rows=n_rows, n_cols=n_cols,
                            col_edges=[float(x) for x in range(n_cols + 1)],
                            row_edges=[float(y) for y in range(n_rows + 1)], cells=cells,
                            title=draw(st.text(max_size=20)), lampiran=draw(st.sampled_from(["", "I", "II"]))))
    facts = Facts(nomor=draw(st.text(max_size=20)), tentang=draw(st.text(max_size=40)),
                  tahun=draw(st.one_of(st.none(), st.integers(1945, 2100))))
    return Document(doc_id="0123456789ab", source_file=draw(st.text(min_size=1, max_size=20)), sha256="0" * 64,
                    pages=len(tables), kind="digital", page_kinds=["digital"] * len(tables), facts=facts,
                    tables=tables, warnings=draw(st.lists(st.text(max_size=30), max_size=3)))


@SETTINGS
@given(documents())
def test_the_intermediate_survives_its_json_round_trip(doc):
    text = doc.to_json()
    again = Document.from_json(text)
    assert again.to_json() == text
    # The hand-built dict is asdict's, rounded: no field forgotten.
    from dataclasses import asdict

    from lampiran.model.interim import _round

    assert doc.to_dict() == _round(asdict(doc))
    assert [c.text for t in again.tables for c in t.cells] == [c.text for t in doc.tables for c in t.cells]
    assert again.facts == doc.facts and again.warnings == doc.warnings


# ------------------------------------------------------ pagination repair

ROW_H = 20.0


def _page_table(page: int, rows: list[list[str]], widths: list[float], last: bool) -> Table:
    xs = [40.0]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [60.0 + ROW_H * i for i in range(len(rows) + 1)]
    cells = [Cell(page=page, row=r, col=c, row_span=1, col_span=1, bbox=(xs[c], ys[r], xs[c + 1], ys[r + 1]),
                  text=text, mark=False, confidence=1.0)
             for r, row in enumerate(rows) for c, text in enumerate(row)]
    return Table(page=page, bbox=(xs[0], ys[0], xs[-1], ys[-1]), n_rows=len(rows), n_cols=len(widths),
                 col_edges=xs, row_edges=ys, cells=cells, touches_page_bottom=not last)


@st.composite
def paginated(draw):
    """A generic lampiran table (a numbered first column), cut over pages."""
    n_cols = draw(st.integers(2, 6))
    header = ["NO"] + draw(st.lists(st.sampled_from(HEADER_WORDS), min_size=n_cols - 1, max_size=n_cols - 1,
                                    unique=True))
    n_body = draw(st.integers(1, 40))
    body = [[f"{i}."] + [draw(TEXT) for _ in range(n_cols - 1)] for i in range(1, n_body + 1)]
    cuts = sorted(draw(st.sets(st.integers(1, max(1, n_body - 1)), max_size=3))) if n_body > 1 else []
    repeat_header = draw(st.booleans())
    # "1 2 3 ..." under the header, as many SKs print. Two numbers alone are
    # not taken for it: "1 | 2" is as likely a body row of a two-column table.
    numbers_row = n_cols >= 3 and draw(st.booleans())
    widths = [30.0] + [draw(st.floats(60, 160)) for _ in range(n_cols - 1)]
    numbers = [str(i) for i in range(1, n_cols + 1)]
    tables, start = [], 0
    bounds = [*cuts, n_body]
    for k, end in enumerate(bounds):
        top = [header] if k == 0 or repeat_header else []
        if numbers_row and top:
            top.append(numbers)
        tables.append(_page_table(k + 1, top + body[start:end], widths, last=k == len(bounds) - 1))
        start = end
    return header, body, tables


@SETTINGS
@given(paginated())
def test_a_table_cut_at_any_page_breaks_reads_as_the_whole_table(case):
    header, body, tables = case
    [lt] = logical_tables(tables)
    assert lt.labels == header
    assert [[c.value for c in row.cells] for row in lt.rows] == body
    assert lt.page_first == 1 and lt.page_last == len(tables)


# -------------------------------------------------------------------- diff

ROW = st.tuples(st.sampled_from(["1", "2"]), TEXT, st.sampled_from(["1", "2", "3"]), TEXT, TEXT, TEXT, TEXT, TEXT,
                st.lists(st.integers(1, 12), max_size=12, unique=True).map(sorted))


@SETTINGS
@given(st.lists(ROW, min_size=1, max_size=15))
def test_a_plan_diffed_against_itself_has_no_revisions(rows):
    assert diff_plans(make_plan("old", rows), make_plan("new", rows)) == []


@SETTINGS
@given(st.lists(ROW, min_size=1, max_size=15), st.data())
def test_one_changed_month_is_one_revision(rows, data):
    i = data.draw(st.integers(0, len(rows) - 1))
    month = data.draw(st.integers(1, 12))
    months = sorted(set(rows[i][8]) ^ {month})
    changed = [*rows[:i], (*rows[i][:8], months), *rows[i + 1:]]
    revs = diff_plans(make_plan("old", rows), make_plan("new", changed))
    assert [(r.change, r.old_activity_no, r.new_activity_no) for r in revs] == [("months_changed", i + 1, i + 1)]
