"""mch_area_typos: a misspelled area name after a level word becomes a LOCATION with its
Kemendagri code; exact names, other capitalised words and unclear matches are left alone."""

from __future__ import annotations

import pytest

import mchnlp
from mchnlp.components.area_typos import AreaTypos
from mchnlp.knowledge.spelling import edit_distance


@pytest.mark.parametrize("text, area, code", [
    ("Kabupaten Manggrai Timur mencatat 6 kasus kematian ibu pada 2018.",
     "Kabupaten Manggarai Timur", "53.19"),
    ("Di Kab. Lombok Tenggah, kasus stunting mencapai 120 anak pada 2021.",
     "Kabupaten Lombok Tengah", "52.02"),
    ("Kabupaten Dharmas Raya mencatat prevalensi stunting 24,6 persen pada 2022.",
     "Kabupaten Dharmasraya", "13.10"),
    ("Provinsi Jawa Tenga mencatat AKI 76 per 100.000 KH pada 2021.",
     "Provinsi Jawa Tengah", "33"),
    # the ruler matches a shorter name up to the misspelled last word
    ("Dinas Kesehatan Kabupaten Nias Selatn mencatat 44 kasus gizi buruk pada 2023.",
     "Kabupaten Nias Selatan", "12.14"),
    ("Kabupaten Lampung Selatn mencatat 44 kasus gizi buruk pada 2023.",
     "Kabupaten Lampung Selatan", "18.01"),
])
def test_misspelled_area_gives_the_fact_its_area(nlp, text, area, code):
    facts = mchnlp.extract(text, nlp=nlp)
    assert [(f.location, f.location_code) for f in facts] == [(area, code)]


def test_other_capitalised_words_and_exact_names_are_left_alone(nlp):
    doc = nlp("Program Kota Layak Anak di Kota Kupang mencatat 5 kasus gizi buruk pada 2020.")
    assert [(e.text, e.label_) for e in doc.ents if e.label_ == "LOCATION"] == [
        ("Kota Kupang", "LOCATION")]
    assert nlp.get_pipe("mch_area_typos").closest("Kupang", "kota") == "53.71"


def test_a_match_must_be_clearly_closest():
    typos = AreaTypos(None)
    # "Kabupaten Tana" is as close to several names: no guess
    assert typos.closest("Tana", "kabupaten") is None
    assert typos.closest("Bekerja Sama", "kabupaten") is None
    assert typos.closest("Manggrai Barat", "kabupaten") == "53.15"


def test_edit_distance_stops_past_its_limit():
    assert edit_distance("manggarai", "manggrai", 2) == 1
    assert edit_distance("kupang", "kupang", 1) == 0
    assert edit_distance("abcdef", "uvwxyz", 2) == 3


@pytest.mark.parametrize("text, area, code", [
    # a kecamatan of two words: the ruler's one-word pattern stops at "Dumai"
    ("Kasus kematian ibu paling banyak di Kecamatan Dumai Timur, yaitu 5 kasus pada 2016.",
     "Kecamatan Dumai Timur", "14.72.02"),
    # an apostrophe in the name: no capitalised word for the ruler's pattern
    ("Di Kecamatan Hu'u tercatat 14 balita stunting pada 2023.",
     "Kecamatan Hu'u", "52.05.03"),
    # a kecamatan whose name ends in a kabupaten's: the ruler matched "Jepara" alone
    ("Prevalensi stunting di Kecamatan Way Jepara, Kabupaten Lampung Timur, 8,8 persen pada "
     "2024.", "Kecamatan Way Jepara", "18.07.07"),
])
def test_lower_level_names_the_ruler_cuts_short(nlp, text, area, code):
    doc = nlp(text)
    assert area in [e.text for e in doc.ents if e.label_ == "LOCATION"]
    facts = mchnlp.extract(text, nlp=nlp)
    assert (area, code) in [(f.location, f.location_code) for f in facts]


