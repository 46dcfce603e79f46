"""Damage the PDF parser recovers from, found and reported.

pdfminer reads past a broken stream or object without a word: a content
stream that fails to decompress, or an object whose bytes were overwritten,
leaves the page with part of its text missing and the records short. Each
page's content streams are decoded here strictly (the parser itself is
lenient), so such a page gets a ``damaged_stream`` warning that says its
table may be incomplete.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.pdfdocument import PDFDocument, PDFXRefFallback
from pdfminer.pdftypes import PDFStream, resolve1

from lampiran.model.warnings import notice

_STRICT = {
    "FlateDecode": zlib.decompress,
    "Fl": zlib.decompress,
    "ASCII85Decode": ascii85decode,
    "A85": ascii85decode,
    "ASCIIHexDecode": asciihexdecode,
    "AHx": asciihexdecode,
}


# Every standard filter (ISO 32000-1, 7.4) and its abbreviation: a name not
# here is a damaged one (a flipped bit in /FlateDecode), and its stream would
# be read as raw bytes.
_FILTERS = frozenset({
    "ASCIIHexDecode", "ASCII85Decode", "LZWDecode", "FlateDecode", "RunLengthDecode", "CCITTFaxDecode",
    "JBIG2Decode", "DCTDecode", "JPXDecode", "Crypt", "AHx", "A85", "LZW", "Fl", "RL", "CCF", "DCT",
})
# The entries of a page content stream's dictionary (7.3.8.2). A key one or
# two letters from one of these (/FAlter, /Filt\xffr) is one of them damaged:
# the stream's filter or length is lost and its bytes read as content.
_STREAM_KEYS = ("Length", "Filter", "DecodeParms", "F", "FFilter", "FDecodeParms", "DL")
# The widest glyph a text font plausibly has, in thousandths of an em. The
# widest found in this project's fixtures and real documents is under 2,000;
# a width past this is a damaged number, and every later glyph on its line
# lands in the wrong place.
_MAX_GLYPH_WIDTH = 10_000


class Verdicts:
    """What decoding each stream of one document raised (None: sound).

    pdfminer drops a stream's raw bytes once it has decoded them (leniently),
    so a stream shared by several pages (a font) is judged once, before the
    first page that uses it is parsed, and the verdict is remembered for the
    document's other pages. One per document: ids are not reused while the
    document is open."""

    def __init__(self) -> None:
        self._seen: dict[int, Exception | None] = {}

    def decode(self, stream: PDFStream) -> None:
        """Raise what strict decoding ``stream`` raises."""
        key = id(stream)
        if key not in self._seen:
            if stream.rawdata is None:
                return  # decoded before it could be checked: nothing to say
            try:
                _strict(stream)
                self._seen[key] = None
            except Exception as e:  # noqa: BLE001 - zlib.error, ValueError, ...: all damage
                self._seen[key] = e
        if self._seen[key] is not None:
            raise self._seen[key]


def _strict(stream: PDFStream) -> None:
    data = stream.rawdata
    for f, _params in stream.get_filters():
        decode = _STRICT.get(getattr(f, "name", str(f)))
        if decode is None:
            return  # image codecs (DCT, JPX, CCITT) and the rest: not checked
        data = decode(data)


def _name(x: Any) -> str:
    return getattr(x, "name", str(x))


def _key(raw: Any) -> str:
    """A dictionary key as text (pdfminer gives a damaged one as bytes)."""
    return raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)


def _dictionary_problems(stream: PDFStream) -> list[str]:
    """A content stream's dictionary that lost its length, filter or a key."""
    attrs = stream.attrs
    if "Length" not in attrs:
        return ["a content stream's dictionary is broken (no /Length)"]
    out = []
    for key in map(_key, attrs):
        if key in _STREAM_KEYS:
            continue
        if not key.isalnum() or any(Levenshtein.distance(key, k) <= 2 for k in _STREAM_KEYS if len(k) > 2):
            out.append(f"a content stream's dictionary has a damaged entry /{key.encode('unicode_escape').decode()}")
    filters = attrs.get("Filter")
    for f in (resolve1(filters) if isinstance(resolve1(filters), list) else [filters]) if filters is not None else []:
        if _name(resolve1(f)) not in _FILTERS:
            out.append(f"a content stream names an unknown filter /{_name(resolve1(f))}")
    return out


