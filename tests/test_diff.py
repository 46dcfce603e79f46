"""The DIFF stage: matching, the revisions table, reports, loaders, CLI hook.

Part 1 works on small in-memory plans, one change type at a time. Part 2
(further down) edits whole fixture documents and checks the exact revisions.
Every expected row is written from the edit that was made, never read back
from the output.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # allow a bare `pytest` without an installed package
    sys.path.insert(0, str(ROOT))

from lampiran.diff.link import link_versions
from lampiran.diff.match import THRESHOLD, greedy_match, match_plans, similarity
from lampiran.diff.plan import Plan, load_plan, load_plans
from lampiran.diff.revisions import REVISION_COLUMNS, RevisionRecord
from lampiran.diff.stage import compute, diff_plans, diff_versions, main_diff, resolve_plan, write_diff, write_linked_diffs
from lampiran.diff.text import norm, norm_nomor
from lampiran.model.records import COLUMNS, ActivityRecord, DocumentRecord, ScheduleRecord
from lampiran.model.write import frame, write_table

# ---- building plans in memory ---------------------------------------------------

A1, A2 = "Manajemen Perubahan", "Penguatan Akuntabilitas"
K11, K12, K21 = "Perencanaan Reformasi Birokrasi", "Pelaksanaan manajemen perubahan", "Pengukuran kinerja"

# (area_no, area, kegiatan_no, kegiatan, sub_kegiatan, indikator, penanggung_jawab, keterangan, months)
BASE = [
    ("1", A1, "1", K11, "1) Pembentukan Tim Reformasi Birokrasi", "SK Tim RB ditetapkan", "Sekretaris", "", (1,)),
    (
        "1",
        A1,
        "1",
        K11,
        "2) Penyusunan Rencana Aksi Reformasi Birokrasi",
        "Dokumen Rencana Aksi RB",
        "Tim RB",
        "",
        (1, 2),
    ),
    (
        "1",
        A1,
        "2",
        K12,
        "1. Sosialisasi Reformasi Birokrasi melalui berbagai media",
        "Tersedianya media sosialisasi RB",
        "Tim RB",
        "",
        tuple(range(1, 13)),
    ),
    (
        "1",
        A1,
        "2",
        K12,
        "2. Internalisasi nilai-nilai dasar organisasi",
        "Budaya kerja positif diterapkan",
        "Kasubbag Umum",
        "",
        (3, 6, 9, 12),
    ),
    (
        "1",
        A1,
        "2",
        K12,
        "3. Monitoring dan evaluasi pelaksanaan agen perubahan",
        "Laporan monev agen perubahan",
        "Tim RB",
        "triwulan",
        (3, 6, 9, 12),
    ),
    (
        "2",
        A2,
        "1",
        K21,
        "1. Penyusunan Perjanjian Kinerja pejabat struktural",
        "Dokumen Perjanjian Kinerja ditandatangani",
        "Kasubbag Program",
        "",
        (1,),
    ),
    (
        "2",
        A2,
        "1",
        K21,
        "2. Pengukuran capaian kinerja triwulanan",
        "Laporan capaian kinerja triwulan",
        "Kasubbag Program",
        "",
        (1, 4, 7, 10),
    ),
    (
        "2",
        A2,
        "1",
        K21,
        "3. Penyusunan Laporan Kinerja Instansi Pemerintah",
        "LKjIP disampaikan tepat waktu",
        "Kasubbag Program",
        "",
        (2,),
    ),
]


def doc(doc_id: str, nomor: str = "", mengubah: str = "") -> DocumentRecord:
    return DocumentRecord(
        doc_id=doc_id,
        source_file=f"{doc_id}.pdf",
        sha256="0" * 64,
        nomor=nomor or f"{doc_id}/2022",
        tentang="Rencana Aksi Reformasi Birokrasi",
        instansi="KPU KABUPATEN LUMAJANG",
        tahun=2022,
        tanggal_ditetapkan="2022-02-08",
        mengubah_nomor=mengubah,
        pages=3,
        kind="digital",
    )


def make_plan(doc_id: str, rows, nomor: str = "", mengubah: str = "") -> Plan:
    """A plan whose activity_no is the row's position (as in a real table)."""
    acts, sched = [], []
    for i, (a_no, area, k_no, keg, sub, ind, pj, ket, months) in enumerate(rows, start=1):
        acts.append(
            ActivityRecord(
                doc_id=doc_id,
                activity_no=i,
                area_no=a_no,
                area_perubahan=area,
                kegiatan_no=k_no,
                kegiatan=keg,
                sub_kegiatan=sub,
                indikator_keberhasilan=ind,
                penanggung_jawab=pj,
                keterangan=ket,
                page_first=1 + i // 4,
                page_last=1 + i // 4,
            )
        )
        sched += [ScheduleRecord(doc_id=doc_id, activity_no=i, bulan=m) for m in months]
    return Plan.from_records(doc(doc_id, nomor, mengubah), acts, sched)


