"""The diff on small in-memory plans: text normalisation, what is and is not a
change, OCR noise, the optimal assignment, order and records. Every expected
row is written from the edit that was made, never read back from the output.
"""

from __future__ import annotations

import re

import pytest

from lampiran.diff.match import THRESHOLD, greedy_match, match_plans, similarity
from lampiran.diff.revisions import REVISION_COLUMNS
from lampiran.diff.stage import diff_plans
from lampiran.diff.text import norm, norm_nomor
from tests.diff_plans import A1, A2, BASE, K11, K12, K21, OLD, edit, make_plan, rev


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


def _rebroken(text: str) -> str:
    """The same text with its lines broken elsewhere: a space after "/", a
    line-end hyphen inside a long word, a space lost between two words."""
    text = text.replace("/", "/ ")
    words = text.split(" ")
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    w = words[longest]
    words[longest] = w[: len(w) // 2] + "- " + w[len(w) // 2 :]
    return " ".join(words).replace(" dan ", "dan ", 1)


def test_a_plan_against_itself_with_other_line_breaks_gives_no_rows():
    rows = [edit(r, area=_rebroken(r[1]), kegiatan=_rebroken(r[3]), sub=_rebroken(r[4]), ind=_rebroken(r[5]))
            for r in BASE]
    assert diff_plans(OLD, make_plan("new", rows)) == []
    # A real edit still shows through.
    rows[2] = edit(rows[2], sub=rows[2][4] + " tambahan")
    assert [r.change for r in diff_plans(OLD, make_plan("new", rows))] == ["text_changed"]


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


