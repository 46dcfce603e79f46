"""SK facts from keputusan body text."""

import pytest

from lampiran.extract.facts import parse_date, parse_facts
from lampiran.extract.nomor_repair import digit_confusions, nomor_codes, repair_scanned_facts
from lampiran.model.interim import Facts

BODY = """SALINAN
KOMISI PEMILIHAN UMUM
KABUPATEN LUMAJANG
KEPUTUSAN KETUA KOMISI PEMILIHAN UMUM
KABUPATEN LUMAJANG
NOMOR : 07/HK.03.1/3508/2022
TENTANG
PERUBAHAN KEPUTUSAN KETUA KOMISI PEMILIHAN UMUM
KABUPATEN LUMAJANG
NOMOR 29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021
TENTANG PENETAPAN RENCANA AKSI REFORMASI BIROKRASI TAHUN 2022
KETUA KOMISI PEMILIHAN UMUM KABUPATEN LUMAJANG,
Menimbang : a. bahwa berdasarkan Keputusan Nomor 314 Tahun 2021 tanggal 1 Maret 2021;
Ditetapkan di : Lumajang
Pada tanggal : 8 Februari 2022
"""


def test_amendment_facts():
    f = parse_facts(BODY)
    assert f.nomor == "07/HK.03.1/3508/2022"
    assert f.instansi == "KOMISI PEMILIHAN UMUM KABUPATEN LUMAJANG"
    assert f.tentang.startswith("PERUBAHAN KEPUTUSAN KETUA") and f.tentang.endswith("TAHUN 2022")
    assert f.mengubah_nomor == "29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021"
    assert f.tanggal_ditetapkan == "2022-02-08"  # the signature date, not a cited rule's
    assert f.tahun == 2022


def test_plain_sk_without_kop_and_peraturan_style_number():
    f = parse_facts("KEPUTUSAN BUPATI JOMBANG\nNOMOR 188.4.45/ 12 /415.10.1.3/2021\nTENTANG\nPROGRAM KERJA PENGAWASAN TAHUNAN\nTAHUN 2021\nBUPATI JOMBANG,\nDitetapkan di Jombang\npada tanggal 4 Januari 2021")
    assert f.nomor == "188.4.45/12/415.10.1.3/2021"  # spaces around a hand-filled number
    assert f.instansi == "BUPATI JOMBANG"
    assert f.tentang == "PROGRAM KERJA PENGAWASAN TAHUNAN TAHUN 2021"
    assert f.mengubah_nomor == "" and f.tanggal_ditetapkan == "2021-01-04" and f.tahun == 2021
    assert parse_facts("PERATURAN GUBERNUR BALI\nNOMOR 1 TAHUN 2021\nTENTANG\nX").nomor == "1 TAHUN 2021"


def test_dates():
    assert parse_date("Pada tanggal : 08 Pebruari 2022") == "2022-02-08"
    assert parse_date("tanggal 31 Des 2021") == "2021-12-31"
    assert parse_date("tanggal 8-2-2022") == "2022-02-08"
    assert parse_date("8 Foo 2022") == ""
    assert parse_date("Pada tanggal 30 December 2020") == "2020-12-30"  # OCR, English model
    assert parse_date("Pada tanggal 30 Desenber 2020") == "2020-12-30"  # OCR, m read as n


def test_roman_month_misread_by_ocr_is_repaired():
    for read, want in [("15/HK.03.1-Kpt/3574/KPU-Kab/1I1/2023", "15/HK.03.1-Kpt/3574/KPU-Kab/III/2023"),
                       ("07/PP.01/Il/2022", "07/PP.01/II/2022"), ("12/SK/V1/2021", "12/SK/VI/2021"),
                       ("3/KPT/X1I/2020", "3/KPT/XII/2020")]:
        assert parse_facts(f"KEPUTUSAN KETUA\nNOMOR : {read}\nTENTANG\nX").nomor == want
    # Digits stay digits; a part that is no month stays as read.
    for kept in ("188.45/111/415.10/2024", "29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021", "5/I1II/2020"):
        assert parse_facts(f"KEPUTUSAN KETUA\nNOMOR : {kept}\nTENTANG\nX").nomor == kept


