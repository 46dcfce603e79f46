"""The diff's files and sides: revisions tables, Markdown and HTML reports,
loading a normalized folder, linking amendments, the command-line sides.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from lampiran.diff.link import link_versions
from lampiran.diff.plan import Plan, load_plan, load_plans
from lampiran.diff.revisions import REVISION_COLUMNS
from lampiran.diff.stage import compute, diff_plans, diff_versions, main_diff, resolve_plan, write_diff, write_linked_diffs
from lampiran.model.records import COLUMNS
from lampiran.model.frame import frame
from lampiran.model.write import write_table
from tests.diff_plans import A2, BASE, K21, OLD, doc, edit, make_plan

# ---- writing -------------------------------------------------------------------------


def _changed_plan() -> Plan:
    rows = list(BASE)
    rows[6] = edit(BASE[6], months=(2, 5, 8, 11))
    rows[2] = edit(BASE[2], sub='1. Sosialisasi <b>Reformasi</b> & "Birokrasi" melalui media')
    return make_plan(
        "new", rows[:4] + rows[5:] + [("2", A2, "1", K21, "4. Reviu LKjIP", "Laporan reviu", "APIP", "", (3,))]
    )


def test_write_diff_files_columns_types_and_bytes(tmp_path):
    new = _changed_plan()
    paths = write_diff(OLD, new, tmp_path / "a")
    names = sorted(p.name for p in paths)
    assert names == ["diff-old-new.html", "diff-old-new.md", "revisions.csv", "revisions.parquet"]
    df = pd.read_csv(tmp_path / "a" / "revisions.csv", keep_default_na=False, dtype=str)
    assert list(df.columns) == REVISION_COLUMNS
    assert len(df) == len(diff_plans(OLD, new))
    added = df[df.change == "added"].iloc[0]
    assert added.old_activity_no == "" and added.new_activity_no == "8"
    table = pq.read_table(tmp_path / "a" / "revisions.parquet")
    assert str(table.schema.field("old_activity_no").type) == "int64"
    assert table.column("old_activity_no").null_count == 1 and table.column("new_activity_no").null_count == 1
    # byte-deterministic
    write_diff(OLD, new, tmp_path / "b")
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_empty_diff_still_writes_typed_table(tmp_path):
    write_diff(OLD, OLD, tmp_path)
    schema = pq.read_table(tmp_path / "revisions.parquet").schema
    assert pq.read_table(tmp_path / "revisions.parquet").num_rows == 0
    assert str(schema.field("old_value").type) in ("string", "large_string")
    assert str(schema.field("new_activity_no").type) == "int64"
    assert "No changes." in (tmp_path / "diff-old-old.md").read_text()


def test_markdown_report_summary_and_grouping():
    md = compute(OLD, _changed_plan()).markdown()
    assert "| months_changed | 1 |" in md and "| added | 1 |" in md and "| removed | 1 |" in md
    assert "| **total** | 4 |" in md
    assert md.index("## 1. Manajemen Perubahan") < md.index("## 2. Penguatan Akuntabilitas")
    assert "### 1. Pengukuran kinerja" in md
    assert "1,4,7,10 → 2,5,8,11 (+2,5,8,11 −1,4,7,10)" in md


def test_html_report_is_self_contained_and_escaped():
    page = compute(OLD, _changed_plan()).html()
    assert "<b>Reformasi</b>" not in page and "&lt;b&gt;Reformasi&lt;/b&gt;" in page
    assert "&quot;Birokrasi&quot;" in page
    for external in ("http://", "https://", "<script", "<link", "src="):
        assert external not in page
    # month grid: new months marked added, old months marked removed
    assert 'class="add" title="bulan 2"' in page and 'class="rm" title="bulan 1"' in page
    assert page.count('<tr class="added">') == 1 and page.count('<tr class="removed">') == 1
    assert _unbalanced_tags(page) == []


def _unbalanced_tags(page: str) -> list[str]:
    from html.parser import HTMLParser

    class Checker(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack: list[str] = []
            self.bad: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag not in ("meta", "br", "hr", "img"):
                self.stack.append(tag)

        def handle_endtag(self, tag):
            if self.stack and self.stack[-1] == tag:
                self.stack.pop()
            else:
                self.bad.append(tag)

    c = Checker()
    c.feed(page)
    return c.bad + c.stack


# ---- loading an output folder ----------------------------------------------------------


def _write_clean(out: Path, plans: list[Plan], csv_only: bool = False) -> None:
    """What normalize writes: the three tables with exactly COLUMNS."""
    tables = {
        "documents": [p.document.model_dump() for p in plans],
        "activities": [a.model_dump() for p in plans for a in p.activities],
        "schedule": [
            {"doc_id": p.doc_id, "activity_no": n, "bulan": m} for p in plans for n, ms in p.months.items() for m in ms
        ],
    }
    for name, rows in tables.items():
        dtypes = {"tahun": "Int64"} if name == "documents" else None
        write_table(out, name, frame(rows, COLUMNS[name], dtypes))
        if csv_only:
            (out / f"{name}.parquet").unlink()


@pytest.mark.parametrize("csv_only", [False, True])
def test_load_plan_by_doc_id_and_nomor(tmp_path, csv_only):
    old = make_plan("sk-a", BASE, nomor="29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021")
    new = make_plan("sk-b", BASE[:7], nomor="07/HK.03.1/3508/2022", mengubah="29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021")
    _write_clean(tmp_path, [old, new], csv_only)
    assert load_plan(tmp_path, "sk-a") == old
    assert load_plan(tmp_path, "07 / HK.03.1/3508/2022") == new
    assert set(load_plans(tmp_path)) == {"sk-a", "sk-b"}
    with pytest.raises(LookupError):
        load_plan(tmp_path, "nope")


def test_load_plan_ambiguous_nomor(tmp_path):
    _write_clean(tmp_path, [make_plan("a", BASE, nomor="1/2022"), make_plan("b", BASE, nomor="1 / 2022")])
    with pytest.raises(LookupError, match="ambiguous"):
        load_plan(tmp_path, "1/2022")
    assert load_plan(tmp_path, "b").doc_id == "b"


def test_link_versions_pairs_amendments():
    docs = [
        doc("a", "29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021"),
        doc("b", "07/HK.03.1/3508/2022", mengubah="29 / hk.03.1-kpt/3508/KPU-Kab/VI/2021"),
        doc("c", "11/HK.03.1/3508/2022", mengubah="Nomor 07/HK.03.1/3508/2022"),
        doc("d", "12/HK.03.1/3508/2022", mengubah="99/XX/2020"),  # amends a decree not in the set
    ]
    assert link_versions(docs) == [("a", "b"), ("b", "c")]
    assert link_versions([doc("x", "1/2022", mengubah="1/2022")]) == []


def test_write_linked_diffs_one_table_for_all_pairs(tmp_path):
    a = make_plan("a", BASE, nomor="1/2021")
    b_rows = list(BASE)
    b_rows[0] = edit(BASE[0], months=(2,))
    b = make_plan("b", b_rows, nomor="2/2022", mengubah="1/2021")
    c = make_plan("c", b_rows[:-1], nomor="3/2022", mengubah="2/2022")
    _write_clean(tmp_path / "clean", [a, b, c])
    paths = write_linked_diffs(tmp_path / "clean", tmp_path / "diff")
    assert sorted(p.name for p in paths) == sorted(
        ["revisions.csv", "revisions.parquet", "diff-a-b.md", "diff-a-b.html", "diff-b-c.md", "diff-b-c.html"]
    )
    df = pd.read_csv(tmp_path / "diff" / "revisions.csv", keep_default_na=False, dtype=str)
    assert df[["old_doc_id", "new_doc_id", "change"]].values.tolist() == [
        ["a", "b", "months_changed"],
        ["b", "c", "removed"],
    ]


def test_diff_versions_from_in_memory_plans(tmp_path):
    a = make_plan("a", BASE, nomor="1/2021")
    b = make_plan("b", BASE[1:], nomor="2/2022", mengubah="1/2021")
    paths = diff_versions([b, a], tmp_path)
    assert sorted(p.name for p in paths) == ["diff-a-b.html", "diff-a-b.md", "revisions.csv", "revisions.parquet"]
    assert pd.read_csv(tmp_path / "revisions.csv").change.tolist() == ["removed"]


# ---- CLI hook --------------------------------------------------------------------------


def test_main_diff_prints_markdown_and_writes(tmp_path, capsys):
    _write_clean(tmp_path / "clean", [make_plan("old", BASE, nomor="1/2021"), _changed_plan()])
    rc = main_diff(f"{tmp_path / 'clean'}:1/2021", f"{tmp_path / 'clean'}:new", tmp_path / "out")
    out = capsys.readouterr().out
    assert rc == 0 and out.startswith("# Perubahan rencana aksi: 1/2021 → new/2022")
    assert (tmp_path / "out" / "revisions.csv").exists() and (tmp_path / "out" / "diff-old-new.html").exists()


def test_resolve_plan_bare_key_uses_default_dir(tmp_path):
    _write_clean(tmp_path, [make_plan("old", BASE, nomor="1/2021")])
    assert resolve_plan("1/2021", default_dir=tmp_path).doc_id == "old"


def test_main_diff_unknown_side_is_exit_1(tmp_path, capsys):
    _write_clean(tmp_path, [OLD])
    assert main_diff(f"{tmp_path}:old", f"{tmp_path}:missing", None) == 1
    assert "missing" in capsys.readouterr().err
    assert main_diff(str(tmp_path / "nothing.pdf"), f"{tmp_path}:old", None) == 1


