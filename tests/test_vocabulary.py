"""A scan's misread words set back by the document's own vocabulary
(``normalize.vocabulary``), on synthetic cell texts."""

from __future__ import annotations

import dataclasses

import pytest

from lampiran.model.interim import Cell, Document, Facts, Table
from lampiran.normalize.vocabulary import corrections, vouch_tables, vouched


def test_a_reading_is_vouched_for_only_through_ocrs_measured_confusions():
    assert vouched("Sekretans", "Sekretaris")  # "ri" read "n"
    assert vouched("Bwokrasi", "Birokrasi")  # "ir" read "w"
    assert vouched("Burohrasi", "Birokrasi")  # two: "i" read "u", "k" read "h"
    assert not vouched("Penetapan", "Penerapan")  # "r" for "t" is no confusion of OCR's: another word
    assert not vouched("Sekretaris", "Sekretaris")
    assert not vouched("Buroluass", "Birokrasi")  # more than two: left as read


def test_words_read_once_are_set_to_the_words_the_document_reads_twice():
    texts = ["Kabid Sekretaris", "Sekretaris umum", "Sekretans", "Rutin", "Rutin", "Ruun",
             "data dan dari", "dan", "Penetapan", "Penerapan Penerapan"]
    assert corrections(texts) == {"Sekretans": "Sekretaris", "Ruun": "Rutin"}
    # A witness read only once vouches for nothing; two witnesses that both fit: neither.
    assert corrections(["Sekretans", "Sekretaris"]) == {}
    assert corrections(["Buku", "Biku", "Biku", "Buki", "Buki"]) == {}
    # A misreading that recurs yields to a word read three times as often, and vouches for nothing.
    assert corrections(["hinerja hinerja hunerja"] + ["kinerja"] * 6) == {"hinerja": "kinerja", "hunerja": "kinerja"}
    assert corrections(["hinerja hinerja"] + ["kinerja"] * 5) == {}


def _doc(kind: str, texts: list[str]) -> Document:
    cells = [Cell(3, r, 0, 1, 1, (0.0, 10.0 * r, 50.0, 10.0 * r + 10), t, False, 0.9) for r, t in enumerate(texts)]
    table = Table(3, (0.0, 0.0, 50.0, 10.0 * len(texts)), len(texts), 1, [0.0, 50.0],
                  [10.0 * r for r in range(len(texts) + 1)], cells, reader="digital" if kind == "digital" else "scanned")
    return Document("d", "d.pdf", "0" * 64, 3, kind, [kind] * 3, Facts(), [table])


def test_only_scanned_tables_are_set_back_and_the_document_read_is_not_changed():
    texts = ["Kabid Sekretaris", "Sekretaris", "Sekretans dan Staf"]
    scanned = _doc("scanned", texts)
    out = vouch_tables(scanned)
    assert [c.text for c in out.tables[0].cells] == ["Kabid Sekretaris", "Sekretaris", "Sekretaris dan Staf"]
    assert [c.text for c in scanned.tables[0].cells] == texts  # a copy: the input stays as read
    digital = _doc("digital", texts)
    assert vouch_tables(digital) is digital
    mixed = dataclasses.replace(_doc("scanned", texts), kind="mixed")
    mixed.tables[0].reader = "digital"  # a text-layer table in a mixed document stays as printed
    assert [c.text for c in vouch_tables(mixed).tables[0].cells] == texts


def test_words_the_dictionary_lacks_are_set_to_the_one_dictionary_word_they_are_read_for():
    lexicon = frozenset({"sekretaris", "pemerintahan", "revisi", "reviu", "bipa", "kinerja", "lingkungan",
                         "linkungan", "satuan", "sahkan"})
    texts = ["Sekretans", "urusan pemenntahan", "PEMENNTAHAN", "reviu", "Bupa"]
    assert corrections(texts, lexicon) == {"Sekretans": "Sekretaris", "pemenntahan": "pemerintahan",
                                           "PEMENNTAHAN": "PEMERINTAHAN"}
    # Two dictionary words fit: neither is taken. A reading that recurs is
    # set only to a word the document also reads.
    assert corrections(["Sekretans"], lexicon | {"sekretains"}) == {}
    assert corrections(["pemenntahan", "pemenntahan"], lexicon) == {}
    assert corrections(["pemenntahan", "pemenntahan", "pemerintahan"], lexicon) == {"pemenntahan": "pemerintahan"}
    assert corrections(texts) == {}  # without a dictionary, none of these has a witness


@pytest.mark.ocr
def test_the_dictionary_is_tesseracts_own_word_list():
    from lampiran.model.lexicon import PLAN_LANG, plan_dictionary, words

    ind = words(PLAN_LANG)
    assert len(ind) > 40_000 and {"sekretaris", "lingkungan", "pemerintahan"} <= ind
    assert not {"sekretans", "kngkungan", "reviu"} & ind
    assert "reviu" in plan_dictionary()  # the plans' own words are added
    assert words("no-such-language") == frozenset()
