"""Compare a processed plan with a fixture's known truth, field by field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FACT_FIELDS = ("nomor", "tentang", "instansi", "tahun", "tanggal_ditetapkan", "mengubah_nomor", "pages", "kind")
TEXT_FIELDS = (
    "area_no", "area_perubahan", "kegiatan_no", "kegiatan", "sub_kegiatan",
    "indikator_keberhasilan", "penanggung_jawab", "keterangan",
)  # fmt: skip


def load_truth(pdf: Path) -> dict[str, Any]:
    return json.loads(Path(str(pdf)[: -len(".pdf")] + ".truth.json").read_text(encoding="utf-8"))


def months_by_activity(schedule: list[dict[str, Any]]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for s in schedule:
        out.setdefault(int(s["activity_no"]), []).append(int(s["bulan"]))
    return {k: sorted(v) for k, v in out.items()}


def diff_plan(plan: Any, truth: dict[str, Any], pages: bool = True) -> list[str]:
    """Every difference between ``plan`` (a normalize.stage.Plan) and ``truth``."""
    problems: list[str] = []
    doc = plan.document.model_dump()
    for f in FACT_FIELDS:
        if f in truth["documents"] and doc[f] != truth["documents"][f]:
            problems.append(f"documents.{f}: got {doc[f]!r}, want {truth['documents'][f]!r}")
    got = [a.model_dump() for a in plan.activities]
    want = truth["activities"]
    if len(got) != len(want):
        problems.append(f"activities: got {len(got)}, want {len(want)}")
    fields = TEXT_FIELDS + (("page_first", "page_last") if pages and truth.get("pages_known", True) else ())
    for g, w in zip(got, want):
        for f in fields:
            if f in w and g[f] != w[f]:
                problems.append(f"activity {w['activity_no']}.{f}: got {g[f]!r}, want {w[f]!r}")
    gm = months_by_activity([s.model_dump() for s in plan.schedule])
    wm = months_by_activity(truth["schedule"])
    for no in sorted(set(gm) | set(wm)):
        if gm.get(no, []) != wm.get(no, []):
            problems.append(f"activity {no} bulan: got {gm.get(no, [])}, want {wm.get(no, [])}")
    return problems


def score_plan(plan: Any, truth: dict[str, Any]) -> dict[str, float]:
    """Accuracy of a (scanned) plan against truth, as issue #3 measures it.

    months: share of the activity x 12 month cells decided right;
    text: mean similarity (1 - normalised Levenshtein, whitespace ignored) of
    every text field of every activity; activities compared in order.
    """
    from rapidfuzz.distance import Levenshtein

    got = [a.model_dump() for a in plan.activities]
    want = truth["activities"]
    gm = months_by_activity([s.model_dump() for s in plan.schedule])
    wm = months_by_activity(truth["schedule"])
    n = min(len(got), len(want))
    right = sum(
        (m in gm.get(g["activity_no"], [])) == (m in wm.get(w["activity_no"], []))
        for g, w in zip(got[:n], want[:n])
        for m in range(1, 13)
    )
    sims = []
    for g, w in zip(got[:n], want[:n]):
        for f in TEXT_FIELDS:
            a, b = "".join(str(g[f]).split()), "".join(str(w[f]).split())
            sims.append(1.0 if a == b else Levenshtein.normalized_similarity(a, b))
    return {
        "activities_found": len(got),
        "activities_true": len(want),
        "month_accuracy": right / (12 * max(len(want), 1)),
        "text_similarity": sum(sims) / max(len(sims), 1),
    }
