"""Corrections survive re-runs: a first run, a re-run that skips extraction and
--force give the same corrected tables to the byte; a changed corrections file
takes effect without reading the PDF again; a correction that matches nothing
is a warning and a row of the corrections table, never a silent no-op."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lampiran.cli import main
from lampiran.model.interim import doc_id_for
from lampiran.model.io import sha256_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "raw" / "sk-kpu-lumajang-2022-rencana-aksi-rb.pdf"
DOC = doc_id_for(sha256_file(SAMPLE))


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".lampiran" not in p.parts}


def _write(folder: Path, rows: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fix.csv").write_text("doc_id,activity_no,field,value,note\n" + "".join(r + "\n" for r in rows),
                                    encoding="utf-8")


@pytest.fixture
def project(tmp_path) -> Path:
    _write(tmp_path / "corrections", [
        f"{DOC},1,sub_kegiatan,Pembentukan Tim RB (dikoreksi),salah ketik",
        f'{DOC},2,bulan,"2,8",',
        f"{DOC},1:4:5,table_cells,SEL DIKOREKSI,",
    ])
    return tmp_path


def _run(project: Path, *extra: str) -> int:
    return main(["run", str(SAMPLE), "--out", str(project / "clean"), "-q", *extra])


def test_corrections_hold_on_a_first_run_a_skipping_rerun_and_force(project, capsys):
    out = project / "clean"
    assert _run(project) == 0
    first = _files(out)
    acts = pd.read_csv(out / "activities.csv", dtype=str, keep_default_na=False)
    assert acts.loc[0, "sub_kegiatan"] == "Pembentukan Tim RB (dikoreksi)"
    sched = pd.read_csv(out / "schedule.csv", dtype=str, keep_default_na=False)
    assert sched.loc[sched.activity_no == "2", "bulan"].tolist() == ["2", "8"]
    cells = pd.read_csv(out / "table_cells.csv", dtype=str, keep_default_na=False)
    assert cells.loc[(cells.row_no == "4") & (cells.col_no == "5"), "value"].tolist() == ["SEL DIKOREKSI"]
    table = pd.read_csv(out / "corrections.csv", dtype=str, keep_default_na=False)
    assert table["status"].tolist() == ["applied"] * 3
    assert table.loc[1, "old_value"] == "1" and table.loc[0, "note"] == "salah ketik"
    assert _run(project) == 0  # every document unchanged: nothing read again
    assert _files(out) == first
    assert _run(project, "--force") == 0
    assert _files(out) == first


def test_a_changed_corrections_file_takes_effect_without_reading_the_pdf_again(project, capsys):
    out = project / "clean"
    assert main(["run", str(SAMPLE), "--out", str(out)]) == 0
    _write(project / "corrections", [f"{DOC},3,penanggung_jawab,Sekretaris,"])
    capsys.readouterr()
    assert main(["run", str(SAMPLE), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "1 documents: 0 processed, 1 unchanged, 0 failed" in printed and "corrections: 1 of 1 applied" in printed
    acts = pd.read_csv(out / "activities.csv", dtype=str, keep_default_na=False)
    assert acts.loc[2, "penanggung_jawab"] == "Sekretaris"
    assert acts.loc[0, "sub_kegiatan"] != "Pembentukan Tim RB (dikoreksi)"  # the old correction is gone


def test_a_correction_that_matches_nothing_is_a_warning_never_a_no_op(tmp_path, capsys):
    _write(tmp_path / "corrections", [
        f"{DOC},999,kegiatan,x,",
        "000000000000,1,kegiatan,x,",
        f"{DOC},1,warna,merah,",
        f'{DOC},1,bulan,"0,13",',
        f"{DOC},9:9:9,table_cells,x,",
    ])
    out = tmp_path / "clean"
    assert main(["run", str(SAMPLE), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    table = pd.read_csv(out / "corrections.csv", dtype=str, keep_default_na=False)
    assert table["status"].tolist() == ["unmatched", "unmatched", "invalid", "invalid", "unmatched"]
    assert err.count("[correction_unmatched]") == 5
    warnings = pd.read_csv(out / "warnings.csv", dtype=str, keep_default_na=False)
    # Four name this document (the fifth names no document of this output).
    assert (warnings["code"] == "correction_unmatched").sum() == 4
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    assert int(docs.loc[0, "warnings"]) == len(warnings)


def test_the_normalize_stage_applies_them_too(project):
    interim = project / "interim"
    assert main(["extract", str(SAMPLE), "--out", str(interim), "-q"]) == 0
    assert main(["normalize", str(interim), "--out", str(project / "a"), "--corrections",
                 str(project / "corrections"), "-q"]) == 0
    assert main(["run", str(SAMPLE), "--out", str(project / "b"), "--corrections", str(project / "corrections"),
                 "-q"]) == 0
    for name in ("activities", "schedule", "table_cells", "corrections"):
        assert (project / "a" / f"{name}.csv").read_bytes() == (project / "b" / f"{name}.csv").read_bytes()


def test_a_corrections_file_without_its_columns_is_one_line(tmp_path, capsys):
    (tmp_path / "corrections").mkdir()
    (tmp_path / "corrections" / "bad.csv").write_text("doc,no,what\n1,2,3\n", encoding="utf-8")
    assert main(["run", str(SAMPLE), "--out", str(tmp_path / "clean")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.csv: corrections file without the column(s) doc_id, activity_no, field, value" in err[0]