def edit(row, **kw):
    names = ("area_no", "area", "kegiatan_no", "kegiatan", "sub", "ind", "pj", "ket", "months")
    d = dict(zip(names, row))
    d.update(kw)
    return tuple(d[n] for n in names)


def rev(change, old_no, new_no, field="", old_value="", new_value="", old="old", new="new") -> RevisionRecord:
    return RevisionRecord(
        old_doc_id=old,
        new_doc_id=new,
        old_activity_no=old_no,
        new_activity_no=new_no,
        change=change,
        field=field,
        old_value=old_value,
        new_value=new_value,
    )


OLD = make_plan("old", BASE)


# ---- text normalisation -------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, want",
    [
        ("1) Pembentukan Tim", "pembentukan tim"),
        ("2.  Sosialisasi   RB", "sosialisasi rb"),
        ("1.2. Penyusunan SOP", "penyusunan sop"),
        ("(3) Rapat, koordinasi!", "rapat koordinasi"),
        ("a. Surat Pernyataan", "surat pernyataan"),
        ("- Monev", "monev"),
        ("2022 anggaran", "2022 anggaran"),  # a bare number is content, not numbering
    ],
)
def test_norm_strips_numbering_case_space(raw, want):
    assert norm(raw) == want


def test_norm_nomor_ignores_spaces_case_and_prefix():
    assert norm_nomor("Nomor : 29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021") == norm_nomor(
        "29 / hk.03.1-kpt / 3508/KPU-Kab/VI/2021"
    )
    assert norm_nomor("07/HK.03.1/3508/2022") != norm_nomor("06/HK.03.1/3508/2022")


# ---- no-change cases -------------------------------------------------------------


def test_self_diff_is_empty():
    assert diff_plans(OLD, OLD) == []
    assert diff_plans(OLD, make_plan("new", BASE)) == []


def test_renumbering_only_is_no_change():
    # New numbers everywhere: area and kegiatan numbers shifted ...
    rows = [edit(r, area_no=str(int(r[0]) + 1), kegiatan_no=str(int(r[2]) + 3)) for r in BASE]
    assert diff_plans(OLD, make_plan("new", rows)) == []
    # ... and the list numbers in front of sub_kegiatan rewritten ("1) " -> "b. ", "1. " -> "(2) ")
    rows = [
        edit(r, sub=re.sub(r"^(\d)[.)] ", lambda m: f"({int(m[1]) + 1}) ", r[4].replace("1) ", "b. ", 1))) for r in rows
    ]
    assert [r[4] for r in rows][:3] == [
        "b. Pembentukan Tim Reformasi Birokrasi",
        "(3) Penyusunan Rencana Aksi Reformasi Birokrasi",
        "(2) Sosialisasi Reformasi Birokrasi melalui berbagai media",
    ]
    assert diff_plans(OLD, make_plan("new", rows)) == []


def test_numbers_inside_a_text_are_content():
    rows = list(BASE)
    rows[4] = edit(BASE[4], ind="1. Laporan monev agen perubahan 2. Laporan monev triwulan")
    new_ind = "1. Laporan monev agen perubahan 3. Laporan monev triwulan"
    changed = make_plan("new", rows[:4] + [edit(rows[4], ind=new_ind)] + rows[5:])
    assert diff_plans(make_plan("old", rows), changed) == [
        rev("text_changed", 5, 5, "indikator_keberhasilan", rows[4][5], new_ind)
    ]