def test_a_lower_level_name_is_not_extended_past_the_gazetteer(nlp):
    # "Cikidang Baru" is no kecamatan: the ruler's "Kecamatan Cikidang" stays as it was
    doc = nlp("Kecamatan Cikidang Baru-baru ini mencatat 3 balita stunting.")
    assert [e.text for e in doc.ents if e.label_ == "LOCATION"] == ["Kecamatan Cikidang"]
    doc = nlp("Warga Kecamatan Sukamiskin Raya mengeluh.")  # no such kecamatan at all
    assert [e.text for e in doc.ents if e.label_ == "LOCATION"] == ["Kecamatan Sukamiskin"]


def test_a_list_names_its_next_kecamatan_bare(nlp):
    """After "Kecamatan Cibeber", the bare names of the list that are kecamatan of the same
    kabupaten (Cianjur) become areas; "Cikalong" (a kecamatan of Tasikmalaya, not Cianjur)
    does not."""
    facts = mchnlp.extract("Pada 2023 kasus stunting terbanyak ada di Kecamatan Cibeber (312 "
                           "balita), Cikalong (287 balita), dan Cidaun (250 balita).", nlp=nlp)
    areas = {f.value: (f.location, f.location_code) for f in facts}
    assert areas[250.0] == ("Kecamatan Cidaun", "32.03.23")
    assert areas[312.0] == ("Kecamatan Cibeber", "32.03.03")
    assert areas.get(287.0, (None,))[0] != "Kecamatan Cikalong"


def test_a_list_continuation_needs_a_list_and_a_lower_level_first_area(nlp):
    # the kabupaten named (Dompu) is not Lape's and Lunyuk's (Sumbawa): only a list could
    # make them areas
    doc = nlp("Kematian bayi di Kecamatan Moyo Hulu tercatat 4 kasus. Lape mencatat 2 kasus, "
              "sedangkan Kabupaten Dompu 30 kasus, Lunyuk 3 kasus.")
    locations = [e.text for e in doc.ents if e.label_ == "LOCATION"]
    # "Lape" starts the next sentence; "Lunyuk" follows a kabupaten, not a kecamatan
    assert "Lape" not in locations and "Lunyuk" not in locations
    # with Kabupaten Sumbawa named, they are its kecamatan whatever the list says
    doc = nlp("Kematian bayi di Kecamatan Moyo Hulu tercatat 4 kasus. Lape mencatat 2 kasus, "
              "sedangkan Kabupaten Sumbawa 30 kasus, Lunyuk 3 kasus.")
    assert {e.text: e.ent_id_ for e in doc.ents if e.label_ == "LOCATION"}["Lunyuk"] == (
        "52.04.02")
    listed = nlp("Kecamatan Moyo Hulu 2 kasus, Moyo Hilir 2 kasus, serta Lape dan Lunyuk "
                 "masing-masing 1 kasus.")
    assert [e.text for e in listed.ents if e.label_ == "LOCATION"] == [
        "Kecamatan Moyo Hulu", "Moyo Hilir", "Lape", "Lunyuk"]


@pytest.mark.parametrize("level_word", ["Kabupatem", "Kabuapten", "Kabupatn"])
def test_a_misspelled_level_word_keeps_the_level_of_the_area(nlp, level_word):
    """"Kabupatem Bima" beside "Kota Bima": the kabupaten, not the kota the bare name would
    take from the other mention."""
    facts = mchnlp.extract(f"Jumlah balita gizi buruk di {level_word} Bima pada 2021 mencapai "
                           "145 anak, sedangkan di Kota Bima 38 anak.", nlp=nlp)
    assert [(f.value, f.location) for f in facts] == [(145.0, "Kabupaten Bima"),
                                                      (38.0, "Kota Bima")]


