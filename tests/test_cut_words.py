"""Words a cell's width cut (Word, Writer and Calc cut a word wider than its
cell at the last letter that fits): marked by the text's geometry
(``extract.text.cell_text``), joined back by the document's own words
(``extract.cut_words``)."""

from __future__ import annotations

import pytest

from lampiran.extract.base import PageResult
from lampiran.extract.cut_words import rejoin_cut_words
from lampiran.extract.text import cell_text
from lampiran.model.interim import Cell, Table

W = 5.0  # every glyph 5 pt wide, 10 pt tall


def _line(text: str, x0: float, top: float) -> list[dict]:
    return [{"text": c, "x0": x0 + W * i, "x1": x0 + W * (i + 1), "top": top, "bottom": top + 10, "size": 10.0}
            for i, c in enumerate(text)]


def _cell(*lines: str, width: float, pad: float = 2.0) -> tuple[list[dict], float, float]:
    chars = [c for i, ln in enumerate(lines) for c in _line(ln, 100 + pad, 20 + 12 * i)]
    return chars, 100.0, 100 + width


def test_a_line_of_one_word_that_fills_the_cell_marks_the_space_after_it():
    # "Pengawasa" is 45 pt in a cell 49 pt wide inside its 2 pt paddings: the "n" would not fit.
    text, cuts, end_cut = cell_text(*_cell("Tim", "Pengawasa", "n Internal", width=49 + 4))
    assert text == "Tim Pengawasa n Internal"
    assert cuts == (len("Tim Pengawasa"),)
    assert not end_cut


@pytest.mark.parametrize("lines, width", [
    (("Tim", "Pengawasa", "n Internal"), 49 + 4 + W),  # room for one more letter: a wrap
    (("Tim Pengawasa", "n Internal"), 13 * W + 4),  # two words on the line: a long word starts a line of its own
    (("Pengawasan,", "Internal"), 11 * W + 4),  # ends in a comma
    (("Pengawasan", "2023"), 10 * W + 4),  # a number follows
])
def test_no_mark_where_the_line_could_not_be_a_cut(lines, width):
    assert cell_text(*_cell(*lines, width=width))[1] == ()


def test_a_list_label_before_the_word_does_not_hide_the_cut():
    text, cuts, _ = cell_text(*_cell("1. Sosialis", "asi dan", width=11 * W + 4))
    assert cuts == (len("1. Sosialis"),)


def test_a_last_line_of_one_word_that_fills_the_cell_may_end_in_a_cut():
    # The row goes on over a page break: "Integra" / (next page) "si aplikasi".
    assert cell_text(*_cell("2. Tata", "Integra", width=7 * W + 4))[2]
    assert not cell_text(*_cell("2. Tata", "Integra", width=9 * W + 4))[2]  # room for more than a letter
    assert not cell_text(*_cell("2. Tata", "di Integra", width=10 * W + 4))[2]  # two words on the line


def _page(*texts: str, cuts: list[tuple[int, int, int]], page_text: str = "") -> PageResult:
    cells = [Cell(1, i, 0, 1, 1, (0.0, 12.0 * i, 100.0, 12.0 * i + 12), t, False, 1.0) for i, t in enumerate(texts)]
    table = Table(page=1, bbox=(0.0, 0.0, 100.0, 12.0 * len(texts)), n_rows=len(texts), n_cols=1,
                  col_edges=[0.0, 100.0], row_edges=[12.0 * i for i in range(len(texts) + 1)], cells=cells)
    return PageResult(page=1, kind="digital", text=page_text, tables=[table], word_cuts=cuts)


def _texts(results: list[PageResult], dictionary: frozenset[str] = frozenset()) -> list[str]:
    return [c.text for t in rejoin_cut_words(results, lambda: dictionary)[0] for c in t.cells]


def test_the_document_writing_the_word_whole_elsewhere_joins_it():
    page = _page("Penguatan Pengawasa n", "Penguatan Pengawasan", cuts=[(0, 0, len("Penguatan Pengawasa"))])
    assert _texts([page]) == ["Penguatan Pengawasan", "Penguatan Pengawasan"]