def test_insert_renumbers_following_activities_without_changes():
    row = ("1", A1, "1", K11, "3) Penetapan Agen Perubahan", "SK Agen Perubahan", "Sekretaris", "", (2,))
    new = make_plan("new", BASE[:2] + [row] + BASE[2:])  # old 3..8 become new 4..9
    assert diff_plans(OLD, new) == [rev("added", None, 3, new_value="3) Penetapan Agen Perubahan")]


def test_reorder_is_no_change():
    rows = [BASE[i] for i in (5, 7, 6, 2, 4, 3, 1, 0)]
    assert diff_plans(OLD, make_plan("new", rows)) == []


# ---- one change type at a time ------------------------------------------------------


def test_added_and_removed():
    new_row = (
        "2",
        A2,
        "1",
        K21,
        "4. Reviu Laporan Kinerja oleh Inspektorat",
        "Laporan hasil reviu LKjIP",
        "Inspektorat",
        "",
        (3,),
    )
    new = make_plan("new", BASE[:3] + BASE[4:] + [new_row])  # drop old 4, append
    assert diff_plans(OLD, new) == [
        rev("removed", 4, None, old_value="2. Internalisasi nilai-nilai dasar organisasi"),
        rev("added", None, 8, new_value="4. Reviu Laporan Kinerja oleh Inspektorat"),
    ]


def test_removed_first_activity_sits_first():
    new = make_plan("new", BASE[1:])
    assert diff_plans(OLD, new) == [rev("removed", 1, None, old_value=BASE[0][4])]


def test_text_changed_one_row_per_field():
    rows = list(BASE)
    rows[4] = edit(BASE[4], ind="Laporan monev agen perubahan per semester", pj="Tim RB dan Agen Perubahan", ket="")
    got = diff_plans(OLD, make_plan("new", rows))
    assert got == [
        rev(
            "text_changed",
            5,
            5,
            "indikator_keberhasilan",
            "Laporan monev agen perubahan",
            "Laporan monev agen perubahan per semester",
        ),
        rev("text_changed", 5, 5, "penanggung_jawab", "Tim RB", "Tim RB dan Agen Perubahan"),
        rev("text_changed", 5, 5, "keterangan", "triwulan", ""),
    ]


def test_months_changed():
    rows = list(BASE)
    rows[6] = edit(BASE[6], months=(2, 5, 8, 11))
    assert diff_plans(OLD, make_plan("new", rows)) == [rev("months_changed", 7, 7, "bulan", "1,4,7,10", "2,5,8,11")]


def test_months_changed_to_none():
    rows = list(BASE)
    rows[0] = edit(BASE[0], months=())
    assert diff_plans(OLD, make_plan("new", rows)) == [rev("months_changed", 1, 1, "bulan", "1", "")]


def test_moved_to_other_kegiatan_same_area():
    # old 2 ("Penyusunan Rencana Aksi") goes to the end of kegiatan 2
    rows = [BASE[0]] + BASE[2:5] + [edit(BASE[1], kegiatan_no="2", kegiatan=K12)] + BASE[5:]
    assert diff_plans(OLD, make_plan("new", rows)) == [rev("moved", 2, 5, "kegiatan", K11, K12)]


def test_moved_to_other_area_reports_both_fields():
    rows = BASE[:3] + BASE[4:] + [edit(BASE[3], area_no="2", area=A2, kegiatan_no="1", kegiatan=K21)]
    assert diff_plans(OLD, make_plan("new", rows)) == [
        rev("moved", 4, 8, "area_perubahan", A1, A2),
        rev("moved", 4, 8, "kegiatan", K12, K21),
    ]