# The standard 14 fonts: the only simple fonts that may omit /Widths.
_STANDARD_14 = frozenset({
    "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Helvetica", "Helvetica-Bold",
    "Helvetica-Oblique", "Helvetica-BoldOblique", "Courier", "Courier-Bold", "Courier-Oblique",
    "Courier-BoldOblique", "Symbol", "ZapfDingbats",
})
_SIMPLE = frozenset({"TrueType", "Type1", "MMType1"})


def _printable(text: str) -> bool:
    return all(" " <= ch <= "~" or ch > "\xa0" for ch in text)  # "Times New Roman" has spaces


def _widths_problems(font: dict) -> list[str]:
    """A simple font's dictionary: names that read as names, and /Widths that
    give one plausible number per code (a zeroed block turns the dictionary's
    tail into stray keys, and every glyph then lands in the wrong place)."""
    keys = [_key(k) for k in font]
    if not all(k.isalnum() and not k.isdigit() for k in keys):
        return ["a font's dictionary is damaged (stray entries)"]
    base = _name(resolve1(font.get("BaseFont", "")))
    if not _printable(base):
        return ["a font's name is damaged"]
    widths = resolve1(font.get("Widths"))
    if widths is None:
        simple = _name(resolve1(font.get("Subtype"))) in _SIMPLE
        return ["a font has no glyph widths"] if simple and base.split("+")[-1] not in _STANDARD_14 else []
    first, last = resolve1(font.get("FirstChar")), resolve1(font.get("LastChar"))
    if not isinstance(widths, list):
        return ["a font's widths are not an array"]
    values = [resolve1(w) for w in widths]
    if isinstance(first, int) and isinstance(last, int) and len(values) != last - first + 1:
        return [f"a font's widths array has {len(values)} entries for {last - first + 1} codes"]
    if not all(isinstance(v, (int, float)) and 0 <= v <= _MAX_GLYPH_WIDTH for v in values):
        return ["a font's widths array holds a value that is not a glyph width"]
    return []


def _streams(contents: Any) -> list[Any]:
    c = resolve1(contents)
    return [resolve1(x) for x in c] if isinstance(c, list) else [c]


def _font_problems(font: Any, verdicts: Verdicts) -> list[str]:
    """A font whose dictionary, glyph-to-text map or embedded program is broken
    reads as missing or wrong letters."""
    font = resolve1(font)
    if not isinstance(font, dict):
        return [f"a font is a {type(font).__name__}, not a font dictionary"]
    out = _widths_problems(font)
    parts = [font] + [resolve1(d) for d in (resolve1(font.get("DescendantFonts")) or [])]
    for part in parts:
        if not isinstance(part, dict):
            out.append("a descendant font is broken")
            continue
        streams = [part.get("ToUnicode")]
        desc = resolve1(part.get("FontDescriptor"))
        if desc is not None:
            if not isinstance(desc, dict):
                out.append("a font descriptor is broken")
                continue
            bbox = resolve1(desc.get("FontBBox"))
            if bbox is not None and not (isinstance(bbox, list) and len(bbox) == 4
                                         and all(isinstance(resolve1(v), (int, float)) for v in bbox)):
                out.append("a font's bounding box is broken")
            streams += [desc.get(k) for k in ("FontFile", "FontFile2", "FontFile3")]
        for ref in streams:
            st = resolve1(ref)
            if ref is None or (st is not None and not isinstance(st, PDFStream)):
                if ref is not None:
                    out.append("a font stream is not a stream")
                continue
            try:
                verdicts.decode(st)
            except Exception as e:  # noqa: BLE001
                out.append(f"a font stream fails to decode ({type(e).__name__})")
    return out


