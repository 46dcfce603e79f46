"""The SK's own facts from its keputusan body: nomor, tentang, instansi, dates.

The body of an Indonesian decree follows a fixed form (kop, KEPUTUSAN ...
NOMOR ..., TENTANG, title, the official's title ending in a comma,
Menimbang, ..., Ditetapkan di, Pada tanggal). The patterns below follow that
form and tolerate the usual OCR confusions (``0``/``O``, ``1``/``l``, stray
spaces around ``:``).
"""

from __future__ import annotations

import re

from lampiran.model.interim import Facts
from lampiran.model.vocab import MONTH_ABBREVIATIONS, MONTH_NAMES, NOMOR_CODES


_NOMOR = re.compile(r"\bN\s?[O0]\s?M\s?[O0]\s?R\b\.?\s*:?\s*(.+)", re.I)
_TENTANG = re.compile(r"^\s*T\s?E\s?N\s?T\s?A\s?N\s?G\s*:?\s*(.*)$", re.I)
_STOP = re.compile(r"^\s*(Menimbang|DENGAN\s+RAHMAT|Mengingat|MEMUTUSKAN|Menetapkan)\b", re.I)
_KEPUTUSAN = re.compile(r"^\s*(KEPUTUSAN|PERATURAN|SURAT\s+KEPUTUSAN)\b", re.I)
_DATE = re.compile(r"\b(\d{1,2})\s*[-/ .]?\s*([A-Za-z]{3,10})\.?\s*[-/ .]?\s*((?:19|20)\d{2})\b")
_DATE_NUM = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)\d{2})\b")
_TANGGAL_LINE = re.compile(r"(pada\s+)?tanggal|ditetapkan", re.I)
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
_ROLE = re.compile(
    r"^((PLT|PLH|PJ)\.?\s+)?(KETUA|KEPALA|SEKRETARIS(\s+(JENDERAL|UTAMA|DAERAH))?|DIREKTUR(\s+(JENDERAL|UTAMA))?|REKTOR|DEKAN|DEPUTI|INSPEKTUR(\s+JENDERAL)?|CAMAT|LURAH)\s+",
    re.I,
)
_SKIP_KOP = re.compile(r"^\s*(SALINAN|PETIKAN|SALINAN\s+SESUAI)\b", re.I)


def _clean(s: str) -> str:
    return " ".join(s.split())


def _nomor_value(rest: str) -> str:
    """The number itself from the text after ``NOMOR``."""
    return _roman_months(nomor_as_read(rest))


def nomor_as_read(rest: str) -> str:
    """The number from the text after ``NOMOR``, its roman month as read."""
    # Numbers filled in by hand or typed around a blank read "188.4.45/ 12 /415".
    rest = re.sub(r"\s*([/.-])\s*(?=[\w/])", r"\1", _clean(rest))
    rest = _SPLIT_CODE.sub(_join_code, rest)
    m = re.match(r"(\S+\s+TAHUN\s+\d{4})", rest, re.I)  # Peraturan style: "1 TAHUN 2021"
    if m:
        return m.group(1)
    m = re.match(r"(\S+)", rest)
    return m.group(1).rstrip(",;") if m else ""


# A known code that OCR split with a space ("3508/K PU-Kab" for "3508/KPU-Kab").
_SPLIT_CODE = re.compile(r"(?<=[/.-])([A-Za-z]{1,4}) ([A-Za-z]{1,4})(?=[/.-])")


def _join_code(m: re.Match[str]) -> str:
    code = m.group(1) + m.group(2)
    return code if code in NOMOR_CODES else m.group(0)