@pytest.mark.parametrize("read, printed", [
    ("l88.4/2O23", "188.4/2023"),
    ("800/l23/415.21/2O23", "800/123/415.21/2023"),
    ("O1/PL.O1.1-Kpt/35O8/KPU-Kab/III/2023", "01/PL.01.1-Kpt/3508/KPU-Kab/III/2023"),
    ("12/Kpts/II/2022", "12/Kpts/II/2022"),  # a roman month and words stay
    ("I/2023", "I/2023"),
    ("188,4/112/426.114/2023", "188.4/112/426.114/2023"),  # a dot read as a comma
])
def test_ocr_letters_in_the_numbers_of_a_nomor_are_repaired(read, printed):
    assert digit_confusions(read) == printed


@pytest.mark.parametrize("read, printed", [
    ("07/11K.03.1/3508/2022", "07/HK.03.1/3508/2022"),  # H read as 11
    ("29/1IK.03.1-Kpt/3508/2021", "29/HK.03.1-Kpt/3508/2021"),  # H read as 1I
    ("29/1!K.03.1-Kpt/3508/2021", "29/HK.03.1-Kpt/3508/2021"),  # or as 1!
    ("29/1K.03.1-Kpt/3508/2021", "29/HK.03.1-Kpt/3508/2021"),  # or as one stroke
    ("29/1HK.03.1-Kpt/3508/2021", "29/HK.03.1-Kpt/3508/2021"),  # a speck before the code
    ("29/IKU.03.1/2021", "29/IKU.03.1/2021"),  # a letter before a code may be printed
    ("29/IIX.03.1/2021", "29/IIX.03.1/2021"),  # not a known code: as read
    ("29/HK.03.1-KpvU3508/KPU-Kab/VI/2021", "29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021"),  # t/ read as vU
    ("15/HK.03.1-Kpv3574/2023", "15/HK.03.1-Kpt/3574/2023"),  # the slash lost
    ("112/OT.01-Kpv/3509/2023", "112/OT.01-Kpt/3509/2023"),  # a letter misread, the slash read
    ("03/0T.01-Kpt/3509/2024", "03/OT.01-Kpt/3509/2024"),  # O read as 0 in a code
    ("228/KPT/1/2017", "228/KPT/1/2017"),  # a printed capital code stays (UHO's real scan)
    ("228/KPX/1/2017", "228/KPX/1/2017"),
    ("03/00.01/2024", "03/00.01/2024"),  # numbers stay numbers
    ("03/OT.01-Kpt/3509/KPU-Kab/2024", "03/OT.01-Kpt/3509/KPU-Kab/2024"),
    ("12/Kpts/II/2022", "12/Kpts/II/2022"),  # printed codes stay
    ("188.4/12/KPTS/415.10/2023", "188.4/12/KPTS/415.10/2023"),
    ("11/PL.01-Kep/2023", "11/PL.01-Kep/2023"),  # a number 11 before a slash stays
    ("29/H!K.03.1-Kpt/3508/KPU-Kab/VI/2021", "29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021"),  # a speck read as "!"
    ("29/K!X.03.1/2021", "29/K!X.03.1/2021"),  # not a known code: kept as read
    ("07/HIK.03.1/3508/2022", "07/HK.03.1/3508/2022"),  # a speck read as a thin letter between two
    ("07/H1K.03.1/3508/2022", "07/HK.03.1/3508/2022"),  # or as a "1"
    ("07/PL1.03/2022", "07/PL1.03/2022"),  # a digit at a code's end stays
    ("29/HK.03.1-Kpt/3508/KPU-Kab/VU2021", "29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021"),  # "I/" read as "U"
    ("29/HK.03.1-Kpt/3508/KPU-Kab/XIU2021", "29/HK.03.1-Kpt/3508/KPU-Kab/XII/2021"),
    ("29/HK.03.1-Kpt/3508/KPU-Kab/VU/2021", "29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021"),  # "I" and the slash's edge
    ("29/11IK.03.1-Kpt/3508/2021", "29/HK.03.1-Kpt/3508/2021"),  # H read as three strokes
    ("29/KPU/VU/2021", "29/KPU/VI/2021"),
    ("29/KPU/2021", "29/KPU/2021"),  # a code ending in U before a slash stays
    ("29/VU20210", "29/VU20210"),  # not a year
    ("07/SDMI.03/2022", "07/SDMI.03/2022"),  # a thin letter at a code's end stays
    ("15/HK.03.1-Kptv/3574/2023", "15/HK.03.1-Kpt/3574/2023"),  # the slash read twice, as "v/"
    ("15/HK.03.1-Kpts/3574/2023", "15/HK.03.1-Kpts/3574/2023"),
])
def test_ocr_slips_in_the_codes_of_a_nomor_are_repaired(read, printed):
    assert nomor_codes(read) == printed


