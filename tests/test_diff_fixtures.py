"""Fixture pairs: the original SK and an amendment made by editing its content,
both rendered to PDF by the fixture generator and read back. Expected rows
come from the edit log (which old activity went where), never from the diff's
output.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

from lampiran.diff.link import link_versions
from lampiran.diff.plan import Plan, load_plans
from lampiran.diff.revisions import RevisionRecord
from lampiran.diff.stage import diff_plans, main_diff, write_diff, write_linked_diffs
from lampiran.model.records import ActivityRecord, DocumentRecord, ScheduleRecord
from lampiran import pipeline
from tests.fixtures import content as fixtures_content
from tests.fixtures import generate as fixtures_generate

pytestmark = pytest.mark.slow


Activity = fixtures_content.Activity

OLD_NOMOR = "29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021"


def _pipeline():
    return pipeline


# Where fixture plans come from: "pipeline" renders the PDF and reads it back with
# lampiran.pipeline (the real thing); "truth" builds the records the generator says the PDF
# contains (the diff alone). Both always run.
SOURCES = ["truth", "pipeline"]


def plan_from_content(content, name: str, out_dir: Path, source: str) -> Plan:
    """Render ``content`` to ``out_dir/name.pdf`` and read it back as a Plan."""
    pdf = out_dir / f"{name}.pdf"
    result = fixtures_generate.render(content, fixtures_generate.Style(), pdf)
    if source == "pipeline":
        return _pipeline().process(pdf)
    return _plan_from_truth(fixtures_generate.truth(content, result), name, pdf)


def _plan_from_truth(t: dict, doc_id: str, pdf: Path) -> Plan:
    d = t["documents"]
    document = DocumentRecord(
        doc_id=doc_id,
        source_file=pdf.name,
        sha256="0" * 64,
        **{
            k: d[k]
            for k in ("nomor", "tentang", "instansi", "tahun", "tanggal_ditetapkan", "mengubah_nomor", "pages", "kind")
        },
    )
    acts = [ActivityRecord(**{"doc_id": doc_id, "page_first": 1, "page_last": 1, **a}) for a in t["activities"]]
    sched = [ScheduleRecord(doc_id=doc_id, **s) for s in t["schedule"]]
    return Plan.from_records(document, acts, sched)


def original_content():
    """The SK before the amendment: the seed's activities under the amended decree's own facts."""
    c = fixtures_content.seed_content()
    lines = c.body["tentang_lines"][4:]  # drop "PERUBAHAN KEPUTUSAN ... NOMOR ... TENTANG"
    facts = {
        **c.facts,
        "nomor": OLD_NOMOR,
        "tentang": " ".join(lines),
        "mengubah_nomor": "",
        "tanggal_ditetapkan": "2021-06-14",
    }
    return dataclasses.replace(c, facts=facts, body={**c.body, "tentang_lines": lines}).check()


class Editor:
    """Edits a copy of the original activity list and logs the revisions each edit implies.

    Activities are tracked by their old number (inserted ones by a tag), so the new numbers
    of the expected rows are known however the list was reshuffled.
    """

    def __init__(self, activities):
        self.items = [(no, a) for no, a in enumerate(activities, start=1)]
        self.original = dict(self.items)  # old values of expected rows come from here
        self.expected: list[tuple] = []  # (change, old_no, new_tag, field, old_value, new_value)

    def _at(self, tag) -> int:
        return next(i for i, (t, _) in enumerate(self.items) if t == tag)

    def get(self, tag) -> Activity:
        return self.items[self._at(tag)][1]

    def insert_after(self, tag, tag_new: str, act: Activity) -> None:
        self.items.insert(self._at(tag) + 1, (tag_new, act))
        self.expected.append(("added", None, tag_new, "", "", act.sub_kegiatan))

    def insert_before(self, tag, tag_new: str, act: Activity) -> None:
        self.items.insert(self._at(tag), (tag_new, act))
        self.expected.append(("added", None, tag_new, "", "", act.sub_kegiatan))

    def renumber_item(self, tag, number: int) -> None:
        """Rewrite the list number in front of sub_kegiatan ("1. X" -> "2. X"): no revision."""
        i = self._at(tag)
        a = self.items[i][1]
        self.items[i] = (tag, dataclasses.replace(a, sub_kegiatan=re.sub(r"^\d+\.", f"{number}.", a.sub_kegiatan)))

    def remove(self, tag) -> None:
        i = self._at(tag)
        self.expected.append(("removed", tag, None, "", self.original[tag].sub_kegiatan, ""))
        del self.items[i]

    def reword(self, tag, field: str, new: str) -> None:
        i = self._at(tag)
        self.expected.append(("text_changed", tag, tag, field, getattr(self.original[tag], field), new))
        self.items[i] = (tag, dataclasses.replace(self.items[i][1], **{field: new}))

    def months(self, tag, months: tuple[int, ...]) -> None:
        i = self._at(tag)
        old = self.original[tag].months
        self.expected.append(("months_changed", tag, tag, "bulan", ",".join(map(str, old)), ",".join(map(str, months))))
        self.items[i] = (tag, dataclasses.replace(self.items[i][1], months=months))

    def renumber(self, area_no: str, kegiatan_map: dict[str, str]) -> None:
        """Change kegiatan numbers inside one area: numbers only, no revision."""
        self.items = [
            (
                t,
                dataclasses.replace(a, kegiatan_no=kegiatan_map.get(a.kegiatan_no, a.kegiatan_no))
                if a.area_no == area_no
                else a,
            )
            for t, a in self.items
        ]

    def swap(self, tag_a, tag_b) -> None:
        """Reorder two activities of one kegiatan: no revision."""
        i, j = self._at(tag_a), self._at(tag_b)
        self.items[i], self.items[j] = self.items[j], self.items[i]

    def move(self, tag, after_tag) -> None:
        """Move an activity to after another one, taking over that one's area and kegiatan."""
        act = self.items.pop(self._at(tag))[1]
        dest = self.get(after_tag)
        for f in ("area_perubahan", "kegiatan"):
            if getattr(self.original[tag], f) != getattr(dest, f):
                self.expected.append(("moved", tag, tag, f, getattr(self.original[tag], f), getattr(dest, f)))
        moved = dataclasses.replace(
            act,
            area_no=dest.area_no,
            area_perubahan=dest.area_perubahan,
            kegiatan_no=dest.kegiatan_no,
            kegiatan=dest.kegiatan,
        )
        self.items.insert(self._at(after_tag) + 1, (tag, moved))

    def content(self):
        c = fixtures_content.seed_content()  # the amendment's facts
        return dataclasses.replace(c, activities=[a for _, a in self.items]).check()

    def expected_rows(self, old_id: str, new_id: str) -> list[RevisionRecord]:
        new_no = {t: i for i, (t, _) in enumerate(self.items, start=1)}
        return [
            RevisionRecord(
                old_doc_id=old_id,
                new_doc_id=new_id,
                old_activity_no=o,
                new_activity_no=new_no[n] if n is not None else None,
                change=c,
                field=f,
                old_value=ov,
                new_value=nv,
            )
            for c, o, n, f, ov, nv in self.expected
        ]