_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _roman_months(nomor: str) -> str:
    """The roman month of a nomor as OCR misreads it (``1I1``, ``Il``, ``V1``):
    a part between slashes made of roman letters and ``1``/``l``/``|`` that
    reads as I..XII once those are taken for ``I``. A part of digits only is a
    number and stays."""
    parts = nomor.split("/")
    for i, part in enumerate(parts):
        if re.fullmatch(r"[IVX1l|]{1,5}", part) and re.search(r"[IVX]", part) and re.search(r"[1l|]", part):
            fixed = re.sub(r"[1l|]", "I", part)
            if fixed in _ROMAN:
                parts[i] = fixed
    return "/".join(parts)


def _misread_month(name: str) -> int | None:
    """The month a long name misread by OCR stands for, where exactly one
    month is that close: two letters off, three from 7 letters on ("Fetruan"
    for Februari, a 5 pt heading scanned at 200 dpi)."""
    if len(name) < 6:
        return None
    from rapidfuzz.distance import Levenshtein

    most = 2 if len(name) < 7 else 3
    near = {m for full, m in MONTH_NAMES.items() if len(full) >= 6 and Levenshtein.distance(name, full) <= most}
    return near.pop() if len(near) == 1 else None


def parse_date(text: str) -> str:
    """First Indonesian date in ``text`` as YYYY-MM-DD, or ""."""
    for m in _DATE.finditer(text):
        day, name, year = int(m.group(1)), m.group(2).lower(), int(m.group(3))
        month = MONTH_NAMES.get(name) or MONTH_ABBREVIATIONS.get(name[:3]) or _misread_month(name)
        if month and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    m = _DATE_NUM.search(text)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= day <= 31 and 1 <= month <= 12:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def parse_facts(text: str) -> Facts:
    """Facts from the body text (lines in reading order), in the order the form gives them."""
    lines = [ln for ln in (_clean(x) for x in text.splitlines()) if ln]
    facts = Facts()
    # The heading: KEPUTUSAN <official> / NOMOR : x / TENTANG / title ... "<official>,"
    head_i = next((i for i, ln in enumerate(lines) if _KEPUTUSAN.match(ln)), None)
    nomor_i = _nomor(lines, head_i, facts)
    heading_words = _instansi(lines, head_i, nomor_i, facts)
    _tentang(lines, nomor_i, heading_words, facts)
    # An amendment names the SK it changes inside its title.
    if re.match(r"PERUBAHAN\b", facts.tentang, re.I):
        m = _NOMOR.search(facts.tentang)
        if m:
            facts.mengubah_nomor = _nomor_value(m.group(1))
    facts.tanggal_ditetapkan = _tanggal(lines)
    years = _YEAR.findall(facts.tentang)
    if years:
        facts.tahun = int(years[-1])
    elif facts.tanggal_ditetapkan:
        facts.tahun = int(facts.tanggal_ditetapkan[:4])
    return facts


def _nomor(lines: list[str], head_i: int | None, facts: Facts) -> int | None:
    """The first NOMOR line from the heading on; its index."""
    for i, ln in enumerate(lines[head_i or 0 :], start=head_i or 0):
        m = _NOMOR.search(ln)
        if m:
            facts.nomor = _nomor_value(m.group(1))
            return i
    return None


def _instansi(lines: list[str], head_i: int | None, nomor_i: int | None, facts: Facts) -> list[str]:
    """The issuing office: the heading names it after the official's role
    ("KEPUTUSAN KEPALA DINAS ... KABUPATEN X"); the kop above the heading
    may add a parent government line, so it is only the fallback. Returns the
    heading's words (the official's title repeats them)."""
    if head_i is None:
        return []
    heading = " ".join(lines[head_i : nomor_i if nomor_i is not None and nomor_i > head_i else head_i + 1])
    issuer = re.sub(r"^(SURAT\s+)?(KEPUTUSAN|PERATURAN)\s+", "", heading, flags=re.I)
    heading_words = issuer.upper().split()
    issuer = _ROLE.sub("", issuer)
    kop = [ln for ln in lines[:head_i] if not _SKIP_KOP.match(ln) and not re.search(r"\d{3,}|@|www\.|telp|jl\.|jalan", ln, re.I)]
    facts.instansi = _clean(issuer).upper() or _clean(" ".join(kop)).upper()
    return heading_words