def test_a_known_code_split_by_a_space_is_joined():
    facts = parse_facts(BODY.replace("3508/KPU-Kab/VI", "3508/K PU-Kab/VI"))
    assert facts.mengubah_nomor == "29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021"
    assert parse_facts("KEPUTUSAN KETUA\nNOMOR : 12/AB CD/2022\nTENTANG\nX").nomor == "12/AB"  # not a code: as read


def test_a_repaired_code_is_taken_from_a_clean_reading_of_the_same_nomor():
    text = ("NOMOR : 15/HK.03.1-Kpv3574/2023\n"
            "Keputusan Nomor 14/HK.03.1-Kpts/3574/2022 tentang X\n"  # another nomor: its numbers differ
            "LAMPIRAN\nNOMOR : 15/HK.03.1-Kpts/3574/2023\n")  # the same nomor, read clean
    facts = Facts(nomor="15/HK.03.1-Kpv3574/2023")
    repair_scanned_facts(facts, text)
    assert facts.nomor == "15/HK.03.1-Kpts/3574/2023"
    facts = Facts(nomor="15/HK.03.1-Kpv3574/2023")
    repair_scanned_facts(facts, text.rsplit("LAMPIRAN", 1)[0])
    assert facts.nomor == "15/HK.03.1-Kpt/3574/2023"  # no witness: the nearest code


def test_an_h_read_as_two_strokes_in_the_title_is_vouched_for_by_the_document():
    text = "KOMISI PEMILIHAN UMUM\nKEPUTUSAN KETUA KOMISI PEMILIHAN UMUM\nTENTANG\nX"
    facts = Facts(nomor="1/2024", tentang="RENCANA AKSI KOMISI PEMILIIIAN UMUM DAN PEMILIIIAN ULANG",
                  instansi="KOMISI PEMILIIIAN UMUM")
    repair_scanned_facts(facts, text + "\n" + facts.tentang)
    assert facts.tentang == "RENCANA AKSI KOMISI PEMILIHAN UMUM DAN PEMILIHAN ULANG"
    assert facts.instansi == "KOMISI PEMILIHAN UMUM"
    facts = Facts(nomor="1/2024", tentang="UNIT KOMISI PEMILIITAN UMUM")  # bar and right stem read "T"
    repair_scanned_facts(facts, text + "\n" + facts.tentang + "\nUNIT")
    assert facts.tentang == "UNIT KOMISI PEMILIHAN UMUM"
    facts = Facts(nomor="1/2024", tentang="UNIT KOMISI PEMILITTAN UMUM")  # both strokes read "T"
    repair_scanned_facts(facts, text)
    assert facts.tentang == "UNIT KOMISI PEMILIHAN UMUM"
    facts = Facts(nomor="1/2024", tentang="PENGAWASAN VIII")  # no word with an H read twice: as read
    repair_scanned_facts(facts, "PENGAWASAN VIII")
    assert facts.tentang == "PENGAWASAN VIII"


def test_a_code_read_clean_is_not_overruled():
    facts = Facts(nomor="15/PL.03.1/3574/2O23")  # needs a digit repair, its code read clean
    repair_scanned_facts(facts, "NOMOR : 15/HK.03.1/3574/2023\n")
    assert facts.nomor == "15/PL.03.1/3574/2023"


def test_the_amended_nomor_is_repaired_where_the_title_quotes_it():
    read = "29/HK.03.1-KpvU3508/KPU-Kab/VI/2O21"
    facts = Facts(nomor="07/11K.03.1/3508/2022", mengubah_nomor=read,
                  tentang=f"PERUBAHAN ATAS KEPUTUSAN KETUA NOMOR {read} TENTANG RENCANA AKSI")
    repair_scanned_facts(facts)
    fixed = "29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021"
    assert (facts.nomor, facts.mengubah_nomor) == ("07/HK.03.1/3508/2022", fixed)
    assert facts.tentang == f"PERUBAHAN ATAS KEPUTUSAN KETUA NOMOR {fixed} TENTANG RENCANA AKSI"