def test_a_misspelled_level_word_needs_an_area_of_that_level(nlp):
    typos = AreaTypos(None)
    doc = nlp("Provinis Bima dan Kabupatenan Jaya mencatat 3 kasus.")
    lower = doc.to_array("LOWER").tolist()
    assert list(typos._misspelled_level_words(doc, lower, {})) == []  # no province Bima


@pytest.mark.parametrize("text,places", [
    ("Menurut Survei Status Gizi Indonesia 2022, stunting di Indonesia 21,6 persen.",
     ["Indonesia"]),
    ("Ketua Ikatan Bidan Indonesia menyebut AKI di Kabupaten Lebak masih tinggi.",
     ["Kabupaten Lebak"]),
    ("Indonesia mencatat AKI 189 per 100.000 kelahiran hidup.", ["Indonesia"]),
    ("Kabupaten Lebak, Banten, Indonesia.", ["Kabupaten Lebak", "Banten", "Indonesia"]),
    ("Empat balita di Kabupaten Ketapang meninggal dunia.", ["Kabupaten Ketapang"]),
    ("Angka stunting Indonesia termasuk tertinggi di dunia.", ["Indonesia", "dunia"]),
])
def test_a_country_word_that_ends_a_name_is_no_area(nlp, text, places):
    assert [e.text for e in nlp(text).ents if e.label_ == "LOCATION"] == places


def test_a_country_word_in_a_capitalised_headline_is_the_country(nlp):
    # a headline capitalises every word: "Anak" before "Indonesia" names no organisation
    doc = nlp("Gizi Buruk Anak Indonesia Menurun Tajam\n\nAngka gizi buruk di Indonesia turun.")
    assert [e.text for e in doc.ents if e.label_ == "LOCATION"] == ["Indonesia", "Indonesia"]
    # in a headline in sentence case the capitalised word still ends a name
    doc = nlp("Ikatan Bidan Indonesia gelar pelatihan di kota ini\n\nPelatihan dibuka.")
    assert [e.text for e in doc.ents if e.label_ == "LOCATION"] == []


def test_a_figure_beside_a_surveys_name_keeps_the_area_of_the_text(nlp):
    text = ("Angka Stunting di Kabupaten Rejang Lebong Turun\n\nCURUP - Berdasarkan hasil "
            "Survei Kesehatan Indonesia (SKI) 2023, prevalensi stunting turun menjadi 18,2 "
            "persen.")
    assert [(f.value, f.location) for f in mchnlp.extract(text, nlp=nlp)] == [
        (18.2, "Kabupaten Rejang Lebong")]


def test_a_misspelled_row_label_of_a_table_of_one_provinces_areas(nlp):
    text = ("Tabel 5. Jumlah Kematian Ibu Menurut Kabupaten/Kota, Provinsi Kalimantan Selatan "
            "Tahun 2022\n\nNo | Kabupaten/Kota | Kematian Ibu\n1 | Tanah Laut | 6\n2 | Banjar | 11"
            "\n3 | Hulu Sungai Tenggah | 5\n4 | Tabalong | 4\n")
    facts = {f.value: (f.location, f.location_code) for f in mchnlp.extract(text, nlp=nlp)}
    assert facts[5.0] == ("Kabupaten Hulu Sungai Tengah", "63.07")
    assert facts[6.0] == ("Kabupaten Tanah Laut", "63.01")


def test_row_labels_of_other_tables_are_left_alone(nlp):
    text = ("Kematian bayi di Kabupaten Tabalong tahun 2022\n\nJenis Kelamin | Jumlah\n"
            "Laki | 12\nPerempuan | 9\n")
    assert [e.text for e in nlp(text).ents if e.label_ == "LOCATION"] == ["Kabupaten Tabalong"]