def test_moved_and_reworded_and_rescheduled_in_one():
    rows = list(BASE)
    rows[7] = edit(
        BASE[7],
        kegiatan="Pelaporan kinerja",
        sub="3. Penyusunan Laporan Kinerja Instansi Pemerintah (LKjIP)",
        months=(1, 2),
    )
    assert diff_plans(OLD, make_plan("new", rows)) == [
        rev("moved", 8, 8, "kegiatan", K21, "Pelaporan kinerja"),
        rev(
            "text_changed",
            8,
            8,
            "sub_kegiatan",
            BASE[7][4],
            "3. Penyusunan Laporan Kinerja Instansi Pemerintah (LKjIP)",
        ),
        rev("months_changed", 8, 8, "bulan", "2", "1,2"),
    ]


def test_unrelated_replacement_is_removed_plus_added():
    rows = list(BASE)
    rows[3] = edit(BASE[3], sub="2. Pengadaan sarana arsip dinamis", ind="Gedung arsip tersedia", pj="Kasubbag Umum")
    got = diff_plans(OLD, make_plan("new", rows))
    # like a unified diff: the old line goes first, then its replacement
    assert got == [
        rev("removed", 4, None, old_value=BASE[3][4]),
        rev("added", None, 4, new_value="2. Pengadaan sarana arsip dinamis"),
    ]


def test_whitespace_only_differences_are_no_change():
    rows = [edit(r, sub="  " + r[4].replace(" ", "   ") + " ") for r in BASE]
    assert diff_plans(OLD, make_plan("new", rows)) == []


# ---- OCR noise ----------------------------------------------------------------------


def _ocr(text: str) -> str:
    """A few typical OCR substitutions (l->1, o->0, m->rn, e->c) at fixed spots."""
    return text.replace("l", "1", 1).replace("o", "0", 1).replace("m", "rn", 1).replace("e", "c", 1)


def test_ocr_noise_on_every_activity_still_matches_one_to_one():
    rows = [edit(r, sub=_ocr(r[4]), ind=_ocr(r[5])) for r in BASE]
    new = make_plan("new", rows)
    m = match_plans(OLD, new)
    assert m.pairs == tuple((i, i) for i in range(1, 9)) and not m.added and not m.removed
    got = diff_plans(OLD, new)
    want = []
    for i, r in enumerate(BASE, start=1):
        for field, j in (("sub_kegiatan", 4), ("indikator_keberhasilan", 5)):
            if _ocr(r[j]) != r[j]:
                want.append(rev("text_changed", i, i, field, r[j], _ocr(r[j])))
    assert got == want


def test_ocr_noise_plus_renumbering_and_reorder():
    rows = [edit(BASE[i], sub=_ocr(BASE[i][4]), kegiatan_no="9") for i in (1, 0, 2, 3, 4, 5, 6, 7)]
    m = match_plans(OLD, make_plan("new", rows))
    assert sorted(m.pairs) == [(1, 2), (2, 1)] + [(i, i) for i in range(3, 9)]


def test_ocr_noise_in_heading_keeps_group_and_reports_the_heading_change():
    noisy = _ocr(K21)
    rows = BASE[:5] + [edit(r, kegiatan=noisy) for r in BASE[5:]]
    got = diff_plans(OLD, make_plan("new", rows))
    assert got == [rev("moved", i, i, "kegiatan", K21, noisy) for i in (6, 7, 8)]


def test_loose_mode_ignores_ocr_punctuation_but_not_words():
    rows = list(BASE)
    rows[2] = edit(BASE[2], sub="1, Sosialisasi Reformasi Birokrasi melalui berbagai media;")
    rows[3] = edit(BASE[3], sub="2. Internalisasi nilai-nilai dasar organisasi dan budaya kerja")
    new = make_plan("new", rows)
    assert [r.new_activity_no for r in diff_plans(OLD, new)] == [3, 4]
    assert diff_plans(OLD, new, loose=True) == [
        rev(
            "text_changed",
            4,
            4,
            "sub_kegiatan",
            BASE[3][4],
            "2. Internalisasi nilai-nilai dasar organisasi dan budaya kerja",
        ),
    ]


