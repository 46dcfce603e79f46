"""The output contract: tidy records, validated with pydantic.

Column names and order are a public contract (downstream users read them);
``COLUMNS`` is the single place that fixes both.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class DocumentRecord(_Record):
    doc_id: str = Field(min_length=1)
    source_file: str = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    nomor: str
    tentang: str
    instansi: str
    tahun: int | None = Field(default=None, ge=1945, le=2100)
    tanggal_ditetapkan: str
    mengubah_nomor: str
    pages: int = Field(ge=1)
    kind: Literal["digital", "scanned", "mixed"]

    @field_validator("tanggal_ditetapkan")
    @classmethod
    def _iso_or_empty(cls, v: str) -> str:
        if v and not _DATE.match(v):
            raise ValueError(f"tanggal_ditetapkan must be YYYY-MM-DD or empty, got {v!r}")
        return v


class ActivityRecord(_Record):
    doc_id: str = Field(min_length=1)
    activity_no: int = Field(ge=1)
    area_no: str
    area_perubahan: str
    kegiatan_no: str
    kegiatan: str
    sub_kegiatan: str
    indikator_keberhasilan: str
    penanggung_jawab: str
    keterangan: str
    page_first: int = Field(ge=1)
    page_last: int = Field(ge=1)

    @model_validator(mode="after")
    def _check(self) -> ActivityRecord:
        if self.page_last < self.page_first:
            raise ValueError("page_last before page_first")
        if not (self.sub_kegiatan or self.indikator_keberhasilan or self.kegiatan):
            raise ValueError("an activity needs a kegiatan, sub_kegiatan or indikator")
        return self


class ScheduleRecord(_Record):
    doc_id: str = Field(min_length=1)
    activity_no: int = Field(ge=1)
    bulan: int = Field(ge=1, le=12)


COLUMNS: dict[str, list[str]] = {
    "documents": list(DocumentRecord.model_fields),
    "activities": list(ActivityRecord.model_fields),
    "schedule": list(ScheduleRecord.model_fields),
}