def test_the_title_quoting_the_amended_nomor_with_a_space_read_into_it_is_repaired():
    facts = parse_facts(BODY.replace("3508/KPU-Kab/VI", "3508/K PU-Kab/VI").replace("HK.03.1-Kpt", "HK.03.1-Kptv"))
    repair_scanned_facts(facts)
    assert facts.mengubah_nomor == "29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021"
    assert "NOMOR 29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021 TENTANG PENETAPAN" in facts.tentang


def test_the_amended_nomor_quoted_in_the_title_is_repaired_with_it():
    # The title quotes the amended nomor as OCR read it there: a code split by
    # a space and a roman month read "V1", which parsing already mended in
    # the nomor itself; the title gets the repaired nomor in its place.
    title = "PERUBAHAN KEPUTUSAN KETUA KPU NOMOR 29/1K.03.1-Kpt/3508/K PU-Kab/V1/2021 TENTANG RENCANA AKSI"
    facts = parse_facts(f"KEPUTUSAN KETUA KPU\nNOMOR : 07/HK.03.1/3508/2022\nTENTANG\n{title}\nMenimbang")
    assert facts.mengubah_nomor == "29/1K.03.1-Kpt/3508/KPU-Kab/VI/2021"
    repair_scanned_facts(facts, "")
    assert facts.mengubah_nomor == "29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021"
    assert facts.tentang == title.replace("29/1K.03.1-Kpt/3508/K PU-Kab/V1/2021", "29/HK.03.1-Kpt/3508/KPU-Kab/VI/2021")


def test_two_letters_read_swapped_in_the_title_are_vouched_for_by_the_document():
    text = "KOMISI PEMILIHAN UMUM\nKEPUTUSAN KETUA KOMISI PEMILIHAN UMUM\nTENTANG\n"
    facts = Facts(nomor="1/2024", tentang="RENCANA AKSI KOMISI PEMILHIAN UMUM")
    repair_scanned_facts(facts, text + facts.tentang)
    assert facts.tentang == "RENCANA AKSI KOMISI PEMILIHAN UMUM"
    # A word the document reads as often as its swap is a word of its own.
    facts = Facts(nomor="1/2024", tentang="KIAT KAIT")
    repair_scanned_facts(facts, "KIAT KAIT KIAT KAIT\n" + facts.tentang)
    assert facts.tentang == "KIAT KAIT"
    facts = Facts(nomor="1/2024", tentang="RENCANA AKSI KOMISI PEMILHIAN UMUM")  # one witness is not enough
    repair_scanned_facts(facts, "KOMISI PEMILIHAN\n" + facts.tentang)
    assert facts.tentang == "RENCANA AKSI KOMISI PEMILHIAN UMUM"


def test_a_roman_month_ending_in_a_stroke_is_repaired_with_a_doubt():
    from lampiran.extract.nomor_repair import doubtful_months

    title = "NOMOR 29/11K.03.1-Kpvv3508/KPU-Kab/VI1/2021 TENTANG RENCANA AKSI"
    text = f"KEPUTUSAN KETUA KPU\nNOMOR : 07/HK.03.1/3508/2022\nTENTANG\nPERUBAHAN KEPUTUSAN KETUA KPU\n{title}\nMenimbang"
    facts = parse_facts(text)
    repair_scanned_facts(facts, text)
    assert facts.mengubah_nomor == "29/HK.03.1-Kpt/3508/KPU-Kab/VII/2021"  # the stroke taken for an I ...
    assert doubtful_months(facts, text) == [  # ... and said to be unsure: it may be the slash's edge
        "the amended nomor '29/HK.03.1-Kpt/3508/KPU-Kab/VII/2021' has its roman month read 'VI1': taken as "
        "'VII', though the last stroke may be the slash's edge ('VI')"]
    # Another reading of the same nomor with the month read clean settles it.
    assert doubtful_months(facts, text + "\nNomor 29/HK.03.1-Kpt/3508/KPU-Kab/VII/2021 diubah") == []
    # A month read clean, or whose strokes leave no other month, is no doubt.
    assert doubtful_months(Facts(nomor="12/KPU/VI/2023"), "NOMOR : 12/KPU/VI/2023") == []
    assert doubtful_months(Facts(nomor="12/KPU/IVI/2023"), "NOMOR : 12/KPU/IV1/2023") == []  # IVI is no month
    assert len(doubtful_months(Facts(nomor="12/KPU/III/2023"), "NOMOR : 12/KPU/1I1/2023")) == 1
    assert doubtful_months(Facts(nomor="12/KPU/2023"), "NOMOR : 12/KPU/2023") == []