def test_empty_plans():
    empty = make_plan("new", [])
    assert diff_plans(empty, empty) == []
    assert [r.change for r in diff_plans(OLD, empty)] == ["removed"] * 8
    assert [(r.change, r.new_activity_no) for r in diff_plans(empty, OLD)] == [("added", i) for i in range(1, 9)]


def test_threshold_decides_changed_versus_replaced():
    rows = list(BASE)
    rows[5] = edit(
        BASE[5],
        sub="1. Penyusunan dan penandatanganan Perjanjian Kinerja seluruh pegawai",
        ind="Perjanjian Kinerja seluruh pegawai ditandatangani",
    )
    new = make_plan("new", rows)
    assert {r.change for r in diff_plans(OLD, new, threshold=50)} == {"text_changed"}
    assert {r.change for r in diff_plans(OLD, new, threshold=99)} == {"added", "removed"}


# ---- optimal vs greedy ----------------------------------------------------------------

# Two old and two new activities on a "line": A is nearest to X, but taking A-X
# leaves B-Y below the threshold. The optimal assignment pairs A-Y and B-X.
_SUB = "Penyusunan laporan kinerja tahunan sekretariat komisi pemilihan umum kabupaten lumajang"
_IND = "Dokumen laporan kinerja disusun lengkap dan disampaikan tepat pada waktunya"
_G_A = ("2", A2, "1", K21, _SUB, _IND, "", "", (1,))
_G_B = (
    "2",
    A2,
    "1",
    K21,
    "Penyusunan laporan kinerja tahunan seluruh satuan kerja umum kabupaten lumajang",
    "Ringkasan capaian target disusun ringkas serta dikirimkan tepat pada waktunya",
    "",
    "",
    (1,),
)
_G_X = (
    "2",
    A2,
    "1",
    K21,
    _SUB,
    "Ringkasan capaian target disusun lengkap dan disampaikan tepat pada waktunya",
    "",
    "",
    (1,),
)
_G_Y = (
    "2",
    A2,
    "1",
    K21,
    "Penyusunan laporan kinerja tahunan sekretariat komisi pemilihan umum kabupaten jember",
    "Dokumen laporan kinerja disusun lengkap dan disampaikan setiap akhir tahun",
    "",
    "",
    (1,),
)


def test_optimal_assignment_beats_greedy():
    old, new = make_plan("old", [_G_A, _G_B]), make_plan("new", [_G_X, _G_Y])
    s = similarity(old.activities, new.activities)
    # the construction: A-X is the single best pair, B-Y is below the threshold
    assert s[0, 0] == s.max() and s[1, 1] < THRESHOLD <= min(s[0, 1], s[1, 0])
    assert greedy_match(old, new) == [(1, 1)]  # greedy: one pair, B removed, Y added
    m = match_plans(old, new)
    assert sorted(m.pairs) == [(1, 2), (2, 1)] and not m.added and not m.removed
    assert {r.change for r in diff_plans(old, new)} == {"text_changed"}


def test_own_hungarian_is_optimal_like_scipy():
    scipy_optimize = pytest.importorskip("scipy.optimize")
    import numpy as np

    from lampiran.diff.assign import linear_sum_assignment

    rng = np.random.default_rng(7)
    for t in range(200):
        n, m = int(rng.integers(0, 9)), int(rng.integers(0, 9))
        a = rng.integers(0, 4, (n, m)).astype(float) if t % 2 else rng.random((n, m)) * 100  # with and without ties
        for maximize in (False, True):
            r1, c1 = scipy_optimize.linear_sum_assignment(a, maximize=maximize)
            r2, c2 = linear_sum_assignment(a, maximize=maximize)
            assert len(r2) == min(n, m) and len(set(c2.tolist())) == len(c2) and list(r2) == sorted(r2)
            assert a[r2, c2].sum() == pytest.approx(a[r1, c1].sum())


def test_identical_duplicates_pair_by_months_and_position():
    dup = ("1", A1, "2", K12, "Rapat koordinasi tim RB", "Notulen rapat", "Tim RB", "")
    old = make_plan("old", [dup + ((1,),), dup + ((6,),), dup + ((12,),)])
    new = make_plan("new", [dup + ((12,),), dup + ((1,),), dup + ((6,),)])
    assert diff_plans(old, new) == []
    assert sorted(match_plans(old, new).pairs) == [(1, 2), (2, 3), (3, 1)]