def test_bare_names_listed_after_a_level_word_used_as_a_noun(nlp):
    text = ("SEMARANG - Jumlah balita stunting di Kota Semarang hingga Juni 2023 tercatat 1.367 "
            "anak. Kecamatan dengan kasus terbanyak yakni Semarang Utara (187), Genuk (154), dan "
            "Pedurungan (141).")
    facts = {f.value: (f.location, f.location_code) for f in mchnlp.extract(text, nlp=nlp)}
    assert facts[187.0] == ("Kecamatan Semarang Utara", "33.74.02")
    assert facts[154.0] == ("Kecamatan Genuk", "33.74.05")
    assert facts[1367.0] == ("Kota Semarang", "33.74")


def test_names_of_another_kabupaten_after_a_level_word_are_left_alone(nlp):
    doc = nlp("Di Kota Semarang, kecamatan dengan kasus terbanyak yakni Lape dan Lunyuk.")
    assert [e.text for e in doc.ents if e.label_ == "LOCATION"] == ["Kota Semarang"]


def test_bare_row_labels_under_a_kecamatan_header_are_kecamatan(nlp):
    text = ("Dinas Kesehatan Kabupaten Kupang mencatat kematian bayi tahun 2023.\n"
            "Kecamatan | Kematian Bayi\nSemau | 4\nKupang Barat | 7\nAmarasi | 3\n")
    facts = {f.value: (f.location, f.location_code) for f in mchnlp.extract(text, nlp=nlp)}
    assert facts[7.0] == ("Kecamatan Kupang Barat", "53.01.05")
    assert facts[4.0] == ("Kecamatan Semau", "53.01.04")


def test_row_labels_under_a_kecamatan_header_of_another_kabupaten_are_left_alone(nlp):
    doc = nlp("Kematian bayi di Kota Semarang tahun 2023.\nKecamatan | Kematian Bayi\n"
              "Semau | 4\nAmarasi | 3\n")
    assert [e.text for e in doc.ents if e.label_ == "LOCATION"] == ["Kota Semarang"]


def test_bare_kecamatan_names_in_a_text_that_speaks_of_kecamatan(nlp):
    text = ("Sepanjang 2023, Dinas Kesehatan Kabupaten Kupang mencatat 14 kematian bayi yang "
            "tersebar di enam kecamatan. Takari dan Sulamu masing-masing tiga kasus, Fatuleu "
            "Barat dua kasus.")
    facts = {(f.value, f.location, f.location_code) for f in mchnlp.extract(text, nlp=nlp)}
    assert (3.0, "Kecamatan Takari", "53.01.11") in facts
    assert (3.0, "Kecamatan Sulamu", "53.01.07") in facts
    assert (2.0, "Kecamatan Fatuleu Barat", "53.01.27") in facts
    assert (14.0, "Kabupaten Kupang", "53.01") in facts


def test_a_misspelled_kecamatan_before_its_figure(nlp):
    text = ("Kasus stunting di Kabupaten Kupang hingga Juni 2024 tercatat 2.100 balita. "
            "Kecamatan dengan kasus terbanyak adalah Nekamesse 210 balita dan Taebenu 180 "
            "balita.")
    facts = {f.value: f.location_code for f in mchnlp.extract(text, nlp=nlp)}
    assert facts[210.0] == "53.01.16"
    assert facts[180.0] == "53.01.24"


def test_bare_kecamatan_names_need_a_text_about_kecamatan_and_a_long_enough_name(nlp):
    # no "kecamatan" in the text: "Takari" stays a plain word
    doc = nlp("Dinas Kesehatan Kabupaten Kupang menyebut Takari tiga kasus.")
    assert [e.text for e in doc.ents if e.label_ == "LOCATION"] == ["Kabupaten Kupang"]
    # "Semaw" is one edit from Semau, but five letters are too few to read a typo
    doc = nlp("Kematian bayi di Kabupaten Kupang tersebar di tiga kecamatan. Semaw 4 kasus.")
    assert [e.text for e in doc.ents if e.label_ == "LOCATION"] == ["Kabupaten Kupang"]