def test_a_scanned_nomor_cut_at_a_lost_slash_is_said():
    """A spreadsheet lampiran scanned at 150 dpi read "NOMOR 215 HKOL 1-Kpe
    3574 2023": the slashes lost, the nomor taken as "215", unwarned."""
    from lampiran.extract.nomor_repair import cut_nomors

    text = "LAMPIRAN\nNOMOR 215 HKOL 1-Kpe 3574 2023\nTANGGAL : 2 Maret 2023"
    facts = parse_facts(text)
    assert facts.nomor == "215"
    assert cut_nomors(facts, text) == [
        "the nomor read as '215' stops where its line goes on ('HKOL 1-Kpe 3574 2023'): its slashes were likely "
        "lost, and only its first part taken"]
    text = "NOMOR 188 4/112/426 114/2023"  # dots read as spaces (200 dpi)
    assert len(cut_nomors(parse_facts(text), text)) == 1
    # Spreadsheet variants at 200 dpi: the year run into the number before
    # it, and a nomor with its slashes cut at a gap read inside it.
    text = "NOMOR :07 HK.O3 1350942022"
    assert parse_facts(text).nomor == "07" and len(cut_nomors(parse_facts(text), text)) == 1
    text = "NOMOR : 037OT.01-Kpt/35 09/2024"
    assert cut_nomors(parse_facts(text), text) == [
        "the nomor read as '037OT.01-Kpt/35' stops where its line goes on ('09/2024'): a slash or dot was likely "
        "read as a gap, and only its first part taken"]
    for whole in ("NOMOR 15 TAHUN 2021", "NOMOR : 07/HK.03.1/3508/2022", "Nomor 215 Tanggal 3 Maret 2023", "NOMOR 215",
                  "NOMOR : 12/KPT/2023 Tanggal 2 Januari 2023", "NOMOR 12/KPT/2023 TENTANG RENCANA AKSI 2023",
                  "Nomor : 800/057/427.41/2024"):
        assert cut_nomors(parse_facts(whole), whole) == [], whole


def test_a_long_month_name_misread_by_ocr_still_dates():
    """"8 Fetruan 2022" (a 5 pt heading scanned at 200 dpi, for 8 Februari):
    three letters off a 7-letter name, and no other month as close."""
    assert parse_date("TANGGAL : 8 Fetruan 2022") == "2022-02-08"
    assert parse_date("3 Septenber 2021") == "2021-09-03"
    for not_a_date in ("5 Nesember 2020", "7 tentang 2020", "3 Selasa 2021", "4 Sebelas 2021"):
        assert parse_date(not_a_date) == "", not_a_date


def test_a_scanned_nomor_opening_with_letters_for_its_number_is_said():
    """"OVOT.01-Kpt/3509/2024" for "03/OT.01-Kpt/3509/2024": every reading of a
    200 dpi spreadsheet heading gave it so, unwarned. A known code first
    ("KEP-57/KPU/2020"), a nomor of digits, and the Peraturan style are fine."""
    from lampiran.extract.nomor_repair import garbled_starts
    from lampiran.model.interim import Facts

    assert garbled_starts(Facts(nomor="OVOT.01-Kpt/3509/2024")) == [
        "the nomor read as 'OVOT.01-Kpt/3509/2024' opens with 'OVOT', neither a number nor a known code: its number "
        "was likely read as letters"]
    assert len(garbled_starts(Facts(nomor="07/HK.03.1/3508/2022", mengubah_nomor="OS/HK.03.1/3508/2021"))) == 1
    for fine in ("KEP-57/KPU/2020", "07/HK.03.1/3508/2022", "188.4/112/426.114/2023", "SATU TAHUN 2021", ""):
        assert garbled_starts(Facts(nomor=fine)) == [], fine