def _tentang(lines: list[str], nomor_i: int | None, heading_words: list[str], facts: Facts) -> None:
    """From the TENTANG line to the official's title (ends in a comma) or the first section word."""
    start = nomor_i if nomor_i is not None else 0
    t_i = next((i for i in range(start, len(lines)) if _TENTANG.match(lines[i])), None)
    if t_i is None:
        return
    parts = []
    first = _TENTANG.match(lines[t_i]).group(1)
    if first:
        parts.append(first)
    # The official's title repeats the heading's issuer ("KEPALA BADAN ...")
    # and ends in a comma, possibly on a later line when it wraps.
    official = " ".join(heading_words[:3]) if heading_words else ""
    rest = lines[t_i + 1 :]
    for k, ln in enumerate(rest):
        if _STOP.match(ln) or ln.endswith(","):
            break
        if official and ln.upper().startswith(official) and any(x.endswith(",") for x in rest[k : k + 3]):
            break
        parts.append(ln)
        if len(parts) > 12:  # a title is never this long: the form was not found
            break
    facts.tentang = _clean(" ".join(parts))


def _tanggal(lines: list[str]) -> str:
    """The date on a "Pada tanggal" / "Ditetapkan" line, preferring the last
    such line (the signature block, not a cited rule)."""
    for i in range(len(lines) - 1, -1, -1):
        if _TANGGAL_LINE.search(lines[i]):
            d = parse_date(lines[i]) or (parse_date(lines[i + 1]) if i + 1 < len(lines) else "")
            if d:
                return d
    return ""


_HEADING_START = re.compile(r"^\s*LAMPIRAN\b", re.I)
_HEADING_LINES = 12  # the lampiran heading block: LAMPIRAN, the decree, NOMOR, TANGGAL, TENTANG ...
_PLACEHOLDER = re.compile(r"\.{3,}|…|_{3,}")  # "NOMOR ...... TAHUN 2019": filled in by hand after printing


def is_placeholder(nomor: str) -> bool:
    """A nomor left blank in print (dots or underscores where the number goes)."""
    return not nomor.strip() or bool(_PLACEHOLDER.search(nomor))


def parse_lampiran_heading(text: str) -> Facts:
    """The nomor and tanggal that a lampiran's heading block repeats
    ("LAMPIRAN : KEPUTUSAN ... / NOMOR : ... / TANGGAL : 17 Januari 2020")."""
    lines = [ln for ln in (_clean(x) for x in text.splitlines()) if ln]
    start = next((i for i, ln in enumerate(lines) if _HEADING_START.match(ln)), None)
    facts = Facts()
    if start is None:
        return facts
    block = lines[start : start + _HEADING_LINES]
    for ln in block:
        m = _NOMOR.search(ln)
        if m and not facts.nomor:
            facts.nomor = _nomor_value(m.group(1))
    for i, ln in enumerate(block):
        if re.match(r"^\s*(TANGGAL|TGL\.?)\b", ln, re.I):
            facts.tanggal_ditetapkan = parse_date(ln) or (parse_date(block[i + 1]) if i + 1 < len(block) else "")
            break
    return facts


def complete_from_heading(facts: Facts, heading: Facts) -> list[str]:
    """Fill what the body left blank from the lampiran heading; say what was taken."""
    taken = []
    if is_placeholder(facts.nomor) and heading.nomor and not is_placeholder(heading.nomor):
        facts.nomor = heading.nomor
        taken.append("nomor")
    if not facts.tanggal_ditetapkan and heading.tanggal_ditetapkan:
        facts.tanggal_ditetapkan = heading.tanggal_ditetapkan
        taken.append("tanggal")
        if facts.tahun is None:
            facts.tahun = int(heading.tanggal_ditetapkan[:4])
    return taken
