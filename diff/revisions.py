"""The revisions table: one row per change between two versions of a plan.

Renumbering is never a change: activity_no, kegiatan_no, area_no and pages
are not compared, only texts and months of matched activities.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from rapidfuzz.distance import Levenshtein

from lampiran.diff.plan import Plan
from lampiran.diff.text import clean, norm, spacing_free, unnumbered
from lampiran.model.package import dtypes_of
from lampiran.model.records import ActivityRecord
from lampiran.model.frame import Frame, frame

Change = Literal["added", "removed", "text_changed", "months_changed", "moved"]
CHANGES: tuple[str, ...] = ("added", "removed", "text_changed", "months_changed", "moved")
TEXT_FIELDS: tuple[str, ...] = ("sub_kegiatan", "indikator_keberhasilan", "penanggung_jawab", "keterangan")
MOVE_FIELDS: tuple[str, ...] = ("area_perubahan", "kegiatan")
_FIELDS: dict[str, tuple[str, ...]] = {
    "added": ("",),
    "removed": ("",),
    "text_changed": TEXT_FIELDS,
    "months_changed": ("bulan",),
    "moved": MOVE_FIELDS,
}


class RevisionRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    old_doc_id: str = Field(min_length=1)
    new_doc_id: str = Field(min_length=1)
    old_activity_no: int | None = Field(default=None, ge=1)  # None for "added"
    new_activity_no: int | None = Field(default=None, ge=1)  # None for "removed"
    change: Change
    field: str
    old_value: str
    new_value: str

    @model_validator(mode="after")
    def _check(self) -> RevisionRecord:
        if self.field not in _FIELDS[self.change]:
            raise ValueError(f"field {self.field!r} does not go with change {self.change!r}")
        if (self.old_activity_no is None) != (self.change == "added"):
            raise ValueError("old_activity_no is empty exactly for 'added'")
        if (self.new_activity_no is None) != (self.change == "removed"):
            raise ValueError("new_activity_no is empty exactly for 'removed'")
        return self


REVISION_COLUMNS: list[str] = list(RevisionRecord.model_fields)
# From the record, as every table's: nullable ints so an empty activity number
# stays empty (not 0, not a float).
REVISION_DTYPES: dict[str, str] = dtypes_of(RevisionRecord)


def months_text(months: Iterable[int]) -> str:
    return ",".join(str(m) for m in sorted(months))


def label(a: ActivityRecord) -> str:
    """What an added/removed activity is called: its sub_kegiatan, else the next best text."""
    return clean(a.sub_kegiatan) or clean(a.indikator_keberhasilan) or clean(a.kegiatan)


def ocr_noise(a: str, b: str) -> bool:
    """Could OCR alone make ``a`` and ``b`` differ? At most 2 character edits,
    or 3% of the text, spacing aside: a misread letter ("%" as "Yo"), not a
    reworded phrase."""
    a, b = "".join(a.split()), "".join(b.split())
    return Levenshtein.distance(a, b) <= max(2, round(0.03 * max(len(a), len(b))))


def compare(
    old: Plan, new: Plan, a: ActivityRecord | None, b: ActivityRecord | None, loose: bool = False
) -> list[RevisionRecord]:
    """The rows for one aligned position: moved, then texts, then months.

    Texts are equal when they agree without their leading list number
    (renumbering is not an edit) and without whitespace and hyphens (a line
    broken elsewhere is not an edit); with ``loose``
    also case and punctuation are ignored (OCR confuses ";" with ":"), at the
    price of missing such real edits. When either document is a scan, both
    apply, and a difference OCR alone could make (``ocr_noise``) is not an edit.
    """
    ocr = old.document.kind != "digital" or new.document.kind != "digital"
    key = norm if loose or ocr else unnumbered
    base = {"old_doc_id": old.doc_id, "new_doc_id": new.doc_id}
    if a is None and b is None:
        return []
    if a is None:
        assert b is not None
        return [
            RevisionRecord(
                **base, new_activity_no=b.activity_no, change="added", field="", old_value="", new_value=label(b)
            )
        ]
    if b is None:
        return [
            RevisionRecord(
                **base, old_activity_no=a.activity_no, change="removed", field="", old_value=label(a), new_value=""
            )
        ]
    nos = {**base, "old_activity_no": a.activity_no, "new_activity_no": b.activity_no}
    rows: list[RevisionRecord] = []
    for change, fields in (("moved", MOVE_FIELDS), ("text_changed", TEXT_FIELDS)):
        for f in fields:
            ov, nv = clean(getattr(a, f)), clean(getattr(b, f))
            if spacing_free(key(ov)) != spacing_free(key(nv)) and not (ocr and ocr_noise(key(ov), key(nv))):
                rows.append(RevisionRecord(**nos, change=change, field=f, old_value=ov, new_value=nv))
    om, nm = old.bulan(a.activity_no), new.bulan(b.activity_no)
    if set(om) != set(nm):
        rows.append(
            RevisionRecord(
                **nos, change="months_changed", field="bulan", old_value=months_text(om), new_value=months_text(nm)
            )
        )
    return rows


def revisions_frame(rows: Sequence[RevisionRecord]) -> Frame:
    return frame([r.model_dump() for r in rows], REVISION_COLUMNS, REVISION_DTYPES)


def counts(rows: Iterable[RevisionRecord]) -> dict[str, int]:
    out = dict.fromkeys(CHANGES, 0)
    for r in rows:
        out[r.change] += 1
    return out


class Entry:
    """One aligned position: an old activity, a new one (either may be None) and their rows."""

    __slots__ = ("new", "old", "rows")

    def __init__(self, old: ActivityRecord | None, new: ActivityRecord | None, rows: list[RevisionRecord]):
        self.old, self.new, self.rows = old, new, rows

    @property
    def where(self) -> ActivityRecord:
        """The activity whose area/kegiatan the entry is listed under (the new one if any)."""
        act = self.new or self.old
        assert act is not None
        return act


def revise(
    old: Plan,
    new: Plan,
    aligned: Sequence[tuple[ActivityRecord | None, ActivityRecord | None]],
    loose: bool = False,
) -> list[Entry]:
    return [Entry(a, b, compare(old, new, a, b, loose)) for a, b in aligned]