def test_group_first_prefers_partner_in_same_kegiatan():
    # The same text in two kegiatan; each stays with its own kegiatan even when reordered.
    same = ("Rapat koordinasi", "Notulen rapat", "Tim RB", "")
    old = make_plan("old", [("1", A1, "1", K11, *same, (1,)), ("2", A2, "1", K21, *same, (2,))])
    new = make_plan("new", [("1", A2, "1", K21, *same, (2,)), ("2", A1, "1", K11, *same, (1,))])
    assert diff_plans(old, new) == []


def test_moved_activity_not_captured_by_similar_newcomer_in_old_kegiatan():
    # Old 5 moves unchanged to area 2; a new, merely similar activity takes its place in
    # kegiatan 1.2. Group-first matching alone would pair old 5 with the newcomer.
    newcomer = edit(
        BASE[4], sub="3. Monitoring dan evaluasi pelaksanaan budaya kerja", ind="Laporan monev budaya kerja"
    )
    moved = edit(BASE[4], area_no="2", area=A2, kegiatan_no="1", kegiatan=K21)
    new = make_plan("new", BASE[:4] + [newcomer] + BASE[5:] + [moved])
    s = similarity(OLD.activities, new.activities)
    assert s[4, 4] >= THRESHOLD  # the newcomer would pass as a reworded old 5
    assert diff_plans(OLD, new) == [
        rev("added", None, 5, new_value="3. Monitoring dan evaluasi pelaksanaan budaya kerja"),
        rev("moved", 5, 9, "area_perubahan", A1, A2),
        rev("moved", 5, 9, "kegiatan", K12, K21),
    ]


# ---- ordering, records, determinism ----------------------------------------------------


def test_rows_follow_new_document_order_and_are_deterministic():
    rows = list(BASE)
    rows[0] = edit(BASE[0], months=(1, 2))
    rows[5] = edit(BASE[5], ind="Dokumen Perjanjian Kinerja ditandatangani seluruh pejabat")
    rows.insert(3, ("1", A1, "2", K12, "Penetapan agen perubahan", "SK agen perubahan", "Sekretaris", "", (2,)))
    del rows[8]  # old 8
    new = make_plan("new", rows)
    first = diff_plans(OLD, new)
    assert [(r.change, r.old_activity_no, r.new_activity_no) for r in first] == [
        ("months_changed", 1, 1),
        ("added", None, 4),
        ("text_changed", 6, 7),
        ("removed", 8, None),
    ]
    assert first == diff_plans(OLD, new)


def test_revision_record_validates_its_shape():
    with pytest.raises(ValueError):
        rev("added", 3, 4)
    with pytest.raises(ValueError):
        rev("months_changed", 1, 1, "sub_kegiatan")
    with pytest.raises(ValueError):
        rev("removed", 1, None, "bulan")
    assert REVISION_COLUMNS == [
        "old_doc_id",
        "new_doc_id",
        "old_activity_no",
        "new_activity_no",
        "change",
        "field",
        "old_value",
        "new_value",
    ]


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


def test_main_diff_unknown_side_is_exit_2(tmp_path, capsys):
    _write_clean(tmp_path, [OLD])
    assert main_diff(f"{tmp_path}:old", f"{tmp_path}:missing", None) == 2
    assert "missing" in capsys.readouterr().err
    assert main_diff(str(tmp_path / "nothing.pdf"), f"{tmp_path}:old", None) == 2


# =========================================================================================
# Part 2: fixture pairs. The original SK and an amendment made by editing its content, both
# rendered to PDF by the fixture generator and read back. Expected rows come from the edit
# log (which old activity went where), never from the diff's output.
# =========================================================================================


from lampiran import pipeline  # noqa: E402  (the real extractor reads the rendered pairs)
from tests.fixtures import content as fixtures_content  # noqa: E402
from tests.fixtures import generate as fixtures_generate  # noqa: E402

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