def test_a_dateline_naming_a_kabupatens_seat_is_that_kabupaten(nlp):
    text = ("Gizi Buruk Bertambah\n\nKEFAMENANU - Dinas Kesehatan setempat mencatat 41 kasus "
            "gizi buruk di kabupaten ini sepanjang 2023, terbanyak di Kecamatan Insana dengan 9 "
            "kasus.\n\nPrevalensi stunting di kabupaten ini 22,7 persen pada 2023.")
    doc = nlp(text)
    assert [(e.text, e.ent_id_) for e in doc.ents if e.label_ == "LOCATION"][0] == (
        "KEFAMENANU", "53.03")
    areas = {f.value: f.location for f in mchnlp.extract(text, nlp=nlp)}
    assert areas == {41.0: "Kabupaten Timor Tengah Utara", 9.0: "Kecamatan Insana",
                     22.7: "Kabupaten Timor Tengah Utara"}


def test_the_set_a_dateline_kabupaten_is_ranked_in_is_not_the_texts_area(nlp):
    text = ("Kasus Gizi Buruk Turun\n\nKEFAMENANU - Dinas Kesehatan kabupaten ini mencatat 12 "
            "kasus gizi buruk pada 2023. Jumlah itu termasuk yang paling rendah di Nusa Tenggara "
            "Timur.\n\nPada 2022, gizi buruk tercatat 19 kasus.")
    areas = {f.value: f.location for f in mchnlp.extract(text, nlp=nlp)}
    assert areas == {12.0: "Kabupaten Timor Tengah Utara", 19.0: "Kabupaten Timor Tengah Utara"}


def test_a_seat_outside_the_dateline_is_the_town_not_the_kabupaten(nlp):
    doc = nlp("Pasien dirujuk ke RSUD di Kefamenanu.\nKefamenanu kota kecil yang ramai.")
    assert not [e for e in doc.ents if e.label_ == "LOCATION" and e.ent_id_ == "53.03"]


def test_a_misspelled_kecamatan_of_a_named_kabupaten_is_that_kecamatan(nlp):
    text = ("Di Kabupaten Sikka, kasus gizi buruk terbanyak ditemukan di Kecamatan Talibra dengan "
            "9 kasus pada 2023.")
    assert [(f.location, f.location_code) for f in mchnlp.extract(text, nlp=nlp)] == [
        ("Kecamatan Talibura", "53.07.08")]
    # a longer name one edit off wins over a shorter exact one ("Alok" is a kecamatan too)
    longer = ("Di Kabupaten Sikka pada 2023, kasus gizi buruk terbanyak ditemukan di Kecamatan "
              "Alok Timor dengan 12 kasus.")
    assert [(f.location, f.location_code) for f in mchnlp.extract(longer, nlp=nlp)] == [
        ("Kecamatan Alok Timur", "53.07.15")]
    # with no kabupaten named there is nothing to compare the name with
    alone = "Kasus gizi buruk terbanyak ditemukan di Kecamatan Talibra dengan 9 kasus pada 2023."
    assert [f.location_code for f in mchnlp.extract(alone, nlp=nlp)] == [None]


def test_a_lower_case_kampung_is_no_village_name(nlp):
    doc = nlp("Di banyak kampung Bugis, ibu hamil bersalin di rumah. Kampung Yoboi di Sentani "
              "mencatat 2 kasus gizi buruk pada 2023.")
    assert [e.text for e in doc.ents if e.label_ == "LOCATION"] == ["Kampung Yoboi"]


def test_a_misspelled_kecamatan_row_label_is_the_near_kecamatan(nlp):
    text = ("Balita stunting per kecamatan di Kabupaten Ogan Komering Ilir, 2024\n"
            "Kecamatan | Jumlah | Persen\n"
            "Pampangan | 160 | 9,1\n"
            "Pedamron | 115 | 5,4\n")
    facts = {(f.value, f.location) for f in mchnlp.extract(text, "2024-05-01", nlp=nlp)}
    assert (115.0, "Kecamatan Pedamaran") in facts
    assert (5.4, "Kecamatan Pedamaran") in facts