def page_damage(page_obj: Any, page_no: int, verdicts: Verdicts) -> list[str]:
    """Warnings for a page whose content streams or fonts cannot be read as they stand."""
    problems = []
    try:
        fonts = resolve1(resolve1(page_obj.resources or {}).get("Font")) or {}
        for font in (fonts.values() if isinstance(fonts, dict) else []):
            problems += _font_problems(font, verdicts)
    except Exception as e:  # noqa: BLE001 - resources that no longer resolve
        problems.append(f"the page's fonts cannot be resolved ({type(e).__name__})")
    contents = page_obj.attrs.get("Contents")
    if contents is None:
        return [notice("damaged_stream", p, page_no) for p in problems]  # a blank page: nothing to read
    try:
        streams = _streams(contents)
    except Exception as e:  # noqa: BLE001 - a reference that no longer resolves
        return [notice("damaged_stream", f"the page's content cannot be resolved ({type(e).__name__}); "
                       "the table on this page may be incomplete", page_no)]
    for s in streams:
        if s is None:  # the reference points at an object the parser could not read
            problems.append("a content stream is missing or unreadable")
            continue
        if not isinstance(s, PDFStream):
            problems.append(f"an object that should be a content stream is a {type(s).__name__}")
            continue
        problems += _dictionary_problems(s)
        try:
            verdicts.decode(s)
        except Exception as e:  # noqa: BLE001 - zlib.error, ValueError, ...: all damage
            problems.append(f"a content stream fails to decode ({type(e).__name__}: {str(e)[:60]})")
    return [notice("damaged_stream", f"{p}; the table on this page may be incomplete", page_no) for p in problems]


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF", re.S)
_SUBSECTION = re.compile(rb"(\d+) (\d+)")
_ENTRY = re.compile(rb"\d{10} \d{5} [nf]")


def _broken_entries(path: Path) -> int:
    """Entries of the file's last cross-reference table that do not read as
    ``nnnnnnnnnn ggggg n``: pdfminer drops such an entry without a word, and
    the object it located (a page, a font) is lost. 0 for a cross-reference
    stream (PDF 1.5) or a table that cannot be found (the fallback reports it).
    Reads the file's tail and the table, not the whole file again."""
    with open(path, "rb") as f:
        size = f.seek(0, 2)
        f.seek(max(0, size - 4096))
        m = None
        for m in _STARTXREF.finditer(f.read()):
            pass
        if m is None:
            return 0
        f.seek(int(m.group(1)))
        data = f.read()
    if not data.startswith(b"xref"):
        return 0
    lines = data[4:].split(b"\n")
    i, broken = 0, 0
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        head = _SUBSECTION.fullmatch(line)
        if head is None:
            break  # "trailer", or the end of the table
        count = int(head.group(2))
        entries = [x.strip() for x in lines[i + 1: i + 1 + count]]
        broken += sum(1 for e in entries if not _ENTRY.fullmatch(e))
        i += 1 + count
    return broken


def document_damage(doc: PDFDocument, path: Path) -> list[str]:
    """A warning when the parser could not use the file's cross-reference
    table and rebuilt it by scanning for objects (one real scan among the
    eight real documents needs it; the fuzzer's cuts and flips make more),
    or when entries of the table are broken (the fuzzer found a page lost
    that way without a word)."""
    if any(isinstance(x, PDFXRefFallback) for x in doc.xrefs):
        return [notice("damaged_xref", "the cross-reference table is broken; the parser rebuilt it by scanning "
                       "the file, so an object may be missing")]
    broken = _broken_entries(path)
    if broken:
        return [notice("damaged_xref", f"{broken} entr{'y' if broken == 1 else 'ies'} of the cross-reference table "
                       "cannot be read; the objects they locate (pages, fonts) may be missing")]
    return []