_NEW_ACT = Activity(
    "4",
    "Penguatan Tatalaksana",
    "1",
    "Peningkatan tatalaksana proses bisnis",
    "5. Penyusunan standar pelayanan administrasi kepegawaian secara elektronik",
    "Dokumen standar pelayanan kepegawaian elektronik ditetapkan",
    "",
    "",
    (3,),
)


def _edit_add(e: Editor) -> None:
    e.insert_after(22, "new-1", dataclasses.replace(_NEW_ACT, kegiatan=e.get(22).kegiatan))


def _edit_insert_top(e: Editor) -> None:
    """A new first item of kegiatan 5.1: the seven after it become items 2..8."""
    first = e.get(28)
    e.insert_before(
        28,
        "new-top",
        dataclasses.replace(
            first,
            sub_kegiatan="1. Penyusunan pola karier pegawai",
            indikator_keberhasilan="Dokumen pola karier ditetapkan",
            months=(4,),
        ),
    )
    for n, tag in enumerate(range(28, 35), start=2):
        e.renumber_item(tag, n)


def _edit_remove(e: Editor) -> None:
    e.remove(44)


def _edit_reword(e: Editor) -> None:
    e.reword(30, "sub_kegiatan", "3. Penegakan disiplin pegawai dan Kode Etik Penyelenggara Pemilu")
    e.reword(36, "sub_kegiatan", e.get(36).sub_kegiatan.replace("Penysunan", "Penyusunan"))  # a typo fixed
    e.reword(49, "indikator_keberhasilan", e.get(49).indikator_keberhasilan + " dan diunggah ke aplikasi")


def _edit_months(e: Editor) -> None:
    e.months(9, (3, 9))
    e.months(29, (6, 7))


