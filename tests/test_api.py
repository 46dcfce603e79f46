"""The library API, file modes, and where the intermediate files go."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import lampiran
from lampiran.cli import main
from lampiran.model.errors import LampiranError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "raw" / "sk-kpu-lumajang-2022-rencana-aksi-rb.pdf"
KELAS = ROOT / "tests" / "fixtures" / "tables" / "tables_rl_kelas_jabatan.pdf"


def test_read_pdf_gives_facts_tables_and_a_wide_table():
    r = lampiran.read_pdf(KELAS)
    assert r.document["tables"] == 2 and r.document["nomor"].startswith("188.45/")
    assert set(r.tables) == {"documents", "activities", "schedule", "tables", "table_cells", "warnings"}
    wide = r.table(1)
    assert list(wide.columns) == ["NO", "NAMA JABATAN", "UNIT ORGANISASI", "KELAS JABATAN", "section"]
    assert len(wide) == len(r.tables["table_cells"].query("table_no == 1").row_no.unique())
    with pytest.raises(KeyError):
        r.table(9)


def test_read_corpus_puts_unreadable_files_in_errors(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_text("no")
    out = lampiran.read_corpus([SAMPLE, bad])
    assert len(out["documents"]) == 1 and len(out["activities"]) == 67
    assert out["errors"].values.tolist() == [["bad.pdf", "extract", "not a PDF (no %PDF- header)"]]
    with pytest.raises(LampiranError):
        lampiran.read_pdf(bad)


def test_outputs_follow_the_umask_and_the_intermediate_goes_beside_the_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing may land in the folder the user stands in
    out = tmp_path / "run" / "clean"
    assert main(["run", str(SAMPLE), "--out", str(out)]) == 0
    assert sorted(p.name for p in (tmp_path / "run" / "interim").iterdir()) == ["0fdf9d487e06.json"]
    assert not (tmp_path / "data").exists()
    mask = os.umask(0)
    os.umask(mask)
    for p in [out / "documents.csv", out / "activities.parquet", tmp_path / "run" / "interim" / "0fdf9d487e06.json"]:
        assert stat.S_IMODE(p.stat().st_mode) == 0o666 & ~mask, p


def test_strict_fails_a_document_with_warnings_and_keeps_a_clean_one(tmp_path, capsys):
    clean = ROOT / "tests" / "fixtures" / "pdf" / "rl_check_v.pdf"
    out = tmp_path / "clean"
    assert main(["run", str(SAMPLE), str(clean), "--out", str(out), "--strict"]) == 1
    err = capsys.readouterr().err
    assert f"error: {SAMPLE}: --strict: 4 warning(s), the first: page 5: sub kegiatan numbering goes 2 -> 8" in err
    import pandas as pd

    assert pd.read_csv(out / "documents.csv").source_file.tolist() == ["rl_check_v.pdf"]
    assert pd.read_csv(out / "errors.csv").error.str.startswith("--strict").tolist() == [True]
    # Without --strict the same document is processed, its warnings in the warnings table.
    assert main(["run", str(SAMPLE), "--out", str(tmp_path / "lenient")]) == 0
    warnings = pd.read_csv(tmp_path / "lenient" / "warnings.csv")
    assert warnings.code.tolist() == ["numbering_gap"] * 4
