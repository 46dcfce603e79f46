"""Small in-memory plans for the diff tests, one change type at a time."""

from __future__ import annotations



from lampiran.diff.plan import Plan
from lampiran.diff.revisions import RevisionRecord
from lampiran.model.records import ActivityRecord, DocumentRecord, ScheduleRecord

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