def _edit_renumber(e: Editor) -> None:
    e.renumber("7", {"4": "3", "5": "4", "6": "5"})  # the seed skips kegiatan 7.3; the amendment closes the gap


def _edit_reorder(e: Editor) -> None:
    e.swap(19, 20)
    e.swap(63, 64)


def _edit_move(e: Editor) -> None:
    e.move(35, 34)  # Profesionalisme ASN -> Pembangunan Sistem Merit (same area)
    e.move(16, 23)  # Pengelolaan JDIH (area 2) -> Keterbukaan Informasi (area 4)


def _edit_all(e: Editor) -> None:
    for f in (
        _edit_reorder,
        _edit_renumber,
        _edit_add,
        _edit_insert_top,
        _edit_remove,
        _edit_reword,
        _edit_months,
        _edit_move,
    ):
        f(e)


EDITS = {
    "add": _edit_add,
    "insert_top": _edit_insert_top,
    "remove": _edit_remove,
    "reword": _edit_reword,
    "months": _edit_months,
    "renumber": _edit_renumber,
    "reorder": _edit_reorder,
    "move": _edit_move,
    "all": _edit_all,
}


@pytest.fixture(scope="module")
def old_plans(tmp_path_factory) -> dict[str, Plan]:
    out = tmp_path_factory.mktemp("fixture-old")
    return {s: plan_from_content(original_content(), "sk-old", out, s) for s in SOURCES}


def _key(r: RevisionRecord) -> tuple:
    return tuple("" if v is None else str(v) for v in r.model_dump().values())


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("name", list(EDITS))
def test_fixture_pair_exact_revisions(name, source, old_plans, tmp_path):
    old = old_plans[source]
    e = Editor(original_content().activities)
    EDITS[name](e)
    new = plan_from_content(e.content(), f"sk-new-{name}", tmp_path, source)
    got = diff_plans(old, new)
    want = e.expected_rows(old.doc_id, new.doc_id)
    if name in ("renumber", "reorder"):
        assert want == []
    assert sorted(map(_key, got)) == sorted(map(_key, want))
    # rows come in the new document's order
    order = [r.new_activity_no or 0 for r in got if r.change != "removed"]
    assert order == sorted(order)


@pytest.mark.parametrize("source", SOURCES)
def test_fixture_pair_links_and_writes(source, old_plans, tmp_path):
    old = old_plans[source]
    e = Editor(original_content().activities)
    _edit_all(e)
    new = plan_from_content(e.content(), "sk-new-all", tmp_path, source)
    assert link_versions([new.document, old.document]) == [(old.doc_id, new.doc_id)]
    paths = write_diff(old, new, tmp_path / "diff")
    df = pd.read_csv(tmp_path / "diff" / "revisions.csv", keep_default_na=False, dtype=str)
    assert len(df) == len(e.expected) and set(df.change) == {
        "added",
        "removed",
        "text_changed",
        "months_changed",
        "moved",
    }
    md = next(p for p in paths if p.suffix == ".md").read_text(encoding="utf-8")
    assert f"| **total** | {len(e.expected)} |" in md
    assert diff_plans(new, new) == [] and diff_plans(old, old) == []


def test_main_diff_on_two_pdfs(tmp_path, capsys):
    fixtures_generate.render(original_content(), fixtures_generate.Style(), tmp_path / "old.pdf")
    e = Editor(original_content().activities)
    _edit_months(e)
    fixtures_generate.render(e.content(), fixtures_generate.Style(), tmp_path / "new.pdf")
    assert main_diff(str(tmp_path / "old.pdf"), str(tmp_path / "new.pdf"), tmp_path / "out", read_pdf=pipeline.process) == 0
    out = capsys.readouterr().out
    assert "| months_changed | 2 |" in out and "| **total** | 2 |" in out
    assert len(list((tmp_path / "out").glob("diff-*.html"))) == 1


def test_normalized_folder_roundtrip_and_linked_diffs(tmp_path):
    """The real writer (batch.write_outputs) -> load_plans -> write_linked_diffs."""
    from lampiran.batch import write_outputs

    fixtures_generate.render(original_content(), fixtures_generate.Style(), tmp_path / "old.pdf")
    e = Editor(original_content().activities)
    _edit_remove(e)
    fixtures_generate.render(e.content(), fixtures_generate.Style(), tmp_path / "new.pdf")
    processed = [_pipeline().process(tmp_path / n) for n in ("old.pdf", "new.pdf")]
    write_outputs(tmp_path / "clean", processed, [])
    loaded = load_plans(tmp_path / "clean")
    for p in processed:
        assert loaded[p.document.doc_id] == Plan.from_records(p.document, p.activities, p.schedule)
    write_linked_diffs(tmp_path / "clean")
    df = pd.read_csv(tmp_path / "clean" / "revisions.csv", keep_default_na=False, dtype=str)
    assert df[["old_activity_no", "new_activity_no", "change"]].values.tolist() == [["44", "", "removed"]]


