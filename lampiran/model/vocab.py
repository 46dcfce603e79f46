"""The documents' vocabulary, in one place: month names, tick glyphs and
symbol fonts, lampiran header synonyms, and the map from column roles to
record fields. Adding a word the documents use is one line here.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------- months

# As printed (labels repaired from OCR are written back in these forms).
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember")  # fmt: skip
BULAN_ABBR = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")

# Full names, lower case, with the older spellings still printed in SKs.
MONTH_NAMES: dict[str, int] = {
    **{m.lower(): i + 1 for i, m in enumerate(BULAN)},
    "pebruari": 2,
    "nopember": 11,
}
# Three-letter forms and the other short forms in use; English ones too, as
# OCR with an English model second reads "Desember" as "December".
MONTH_ABBREVIATIONS: dict[str, int] = {k[:3]: v for k, v in MONTH_NAMES.items()} | {
    "agu": 8, "ags": 8, "agt": 8, "okt": 10, "nop": 11, "des": 12, "may": 5, "aug": 8, "oct": 10, "dec": 12,
}  # fmt: skip
# Month grids numbered in roman numerals (I..XII).
ROMAN_MONTHS: dict[str, int] = {r: i + 1 for i, r in enumerate("i ii iii iv v vi vii viii ix x xi xii".split())}

# One OCR token that can be a month label in a grid header (numbers, names,
# roman numerals, quarters).
MONTH_TOKEN = re.compile(
    r"^\(?(1[0-2]|[1-9]|\d{1,2}|jan\w*|feb\w*|mar\w*|apr\w*|mei|may|jun\w*|jul\w*|agu\w*|ags|agt|aug\w*|"
    r"sep\w*|okt\w*|oct\w*|nov\w*|des\w*|dec\w*|i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii|tw\w*|q[1-4])\)?\.?$",
    re.IGNORECASE,
)

# Month names a header cell over the twelve month columns must hold to carry
# the month labels itself, where a scan's ruling under the group header was
# lost ("WAKTU PELAKSANAAN Jan Feb ... Des" in one cell; OCR read "Mei" as
# "Mel"): the scanned reader's header band and the normalize stage's layout
# go by the same count.
MONTHS_IN_ONE_CELL = 9

# ----------------------------------------------------------------- ticks

# Glyphs that mean "planned" in a text font.
TEXT_TICKS = frozenset("✓✔√vVxX✗✘☑☒")

# Symbol fonts: font family (normalised) -> codes (low byte) that are ticks.
SYMBOL_TICKS: dict[str, frozenset[int]] = {
    # Wingdings: 0xFC tick, 0xFB ballot x, 0xFD boxed x, 0xFE boxed tick.
    "wingdings": frozenset({0xFC, 0xFB, 0xFD, 0xFE}),
    # Wingdings 2: P tick, O ballot x, Q/S boxed x, R/T boxed tick.
    "wingdings2": frozenset({0x50, 0x4F, 0x51, 0x52, 0x53, 0x54}),
    # Wingdings 3 has arrows only; no ticks.
    # Symbol: 0xD6 radical (the "√" tick typed via Insert > Symbol).
    "symbol": frozenset({0xD6}),
    # ZapfDingbats / Dingbats: 3/4 ticks, 7/8 ballot x.
    "zapfdingbats": frozenset({0x33, 0x34, 0x37, 0x38}),
    "dingbats": frozenset({0x33, 0x34, 0x37, 0x38}),
}
# OpenSymbol (LibreOffice's stand-in for Wingdings) maps ticks to real Unicode
# but keeps Wingdings' private-use codes for documents converted from Word.
OPENSYMBOL_TICKS = frozenset({0xF0FC, 0xF0FB, 0xF0FD, 0xF0FE, 0xF050, 0xF052, 0xF0D6})

# ---------------------------------------------------------- header words

# Column role by header text, matched on the text with spaces and hyphens
# removed (a label wrapped letter by letter in a narrow cell still reads);
# first match wins, so the specific names come first. Words seen in real
# renaksi tables of several agencies. "PENANGGUNG" alone names the person
# responsible: a scan at 150 dpi lost the "JAWAB" wrapped under it.
HEADER_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("sub", re.compile(r"SUBKEGIATAN|RINCIANKEGIATAN|TAHAPAN|RENCANAAKSI|URAIANKEGIATAN|LANGKAHKEGIATAN")),
    ("area", re.compile(r"AREA|PERUBAHAN")),  # "PERUBAHAN" alone: a 150 dpi scan read "AREA" as "ARTA"
    ("indikator", re.compile(r"INDIKATOR|OUTPUT|KELUARAN|TARGET(?!WAKTU)|UKURANKEBERHASILAN")),
    ("pj", re.compile(r"PENANGGUNG|PIC|^P\.?J\.?$|PELAKSANA(?!AN)|UNITKERJA|TIMKERJA")),
    ("ket", re.compile(r"^KET|KETERANGAN")),
    ("kegiatan", re.compile(r"KEGIATAN|PROGRAM")),
    ("no", re.compile(r"^NO\.?$|^NOMOR$|^NOURUT$")),
]
# The header cell spanning the month grid.
MONTH_GROUP = re.compile(r"PELAKSANAAN|WAKTU|JADWAL|BULAN|JANGKA|TIMELINE")


def header_key(text: str) -> str:
    """Header text as the patterns above read it: upper case, no spaces or hyphens."""
    return re.sub(r"[^A-Z0-9.()]", "", text.upper())


# Column role -> field of an activity record (``no`` is the row's own number).
ROLE_FIELDS: dict[str, str] = {
    "area": "area_perubahan",
    "kegiatan": "kegiatan",
    "sub": "sub_kegiatan",
    "indikator": "indikator_keberhasilan",
    "pj": "penanggung_jawab",
    "ket": "keterangan",
}


# Letter codes between the separators of an SK's nomor ("07/HK.03.1-Kpt/3508/
# KPU-Kab/III/2022", "188.4/12/KPTS/415.10/2023", "800/PL.01-Kep/..."): OCR of a
# scanned nomor is repaired towards these (``extract.nomor_repair.nomor_codes``).
NOMOR_CODES = frozenset({
    "HK", "PL", "PP", "KU", "OT", "KP", "TU", "SDM", "UM", "RT",
    "Kpt", "KPT", "Kpts", "KPTS", "Kep", "KEP", "SK", "KPU", "Kab", "Prov", "Kota", "Setjen",
})

# Words of Indonesian government plans that Tesseract's Indonesian dictionary
# (``model.lexicon``) lacks, where OCR's confusions would set them to one it
# has ("reviu" -> "revisi", "sahkan" -> "silahkan": two fixtures at 150 dpi).
# One line a word.
PLAN_WORDS = frozenset({
    "reviu", "direviu", "mereviu",
    "sahkan",
    "renaksi",
})