def test_the_two_words_side_by_side_elsewhere_keep_their_space():
    # "ditindak lanjuti" is how this document writes it; the dictionary also has "ditindaklanjuti".
    text = "sudah ditindak lanjuti"
    page = _page(text, "telah ditindak lanjuti", cuts=[(0, 0, len("sudah ditindak"))])
    assert _texts([page], frozenset({"ditindak", "lanjuti", "ditindaklanjuti"}))[0] == text


def test_two_dictionary_words_stay_apart_unless_the_joined_word_is_one_too():
    apart = _page("Agen Perubahan", cuts=[(0, 0, len("Agen"))])
    assert _texts([apart], frozenset({"agen", "perubahan"})) == ["Agen Perubahan"]
    joined = _page("laporan pelapor an", cuts=[(0, 0, len("laporan pelapor"))])
    assert _texts([joined], frozenset({"laporan", "pelapor", "an", "pelaporan"})) == ["laporan pelaporan"]


def test_pieces_that_are_no_words_join_and_a_word_cut_twice_joins_whole():
    page = _page("Agen BKPSD M", "1. Penand atanga nan Pakta", "Kota Lumaja ng;",
                 cuts=[(0, 0, 10), (0, 1, 9), (0, 1, 16), (0, 2, 11)])
    assert _texts([page], frozenset({"agen", "penandatanganan", "pakta", "kota"})) == [
        "Agen BKPSDM", "1. Penandatanganan Pakta", "Kota Lumajang;"]


def test_unmarked_spaces_and_other_pages_are_left_alone():
    marked = _page("Pengawasa n", cuts=[(0, 0, 9)])
    other = _page("Tim Pengawas Internal", cuts=[])
    assert _texts([marked, other]) == ["Pengawasan", "Tim Pengawas Internal"]


def test_a_piece_that_is_no_word_before_a_word_is_left_apart_and_reported():
    # "perundangunda" / "ngan" (a cut) and "perundangundangan" / "yang" (a
    # wrap) look alike to the words when the plan writes neither whole.
    for text, at in (("peraturan perundangunda ngan baru", 23), ("perundangundangan yang baru", 17)):
        tables, doubts = rejoin_cut_words([_page(text, cuts=[(0, 0, at)])], lambda: frozenset({"ngan", "yang", "baru"}))
        assert tables[0].cells[0].text == text
        assert doubts == [(1, text[:at].split(" ")[-1] + " " + text[at + 1:].split(" ")[0])]


def test_a_word_before_a_cut_word_is_no_doubt():
    # Both lines fill the cell: "Penguatan" / "Pengawasa" / "n"; the second space is the cut.
    tables, doubts = rejoin_cut_words([_page("Penguatan Pengawasa n", cuts=[(0, 0, 9), (0, 0, 19)])],
                                      lambda: frozenset({"penguatan", "pengawasan"}))
    assert (tables[0].cells[0].text, doubts) == ("Penguatan Pengawasan", [])


def test_a_joined_word_is_not_joined_again_to_the_next_cut_word():
    # A column four letters wide: "pengen" / "dalian" / "gratifik" / "asi", every line a cut or a wrap.
    page = _page("1. pengen dalian gratifik asi", cuts=[(0, 0, 9), (0, 0, 16), (0, 0, 25)])
    tables, doubts = rejoin_cut_words([page], lambda: frozenset({"pengendalian", "gratifikasi"}))
    assert (tables[0].cells[0].text, doubts) == ("1. pengendalian gratifikasi", [])


def test_a_row_joined_over_a_page_break_joins_a_cut_word_whole():
    from lampiran.model.word_cuts import join_cut, vocabulary

    dictionary = frozenset({"integrasi", "aplikasi", "layanan", "si"})
    vocab = vocabulary(["2. Integra", "si aplikasi layanan"], lambda: dictionary, 1)
    assert join_cut("2. Integra", "si aplikasi layanan", vocab) == ("2. Integrasi aplikasi layanan", "")
    assert join_cut("2. Layanan", "aplikasi", vocab) == ("2. Layanan aplikasi", "")
    unsure = vocabulary(["perundangunda", "ngan baru"], lambda: frozenset({"ngan", "baru"}), 1)
    assert join_cut("peraturan perundangunda", "ngan baru", unsure) == (
        "peraturan perundangunda ngan baru", "perundangunda ngan")