def test_run_links_an_amendment_to_the_sk_it_amends(tmp_path, capsys):
    """`lampiran run` writes the diff of a document whose mengubah_nomor is another's nomor."""
    from lampiran.cli import main

    raw = tmp_path / "raw"
    raw.mkdir()
    fixtures_generate.render(original_content(), fixtures_generate.Style(), raw / "sk-2021.pdf")
    e = Editor(original_content().activities)
    _edit_months(e)
    fixtures_generate.render(e.content(), fixtures_generate.Style(), raw / "sk-2022-perubahan.pdf")
    out = tmp_path / "clean"
    assert main(["run", str(raw), "--out", str(out), "--interim", str(tmp_path / "i"), "--jobs", "1"]) == 0
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False).set_index("source_file")
    old_id, new_id = docs.loc["sk-2021.pdf", "doc_id"], docs.loc["sk-2022-perubahan.pdf", "doc_id"]
    assert docs.loc["sk-2022-perubahan.pdf", "mengubah_nomor"] == docs.loc["sk-2021.pdf", "nomor"] == OLD_NOMOR
    rev = pd.read_csv(out / "revisions.csv", dtype=str, keep_default_na=False)
    want = e.expected_rows(old_id, new_id)
    assert sorted(map(tuple, rev.values.tolist())) == sorted(tuple("" if v is None else str(v) for v in r.model_dump().values()) for r in want)
    assert set(rev["change"]) == {"months_changed"} and (rev["old_doc_id"] == old_id).all()
    assert {p.name for p in out.glob("diff-*")} == {f"diff-{old_id}-{new_id}.md", f"diff-{old_id}-{new_id}.html"}
    # `lampiran diff` by doc_id in that folder gives the same report.
    capsys.readouterr()
    assert main(["diff", f"{out}:{old_id}", f"{out}:{new_id}", "--out", str(tmp_path / "d")]) == 0
    assert capsys.readouterr().out == (out / f"diff-{old_id}-{new_id}.md").read_text(encoding="utf-8")


@pytest.mark.ocr
def test_digital_old_against_scanned_new(tmp_path):
    """The original as a digital PDF, the amendment as a 200 dpi scan: every
    injected change found once with its type and numbers; OCR noise in the
    scan is not reported as rewording; values read by OCR are near the truth."""
    from rapidfuzz.distance import Levenshtein

    from tests.fixtures.scan import scan_document

    old = plan_from_content(original_content(), "sk-old", tmp_path, "pipeline")
    e = Editor(original_content().activities)
    _edit_months(e)
    _edit_add(e)
    _edit_remove(e)
    e.reword(30, "sub_kegiatan", "3. Penegakan disiplin pegawai dan Kode Etik Penyelenggara Pemilu")
    digital_new = tmp_path / "sk-new.pdf"
    fixtures_generate.render(e.content(), fixtures_generate.Style(), digital_new)
    scanned_new = tmp_path / "sk-new-scan.pdf"
    scan_document(digital_new, scanned_new, 200)
    new = pipeline.process(scanned_new)
    assert new.document.kind == "scanned"
    got = diff_plans(old, new)
    want = e.expected_rows(old.doc_id, new.doc_id)
    shape = lambda r: (r.change, r.field, r.old_activity_no, r.new_activity_no)  # noqa: E731
    assert sorted(map(shape, got), key=str) == sorted(map(shape, want), key=str)
    for g in got:
        w = next(x for x in want if shape(x) == shape(g))
        for a, b in ((g.old_value, w.old_value), (g.new_value, w.new_value)):
            assert Levenshtein.normalized_similarity(a, b) >= 0.95, (a, b)


def test_ocr_noise_bound():
    from lampiran.diff.revisions import ocr_noise

    assert ocr_noise("capaian kinerja kpu kabupaten lumajang", "yo capaian kinerja kpu kabupaten lumajang")
    assert ocr_noise("sekretaris", "sekretans")
    assert not ocr_noise("penerapan disiplin dan kode etik", "penegakan disiplin pegawai dan kode etik")
    assert not ocr_noise("laporan", "laporan dan diunggah ke aplikasi")
