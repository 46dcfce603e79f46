"""Text normalisation shared by matching, comparison and version linking.

Three strengths on purpose: ``clean`` only removes layout noise (the form
values are reported in); ``unnumbered`` also drops the leading list number
(the form values are compared in: renumbering is not an edit, a reworded text
is); ``norm`` also drops case and punctuation (the form texts are matched in,
so matching survives OCR noise).
"""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
# Leading list numbering: "1)", "2.", "1.2", "1.2.", "(3)", "a.", "b)", "iv.", "-", "•".
# Letters need a closing "." or ")" so a real first word is never eaten.
_NUMBERING = re.compile(
    r"^\s*(?:"
    r"\(?\d{1,3}(?:\.\d{1,3})+[.)]?"  # 1.2 / 1.2. / (1.2)
    r"|\(?\d{1,3}[.),]"  # 1. / 1) / (1) / 1, (OCR's reading of "1.")
    r"|\(?[a-z][.)]"  # a. / b) / (c)
    r"|\(?[ivxlc]{1,6}[.)]"  # iv. / (ii)
    r"|[-\u2013\u2014\u2022*\u00b7]"  # dash / bullet
    r")\s*"
)
_NUMBERING_ANY_CASE = re.compile(_NUMBERING.pattern, re.IGNORECASE)
_NON_WORD = re.compile(r"[^\w]+")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-"})


def clean(text: str | None) -> str:
    """Unicode-compose and collapse whitespace; the form values are compared in."""
    if not text:
        return ""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def unnumbered(text: str | None) -> str:
    """``clean`` text without its leading list number: "2. Sosialisasi" -> "Sosialisasi".

    The number in front of a sub_kegiatan is its position in the kegiatan; an
    inserted row renumbers it, which is not an edit of the activity.
    """
    return _NUMBERING_ANY_CASE.sub("", clean(text), count=1)


def norm(text: str | None) -> str:
    """The form texts are *matched* in: no case, numbering or punctuation."""
    s = clean(text).casefold()
    # Nested numbering ("1. a) ...") comes off in a few passes; stop when stable.
    for _ in range(3):
        stripped = _NUMBERING.sub("", s, count=1)
        if stripped == s:
            break
        s = stripped
    return _WS.sub(" ", _NON_WORD.sub(" ", s)).strip()


_SPACING = re.compile(r"[\s\-\u00ad]+")


def spacing_free(text: str) -> str:
    """Without whitespace and hyphens: two printings of a text that differ only
    in where the lines broke ("Menyempurnakan/ mengubah", "pelaksana- an")
    compare equal."""
    return _SPACING.sub("", text)


def norm_nomor(nomor: str | None) -> str:
    """An SK number comparable across documents: "800 / 12 / 2024" == "800/12/2024"."""
    s = unicodedata.normalize("NFKC", nomor or "").translate(_DASHES).casefold()
    s = re.sub(r"^\s*nomor\s*:?\s*", "", s)
    return re.sub(r"\s+", "", s).strip(".,;")
