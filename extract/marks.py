"""Checkmarks in a text layer.

A symbol font says nothing through its code point: Wingdings' tick is
``0xFC`` (``U+F0FC`` once Word maps it to the private-use area), which in a
text font is ``ü``. So a glyph is read as a tick from font name *and* code,
never from the code point alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from lampiran.model.vocab import OPENSYMBOL_TICKS, SYMBOL_TICKS, TEXT_TICKS

_SUBSET = re.compile(r"^[A-Z]{6}\+")


def font_family(fontname: str) -> str:
    """``ABCDEF+Wingdings-Regular`` -> ``wingdings``; ``Wingdings 2`` -> ``wingdings2``."""
    name = _SUBSET.sub("", fontname or "")
    name = re.split(r"[-,]", name, maxsplit=1)[0]
    name = re.sub(r"(Regular|Bold|Italic|MT|PS)$", "", name)
    return re.sub(r"[^a-z0-9]", "", name.lower())


def symbol_code(text: str) -> int | None:
    """The symbol-font code of a one-char text: ``U+F0xx`` or a byte value."""
    if len(text) != 1:
        return None
    o = ord(text)
    if 0xF000 <= o <= 0xF0FF:
        return o - 0xF000
    if o <= 0xFF:
        return o
    return None


def is_tick_char(ch: dict[str, Any]) -> bool:
    text, family = ch["text"], font_family(ch.get("fontname", ""))
    if family in SYMBOL_TICKS:
        code = symbol_code(text)
        return code is not None and code in SYMBOL_TICKS[family]
    if family == "opensymbol" and len(text) == 1 and ord(text) in OPENSYMBOL_TICKS:
        return True
    if len(text) == 1 and 0xF000 <= ord(text) <= 0xF0FF:
        # A private-use code from an unknown font: not decidable, so no mark.
        return False
    return text in TEXT_TICKS


def cell_mark(chars: Sequence[dict[str, Any]]) -> bool:
    """A cell holds a mark when every visible glyph in it is a tick glyph."""
    visible = [c for c in chars if not c["text"].isspace()]
    return bool(visible) and len(visible) <= 3 and all(is_tick_char(c) for c in visible)


def display_text(ch: dict[str, Any]) -> str:
    """The char's text for output: symbol-font ticks read as ``✓``."""
    family = font_family(ch.get("fontname", ""))
    if (family in SYMBOL_TICKS or family == "opensymbol") and is_tick_char(ch):
        return "✓"
    return ch["text"]
