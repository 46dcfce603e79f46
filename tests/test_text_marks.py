"""Text assembly and tick recognition, on synthetic chars."""

import pytest

from lampiran.extract.marks import cell_mark, display_text, font_family, is_tick_char
from lampiran.extract.text import cell_text, join_lines


@pytest.mark.parametrize(
    "lines, want",
    [
        (["Pembangunan komitmen", "bersama seluruh"], "Pembangunan komitmen bersama seluruh"),
        (["pelaksa-", "naan kegiatan"], "pelaksanaan kegiatan"),
        (["peraturan perundang-", "undangan baru"], "peraturan perundang-undangan baru"),
        (["nilai-", "nilai dasar"], "nilai-nilai dasar"),
        (["Penguatan Peraturan Perundang-", "Undangan"], "Penguatan Peraturan Perundang-Undangan"),
        (["pengelolaan e-", "PPID"], "pengelolaan e-PPID"),
        (["Pengadaan Barang/", "Jasa"], "Pengadaan Barang/Jasa"),
        (["  ", "satu", "", "dua  "], "satu dua"),
        (["Target 2021 -", "2022"], "Target 2021 - 2022"),
        (["peta rencana SPBE tahun 2023-", "2027"], "peta rencana SPBE tahun 2023-2027"),  # Word breaks after the hyphen
        (["Tahap 1-", "tahap 2"], "Tahap 1- tahap 2"),
        (["(e-Office, e-Kinerja", ", e-Planning)"], "(e-Office, e-Kinerja, e-Planning)"),  # Writer cut before the comma
    ],
)
def test_join_lines(lines, want):
    assert join_lines(lines) == want


def _ch(text, x0, top, size=10.0, font="ABCDEF+DejaVuSans"):
    return {"text": text, "x0": x0, "x1": x0 + size * 0.5, "top": top, "bottom": top + size, "size": size, "fontname": font}


def test_cell_text_orders_lines_and_inserts_word_gaps():
    # Second line given first; a word gap without a space char; an explicit space.
    chars = [_ch(c, 10 + 5 * i, 30) for i, c in enumerate("dua")]
    chars += [_ch(c, 10 + 5 * i, 10) for i, c in enumerate("satu")]
    chars += [_ch(c, 40 + 5 * i, 10) for i, c in enumerate("tiga")]
    assert cell_text(chars, 0.0, 100.0)[0] == "satu tiga dua"


@pytest.mark.parametrize(
    "text, font, tick",
    [
        ("✓", "DejaVuSans", True),
        ("√", "ABCDEF+ArialMT", True),
        ("v", "TimesNewRoman", True),
        ("X", "Calibri", True),
        ("\uf0fc", "ABCDEF+Wingdings-Regular", True),
        ("ü", "Wingdings", True),  # same code, single-byte encoding
        ("ü", "ABCDEF+Calibri", False),  # a real u-umlaut in a text font
        ("\uf0fc", "ABCDEF+Calibri", False),  # private use, unknown font: undecidable
        ("P", "ABCDEF+Wingdings2", True),
        ("P", "Wingdings 2", True),
        ("R", "Wingdings2-Regular", True),
        ("P", "Calibri", False),
        ("\uf0d6", "Symbol", True),
        ("4", "ZapfDingbats", True),
        ("\uf0fc", "OpenSymbol", True),
        ("a", "Wingdings", False),
    ],
)
def test_tick_by_font_and_code(text, font, tick):
    assert is_tick_char({"text": text, "fontname": font}) is tick


def test_font_family_normalises_subset_and_style():
    assert font_family("ABCDEF+Wingdings-Regular") == "wingdings"
    assert font_family("Wingdings 2") == "wingdings2"
    assert font_family("BCDEEE+OpenSymbol") == "opensymbol"


def test_cell_mark_needs_only_tick_glyphs():
    tick = {"text": "\uf0fc", "fontname": "XYZABC+Wingdings-Regular"}
    word = {"text": "v", "fontname": "Arial"}
    assert cell_mark([tick]) and display_text(tick) == "✓"
    assert cell_mark([word])
    assert not cell_mark([word, {"text": "i", "fontname": "Arial"}])
    assert not cell_mark([])


def test_rotated_text_reads_along_its_direction():
    # "Jan" turned 90 degrees counter-clockwise: read bottom to top.
    up = [
        {"text": t, "x0": 100.0, "x1": 107.0, "top": top, "bottom": top + 4.0, "size": 4.0, "upright": False, "matrix": (0, 1, -1, 0, 0, 0)}
        for t, top in (("J", 108.0), ("a", 104.0), ("n", 100.0))
    ]
    assert cell_text(up, 0.0, 100.0)[0] == "Jan"
    down = [{**c, "matrix": (0, -1, 1, 0, 0, 0), "top": 200.0 - c["top"]} for c in up]
    assert cell_text(down, 0.0, 100.0)[0] == "Jan"
