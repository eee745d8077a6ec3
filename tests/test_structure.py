"""Document structure readers (grid tables, distributed lists, bracketed values, series) and
what they do for the values and facts, on texts written for these tests."""

from __future__ import annotations

import pytest

import mchnlp
from mchnlp.pipeline import build_rule_pipeline
from mchnlp.structure.lists import bracket_owner, distributions, series_year
from mchnlp.structure.tables import cell_contexts, column_header, grid_tables, row_labels

TABLE = (
    "Capaian Kesehatan Kabupaten Sigi\n\n"
    "Tabel Indikator Kesehatan Ibu dan Anak Kabupaten Sigi 2019 - 2021\n"
    "No | Indikator | 2019 | 2020 | 2021\n"
    "1. | AKB/1000 KH | 12,4 | 11,8 | 10,2\n"
    "2. | Prevalensi Stunting | 31,5 | 29,0 | 27,3\n"
    "3. | Jumlah Kematian Ibu | 9 | 7 | 5\n"
)
FACILITIES = (
    "Sarana kesehatan tahun 2021\n\n"
    "No | Sarana | Jumlah | Kondisi Baik\n"
    "1. | Puskesmas | 18 | 12\n"
    "2. | Posyandu | 240 | 200\n"
)


@pytest.fixture(scope="module")
def nlp():
    return build_rule_pipeline()


@pytest.fixture(params=["rules", "shipped"])
def pipeline(request, nlp):
    """The rule pipeline, then the shipped one."""
    return mchnlp.load() if request.param == "shipped" else nlp


def _facts(nlp, text, published=None):
    doc = nlp.make_doc(text)
    doc._.published = published
    return [(f.indicator, f.value, f.unit, f.location, f.year, f.kind) for f in nlp(doc)._.facts]


def _areas_by_value(text, *pipelines):
    """Per pipeline, each fact's value -> its area."""
    return [{value: area for _, value, _, area, _, _ in _facts(pipeline, text)}
            for pipeline in pipelines]


def test_grid_table_header_rows_title_and_columns(nlp):
    doc = nlp.make_doc(TABLE)
    (table,) = grid_tables(doc)
    text = lambda r: doc[r[0]:r[1]].text  # noqa: E731
    assert [text(c) for c in table["header"][0]] == ["No", "Indikator", "2019", "2020", "2021"]
    assert len(table["body"]) == 3
    assert text(table["title"]).startswith("Tabel Indikator")
    row = table["body"][0]
    assert [text(c) for c in row_labels(doc, row)] == ["AKB/1000 KH"]
    assert [text(c) for c in column_header(table, row, 3)] == ["2020"]
    contexts = cell_contexts(doc)
    first_value = next(t.i for t in doc if t.text == "12,4")
    assert contexts[first_value].column == 2
    assert next(t.i for t in doc if t.text == "1") not in contexts  # the item number


def test_table_cells_become_facts_with_their_header_year_and_row_unit(nlp):
    facts = _facts(nlp, TABLE)
    assert ("infant_mortality", 11.8, "per_1000_live_births", "Kabupaten Sigi", 2020,
            "observed") in facts
    assert ("stunting", 27.3, "percent", "Kabupaten Sigi", 2021, "observed") in facts
    assert ("maternal_mortality", 9.0, "count", "Kabupaten Sigi", 2019, "observed") in facts
    assert len(facts) == 9


def test_a_table_of_other_things_gives_no_facts(nlp):
    assert _facts(nlp, FACILITIES) == []


def test_target_column_gives_target_facts(nlp):
    text = ("Kinerja Dinas Kesehatan Kota Palu 2022\n\n"
            "Indikator | Target | Realisasi\n"
            "Angka kematian bayi per 1.000 KH | 10 | 8,5\n")
    facts = _facts(nlp, text)
    kinds = {value: kind for _, value, _, _, _, kind in facts}
    assert kinds == {10.0: "target", 8.5: "observed"}


def test_the_present_level_a_target_starts_from_is_observed(nlp):
    text = ("Pemkab Lembata menargetkan angka stunting yang pada SSGI 2022 masih 24,3 persen "
            "turun menjadi 16 persen pada 2025. Angka itu di atas Provinsi Nusa Tenggara Timur "
            "yang 35,3 persen.")
    facts = {value: (kind, year) for _, value, _, _, year, kind in _facts(nlp, text)}
    assert facts == {24.3: ("observed", 2022), 16.0: ("target", 2025), 35.3: ("observed", 2022)}
    # a target phrase with no present level keeps its figure a target
    facts = _facts(nlp, "Pemkab Lembata menargetkan angka stunting yang sudah turun itu "
                        "mencapai 16 persen pada 2025.")
    assert [(value, kind) for _, value, _, _, _, kind in facts] == [(16.0, "target")]


def test_masing_masing_distributes_one_value_over_the_areas(nlp):
    doc = nlp("Kematian ibu di Jawa Tengah pada 2022 tercatat di Kota Magelang dan Kota Solo, "
              "masing-masing satu kasus.")
    (listed,) = distributions(doc).values()
    assert listed["mode"] == "distributed"
    assert [m.text for m in listed["members"]] == ["Kota Magelang", "Kota Solo"]
    facts = [(f.value, f.location, f.year) for f in doc._.facts]
    assert facts == [(1.0, "Kota Magelang", 2022), (1.0, "Kota Surakarta", 2022)]


def test_a_figure_two_areas_share_is_each_areas(pipeline):
    text = "Kabupaten Pidie dan Bireuen sama-sama mencatat 14 kasus kematian ibu pada 2023."
    assert {(value, area) for _, value, _, area, _, _ in _facts(pipeline, text)} == {
        (14.0, "Kabupaten Pidie"), (14.0, "Kabupaten Bireuen")}


def test_a_bulletin_list_with_abbreviations_distributes_its_figures(pipeline):
    text = ("Kematian ibu Januari s.d. Juni 2024 per kab di Provinsi Sulawesi Barat: Polewali "
            "Mandar 6 kss, Majene dan Mamasa masing2 4 kss.")
    assert {(value, area) for _, value, _, area, _, _ in _facts(pipeline, text)} == {
        (6.0, "Kabupaten Polewali Mandar"), (4.0, "Kabupaten Majene"),
        (4.0, "Kabupaten Mamasa")}


def test_masing_masing_pairs_values_with_areas_in_order(nlp):
    doc = nlp("Cakupan imunisasi dasar lengkap 2024 di Bali, Lampung dan Bengkulu "
              "masing-masing 82,1%, 74,4% dan 72,2%.")
    pairs = {doc[k].text: [m.text for m in v["members"]] for k, v in distributions(doc).items()}
    assert pairs == {"82,1": ["Bali"], "74,4": ["Lampung"], "72,2": ["Bengkulu"]}


def test_masing_masing_over_years(nlp):
    doc = nlp("Kematian bayi di Kabupaten Alor pada 2021 dan 2022 masing-masing 5 kasus.")
    (listed,) = distributions(doc).values()
    assert [m.text for m in listed["members"]] == ["2021", "2022"]


def test_values_between_the_list_and_masing_masing_are_no_distribution(nlp):
    doc = nlp("Kota A 3 kasus dan Kota Kupang 4 kasus, masing-masing naik dari tahun lalu.")
    assert distributions(doc) == {}


def test_bracketed_value_belongs_to_the_name_before_it(nlp):
    doc = nlp("Kasus kematian ibu terbanyak di Samarinda (6), Kutai Timur (5) dan Balikpapan (4).")
    owners = {e.text: bracket_owner(doc, e).text for e in doc.ents
              if e.label_ == "COUNT" and bracket_owner(doc, e) is not None}
    assert owners == {"6": "Samarinda", "5": "Kutai Timur", "4": "Balikpapan"}


def test_the_next_items_of_a_list_of_named_figures_are_values(nlp):
    """After "Puskesmas Oebobo 4 kasus", the bare figures of the list's next names (no
    gazetteer holds them) are values too; a bare number after a name is not, when the figure
    before it follows no name."""
    doc = nlp("Pada tahun 2022 kematian bayi di Kota Kupang 9 kasus, yakni Puskesmas Oebobo 4 "
              "kasus, Sikumana 2, Bakunase 2, dan Oepoi-Baru 1.")
    assert [e.text for e in doc.ents if e.label_ == "COUNT"] == ["9 kasus", "4 kasus", "2", "2",
                                                                 "1"]
    assert sorted(f.value for f in doc._.facts) == [1.0, 2.0, 2.0, 4.0, 9.0]
    other = nlp("Pada 2021 kematian ibu 5 kasus, kata Ketua Tim PKK dan Pokja 2.")
    assert [e.text for e in other.ents if e.label_ == "COUNT"] == ["5 kasus"]


def test_the_figures_of_a_list_of_months_are_values_of_their_period(pipeline):
    text = ("Kematian bayi di Kabupaten Halmahera Utara Januari-Juni 2024: Januari 3, Februari 5, "
            "Maret 2. Total s.d. Juni 2024 sebanyak 18 kasus.")
    assert [(value, year) for _, value, _, _, year, _ in _facts(pipeline, text)] == [
        (3.0, 2024), (5.0, 2024), (2.0, 2024), (18.0, 2024)]
    # one month with a number is a date, not a list
    text = "Pada Januari 2024 kematian bayi di Kabupaten Halmahera Utara 5 kasus."
    assert [value for _, value, *_ in _facts(pipeline, text)] == [5.0]


def test_series_values_take_their_years(nlp):
    doc = nlp("Kematian bayi di Kabupaten Lebak menurun: 2016/112, 2017/98, dan 2018/87 kasus.")
    years = {e.text: series_year(doc, e).text for e in doc.ents if e.label_ == "COUNT"}
    assert years == {"112": "2016", "98": "2017", "87 kasus": "2018"}
    assert [(f.value, f.year) for f in doc._.facts] == [(112.0, 2016), (98.0, 2017), (87.0, 2018)]
    # a date written with slashes stays a date
    assert [e.label_ for e in nlp("Rapat pada 27/9 dan 1/12/2022.").ents] == ["DATE", "DATE"]


def test_bare_figures_of_a_list_share_the_unit_written_after_the_last(nlp):
    doc = nlp("Kematian bayi di Kabupaten Sleman, Bantul dan Kulon Progo pada 2023 "
              "masing-masing 45, 38, dan 21 kasus. Prevalensi stunting di Klaten dan Boyolali "
              "masing-masing 18,2 dan 21,5 persen.")
    assert [(e.text, e.label_) for e in doc.ents if e.label_ in ("COUNT", "RATE")] == [
        ("45", "COUNT"), ("38", "COUNT"), ("21 kasus", "COUNT"),
        ("18,2", "RATE"), ("21,5 persen", "RATE")]
    units = {(f.value, f.unit) for f in doc._.facts}
    assert units == {(45.0, "count"), (38.0, "count"), (21.0, "count"),
                     (18.2, "percent"), (21.5, "percent")}


def test_years_listed_before_a_count_are_not_figures(nlp):
    doc = nlp("Pada tahun 2020, 2021 dan 2022 tercatat 5 kasus kematian ibu di Kota Blitar.")
    assert [e.text for e in doc.ents if e.label_ == "COUNT"] == ["5 kasus"]


@pytest.mark.parametrize("respectively", ["berturut-turut", "masing-masing",
                                          "secara berurutan"])
def test_values_pair_in_order_with_the_years_before_them(nlp, respectively):
    doc = nlp(f"Angka kematian ibu di Kabupaten Tegal pada tahun 2020, 2021 dan 2022 "
              f"{respectively} 25, 31 dan 19 kasus.")
    assert [(f.value, f.year) for f in doc._.facts] == [(25.0, 2020), (31.0, 2021), (19.0, 2022)]


def test_the_trained_linker_follows_the_order_of_a_respective_list():
    import mchnlp

    facts = mchnlp.extract("Prevalensi stunting Kabupaten Klaten dan Kabupaten Boyolali tahun "
                           "2022 masing-masing 18,2 persen dan 21,5 persen. Kematian ibu di "
                           "Kabupaten Tegal pada tahun 2020, 2021 dan 2022 berturut-turut 25, "
                           "31 dan 19 kasus.")
    assert [(f.value, f.location, f.year) for f in facts] == [
        (18.2, "Kabupaten Klaten", 2022), (21.5, "Kabupaten Boyolali", 2022),
        (25.0, "Kabupaten Tegal", 2020), (31.0, "Kabupaten Tegal", 2021),
        (19.0, "Kabupaten Tegal", 2022)]


def test_a_year_in_the_first_cell_is_the_period_of_every_cell_of_its_row(nlp):
    text = ("Tahun | Kematian Ibu | Kematian Bayi\n2021 | 14 | 102\n2022 | 11 | 87\n"
            "Sumber: Dinkes Kabupaten Wonogiri")
    facts = {(f.indicator, f.value, f.year) for f in nlp(text)._.facts}
    assert facts == {("maternal_mortality", 14.0, 2021), ("infant_mortality", 102.0, 2021),
                     ("maternal_mortality", 11.0, 2022), ("infant_mortality", 87.0, 2022)}


def test_values_in_order_take_the_years_of_a_span_of_as_many_years(nlp):
    doc = nlp("Berdasarkan data tahun 2019 hingga 2023, jumlah kematian bayi di Kabupaten Sampang "
              "secara berturut-turut yaitu 120, 98, 110, 87 dan 75 kasus. Selama 2020-2022, "
              "kematian ibu di Kota Bima mencapai 21 kasus.")
    assert [(f.value, f.year) for f in doc._.facts] == [
        (120.0, 2019), (98.0, 2020), (110.0, 2021), (87.0, 2022), (75.0, 2023), (21.0, None)]


def test_a_span_of_other_length_pairs_no_year(nlp):
    doc = nlp("Selama 2019-2023 kematian bayi di Kabupaten Sampang berturut-turut 120, 98 dan "
              "75 kasus.")
    assert distributions(doc) == {}


def test_a_figure_of_an_area_named_with_its_parent_is_the_areas(pipeline):
    text = ("Prevalensi stunting di Kecamatan Sukamaju, Kabupaten Luwu Utara, mencapai 9,3 "
            "persen pada 2023. Kematian bayi di Gianyar, Bali, pada 2023 sebanyak 40 kasus. "
            "Di Jawa Barat, Kabupaten Bogor mencatat 120 kasus kematian ibu pada 2022.")
    assert [(f.value, f.location) for f in mchnlp.extract(text, nlp=pipeline)] == [
        (9.3, "Kecamatan Sukamaju"), (40.0, "Kabupaten Gianyar"), (120.0, "Kabupaten Bogor")]


TAB_TABLE = (
    "Dinas Kesehatan Kabupaten Kupang merilis data gizi balita Agustus 2023. Angka kabupaten "
    "turun dari 24,9 persen. Rinciannya sebagai berikut:\n"
    "Kecamatan\tBalita Stunting\tPersentase (%)\n"
    "Semau\t214\t22,5\n"
    "Kupang Barat\t1.306\t19,8\n"
    "Amarasi\t388\t17,1\n"
)


def test_a_table_with_tab_separated_cells_is_a_grid_table(nlp):
    doc = nlp.make_doc(TAB_TABLE)
    (table,) = grid_tables(doc)
    text = lambda r: doc[r[0]:r[1]].text  # noqa: E731
    assert [text(c) for c in table["header"][0]] == ["Kecamatan", "Balita Stunting",
                                                      "Persentase (%)"]
    assert [text(c) for c in table["body"][1]] == ["Kupang Barat", "1.306", "19,8"]


def test_rule_lines_between_rows_leave_the_table_whole(pipeline):
    text = ("Prevalensi stunting menurut SSGI 2022 dan SKI 2023\n\n"
            "Tabel. Prevalensi Stunting Balita (%)\n"
            "+----------------+-----------+----------+\n"
            "| Kabupaten      | SSGI 2022 | SKI 2023 |\n"
            "|----------------|-----------|----------|\n"
            "| Kab. Kaur      | 25,6      | 21,8     |\n"
            "| Kab. Seluma    | 21,3      | 18,9     |\n"
            "+----------------+-----------+----------+\n")
    doc = pipeline.make_doc(text)
    (table,) = grid_tables(doc)
    assert doc[slice(*table["title"])].text.startswith("Tabel. Prevalensi")
    assert [doc[a:b].text for a, b in table["header"][0]] == ["Kabupaten", "SSGI 2022",
                                                              "SKI 2023"]
    facts = {(value, area, year) for _, value, _, area, year, _ in _facts(pipeline, text)}
    assert {(21.8, "Kabupaten Kaur", 2023), (18.9, "Kabupaten Seluma", 2023),
            (21.3, "Kabupaten Seluma", 2022)} <= facts


def test_a_unit_column_gives_each_row_its_unit(pipeline):
    text = ("Tabel Capaian Kinerja Dinas Kesehatan Kabupaten Sikka Tahun 2023\n"
            "| Indikator | Satuan | Target | Realisasi |\n"
            "| ASI eksklusif | % | 60 | 63,5 |\n"
            "| Jumlah kematian ibu | kasus | 10 | 13 |\n")
    facts = {(indicator, value, unit, kind)
             for indicator, value, unit, _, _, kind in _facts(pipeline, text)}
    assert {("exclusive_breastfeeding", 60.0, "percent", "target"),
            ("exclusive_breastfeeding", 63.5, "percent", "observed"),
            ("maternal_mortality", 13.0, "count", "observed")} <= facts


def test_a_coverage_column_under_a_caption_naming_the_indicator_holds_its_values(pipeline):
    text = ("Tabel 3.1 Cakupan ASI Eksklusif menurut Puskesmas di Kabupaten Maluku Tenggara "
            "Tahun 2023\n| Puskesmas | Kecamatan | Cakupan (%) |\n| Langgur | Kei Kecil | 71,2 |\n"
            "| Jumlah Kabupaten | | 65,4 |\n")
    assert {(value, area) for _, value, _, area, _, _ in _facts(pipeline, text)} == {
        (71.2, "Kecamatan Kei Kecil"), (65.4, "Kabupaten Maluku Tenggara")}


def test_an_upper_header_spans_year_columns_beside_an_item_number_column(pipeline):
    text = ("Tabel 2 Jumlah Kematian Ibu dan Bayi menurut Kabupaten, 2022 dan 2023\n\n"
            "NO   KABUPATEN          KEMATIAN IBU      KEMATIAN BAYI\n"
            "                        2022    2023      2022    2023\n"
            "1    SUMBA BARAT          6       4         51      47\n"
            "2    SUMBA TIMUR          9       8         73      70\n"
            "     TOTAL               15      12        124     117\n")
    facts = {(indicator, value, year) for indicator, value, _, _, year, _ in
             _facts(pipeline, text)}
    assert {("maternal_mortality", 6.0, 2022), ("maternal_mortality", 4.0, 2023),
            ("infant_mortality", 51.0, 2022), ("infant_mortality", 47.0, 2023),
            ("maternal_mortality", 12.0, 2023), ("infant_mortality", 124.0, 2022)} <= facts


def test_a_column_header_completed_by_the_title_names_its_indicator(pipeline):
    text = ("Tabel 4.2 Jumlah Kematian Neonatal dan Bayi menurut Kecamatan, Kabupaten Aceh Besar "
            "Tahun 2023\nKecamatan\tNeonatal\tBayi\nDarul Imarah\t6\t8\nLhoong\t1\t2\n")
    facts = {(indicator, value, area) for indicator, value, _, area, _, _ in
             _facts(pipeline, text)}
    assert facts == {("neonatal_mortality", 6.0, "Kecamatan Darul Imarah"),
                     ("infant_mortality", 8.0, "Kecamatan Darul Imarah"),
                     ("neonatal_mortality", 1.0, "Kecamatan Lhoong"),
                     ("infant_mortality", 2.0, "Kecamatan Lhoong")}


def test_a_table_of_causes_gives_no_facts(pipeline):
    text = ("Tabel 4.3 Penyebab Kematian Neonatal, Kabupaten Aceh Besar Tahun 2023\n"
            "Penyebab\tJumlah\nBBLR dan prematuritas\t21\nAsfiksia\t17\n")
    assert _facts(pipeline, text) == []


def test_a_count_column_beside_a_percent_column_counts(nlp):
    facts = {(value, unit) for _, value, unit, *_ in _facts(nlp, TAB_TABLE)}
    assert (1306.0, "count") in facts and (214.0, "count") in facts
    assert (19.8, "percent") in facts


def test_a_share_column_takes_the_indicator_its_neighbour_column_names(nlp):
    facts = {value: indicator for indicator, value, *_ in _facts(nlp, TAB_TABLE)}
    assert facts[22.5] == facts[17.1] == "stunting"


def test_a_column_headed_by_jumlah_counts_under_a_title_naming_a_share(nlp):
    text = ("Prevalensi stunting per kabupaten, Provinsi Maluku 2023:\n"
            "Kabupaten | Jumlah Kasus\nBuru | 1.204\nSeram Bagian Barat | 2.310\n")
    facts = {value: unit for _, value, unit, *_ in _facts(nlp, text)}
    assert facts == {1204.0: "count", 2310.0: "count"}


def test_a_table_titled_by_a_count_word_counts_whatever_unit_the_headline_names(nlp):
    text = ("AKB Kabupaten Tapin 2023 Capai 11,2 per 1.000 KH\n\n"
            "Dalam jumlah kasus, kematian bayi di Tapin tercatat sebagai berikut:\n"
            "Tahun\tKematian Bayi\tKematian Neonatal\n2021\t40\t22\n2022\t38\t25\n")
    facts = {(value, year): unit for _, value, unit, _, year, _ in _facts(nlp, text)}
    assert facts[(11.2, 2023)] == "per_1000_live_births"
    assert facts[(40.0, 2021)] == facts[(25.0, 2022)] == "count"


def test_a_series_shares_the_unit_written_after_its_last_value(nlp):
    text = ("Angka kematian ibu Kabupaten Tapin 2022 sebesar 120 per 100.000 kelahiran hidup. "
            "Dalam empat tahun terakhir, kematian ibu di Tapin tercatat 2019/12, 2020/9, "
            "2021/15 dan 2022/8 kasus.")
    facts = {(value, year): unit for _, value, unit, _, year, _ in _facts(nlp, text)}
    assert facts == {(120.0, 2022): "per_100000_live_births", (12.0, 2019): "count",
                     (9.0, 2020): "count", (15.0, 2021): "count", (8.0, 2022): "count"}


KECAMATAN_TABLE = (
    "Dinas Kesehatan Kabupaten Kupang mencatat prevalensi stunting Agustus 2024 sebesar 18,0 "
    "persen, turun dibanding Agustus 2023 yang mencapai 20,5 persen. Rinciannya:\n"
    "Kecamatan | Balita Stunting | Persentase (%)\n"
    "Semau | 214 | 22,5\n"
    "Kupang Barat | 1.306 | 19,8\n"
    "Amarasi | 388 | 17,1\n"
)


@pytest.fixture(scope="module")
def shipped_nlp():
    return mchnlp.load()


def test_a_period_compared_above_a_table_is_not_the_tables(nlp, shipped_nlp):
    for pipeline in (nlp, shipped_nlp):
        facts = {value: year for _, value, _, _, year, _ in _facts(pipeline, KECAMATAN_TABLE)}
        assert facts[20.5] == 2023
        assert facts[1306.0] == facts[19.8] == facts[17.1] == 2024


def test_every_cell_of_a_row_takes_the_rows_area(nlp, shipped_nlp):
    for facts in _areas_by_value(KECAMATAN_TABLE, nlp, shipped_nlp):
        assert facts[214.0] == facts[22.5] == "Kecamatan Semau"
        assert facts[17.1] == "Kecamatan Amarasi"
        assert facts[18.0] == "Kabupaten Kupang"


BREAKDOWN_THEN_TOTAL = (
    "Kematian Ibu di Provinsi Maluku Capai 96 Kasus\n\n"
    "Dinas Kesehatan Provinsi Maluku mencatat 96 kematian ibu sepanjang 2023. Kabupaten Buru "
    "menyumbang kasus terbanyak dengan 14 kasus, disusul Kabupaten Seram Bagian Barat 12 kasus "
    "dan Kota Ambon 9 kasus. Adapun kematian bayi pada tahun yang sama tercatat 640 kasus. "
    "Angka itu masih jauh dari target RPJMN 2024.")


def test_figures_after_a_breakdown_over_areas_are_not_its_last_areas(nlp, shipped_nlp):
    for facts in _areas_by_value(BREAKDOWN_THEN_TOTAL, nlp, shipped_nlp):
        assert facts[9.0] == "Kota Ambon"
        assert facts[640.0] == "Provinsi Maluku"


def test_a_sentence_pointing_back_to_a_kota_takes_the_kota_not_the_last_area(nlp, shipped_nlp):
    text = ("Kematian Bayi di Kota Ternate Turun\n\n"
            "Dinas Kesehatan Kota Ternate mencatat 31 kematian bayi sepanjang 2023. Di tingkat "
            "provinsi, Dinas Kesehatan Provinsi Maluku Utara mencatat 402 kematian bayi pada "
            "periode yang sama. Balita stunting di kota ini pada 2023 berjumlah 388 anak.")
    for facts in _areas_by_value(text, nlp, shipped_nlp):
        assert facts[402.0] == "Provinsi Maluku Utara"
        assert facts[388.0] == "Kota Ternate"


def test_a_level_noun_with_modifiers_before_its_demonstrative_points_back(nlp, shipped_nlp):
    # the kecamatan are named bare, as the gazetteer knows them in Kabupaten Sikka
    text = ("Dinas Kesehatan Kabupaten Sikka memaparkan data gizi tiga kecamatan. Talibura "
            "menjadi perhatian utama. Di kecamatan paling timur itu, balita gizi buruk pada "
            "2023 tercatat 14 anak. Magepanda bercerita lain. Kecamatan yang berada di pesisir "
            "utara itu mencatat gizi buruk 3 anak pada 2023.")
    for facts in _areas_by_value(text, nlp, shipped_nlp):
        assert facts[14.0] == "Kecamatan Talibura"
        assert facts[3.0] == "Kecamatan Magepanda"


def test_deaths_whose_own_phrase_names_the_neonatal_period_are_neonatal(nlp):
    text = ("Dinas Kesehatan Kabupaten Sikka mencatat 96 kematian bayi pada 2023. Dari total "
            "kematian bayi itu, sebanyak 61 bayi meninggal pada masa neonatal, dan 12 bayi "
            "meninggal setelah dirujuk.")
    facts = {value: indicator for indicator, value, *_ in _facts(nlp, text)}
    assert facts[96.0] == "infant_mortality"
    assert facts[61.0] == "neonatal_mortality"
    assert facts[12.0] == "infant_mortality"
    text = ("Kematian bayi di Kabupaten Sikka pada 2023 tercatat 96 kasus. Sebagian besar, yakni "
            "58 kasus, terjadi pada masa neonatal.")
    facts = {value: indicator for indicator, value, *_ in _facts(nlp, text)}
    assert facts == {96.0: "infant_mortality", 58.0: "neonatal_mortality"}


def test_the_group_measured_is_no_fact_but_its_share_is(nlp):
    text = ("Pada Februari 2024, balita stunting di Kabupaten Sikka sebanyak 2.318 anak dari "
            "16.322 balita yang diukur. Di Puskesmas Nita, 115 anak ditimbang dan 40 di "
            "antaranya stunting. Pengukuran dilakukan terhadap 9.450 balita.")
    values = {value for _, value, *_ in _facts(nlp, text)}
    assert 2318.0 in values and 40.0 in values
    assert not values & {16322.0, 115.0, 9450.0}


def test_a_fraction_of_the_deaths_is_no_figure(nlp, shipped_nlp):
    for pipeline in (nlp, shipped_nlp):
        assert _facts(pipeline, "Hampir separuh kematian ibu di Kabupaten Sikka pada 2021 "
                                "terkait Covid-19.") == []
    facts = _facts(shipped_nlp, "Pada 2023 hampir separuh balita di Kabupaten Sikka stunting.")
    assert [(indicator, value, unit) for indicator, value, unit, *_ in facts] == [
        ("stunting", 50.0, "percent")]


def test_a_sentence_pointing_back_that_names_the_country_leaves_the_country_its_figure(
        nlp, shipped_nlp):
    text = ("Stunting di Kota Ternate Turun\n\nDinas Kesehatan Kota Ternate mencatat 31 kematian "
            "bayi sepanjang 2023. Prevalensi stunting di kota ini pada 2023 sebesar 18,1 persen, "
            "lebih rendah dari Indonesia yang sebesar 21,5 persen.")
    for facts in _areas_by_value(text, nlp, shipped_nlp):
        assert facts[21.5] == "Indonesia"


def test_a_share_column_takes_the_indicator_of_the_nearest_column_that_names_one(nlp):
    text = ("Gizi balita Kabupaten Banggai 2023.\n"
            "Kecamatan | Stunting (jumlah) | % | Wasting (jumlah) | %\n"
            "Luwuk | 120 | 10,2 | 60 | 5,1\nToili | 98 | 9,4 | 44 | 4,2\n")
    facts = {value: (indicator, unit) for indicator, value, unit, *_ in _facts(nlp, text)}
    assert facts[10.2] == ("stunting", "percent")
    assert facts[5.1] == facts[4.2] == ("wasting", "percent")
    assert facts[60.0] == ("wasting", "count")


def test_a_column_beside_a_percent_column_is_no_count_for_that_alone(nlp):
    text = ("Prevalensi stunting Kabupaten Banggai 2023.\n"
            "Kecamatan | Stunting | Target (%)\nLuwuk | 22 | 14\nToili | 17 | 14\n")
    units = {value: unit for _, value, unit, *_ in _facts(nlp, text)}
    assert units[22.0] == units[17.0] == "percent"


def test_days_that_are_no_age_period_do_not_make_deaths_neonatal(nlp):
    facts = _facts(nlp, "Di Kabupaten Sikka pada 2023, 20 bayi meninggal dalam 28 hari terakhir.")
    assert [(indicator, value) for indicator, value, *_ in facts] == [("infant_mortality", 20.0)]


def test_a_bare_level_noun_is_the_area_of_that_level_named_beside_it(nlp, shipped_nlp):
    text = ("Kabupaten Madiun dan Kota Madiun sama-sama menekan kematian bayi. Pada 2023 kematian "
            "bayi di Kabupaten Madiun tercatat 37 kasus, sedangkan di kota hanya 9 kasus. "
            "Cakupan ASI eksklusif di kabupaten mencapai 71,5 persen, di kota 66,2 persen.")
    expected = {37.0: "Kabupaten Madiun", 9.0: "Kota Madiun", 71.5: "Kabupaten Madiun",
                66.2: "Kota Madiun"}
    for areas in _areas_by_value(text, nlp, shipped_nlp):
        assert {value: areas.get(value) for value in expected} == expected


def test_a_government_named_by_its_level_alone_is_the_local_areas(pipeline):
    text = ("Dinas Kesehatan Provinsi Gorontalo mencatat prevalensi stunting 23,8 persen pada "
            "2024.\n\nSecara nasional, prevalensi stunting 2024 sebesar 19,8 persen.\n\n"
            "Untuk itu, pemerintah provinsi menargetkan prevalensi stunting turun menjadi 20 "
            "persen pada 2025. Sementara itu target nasional dalam RPJMN 14,2 persen pada 2029.")
    areas = {value: area for _, value, _, area, _, _ in _facts(pipeline, text)}
    assert areas[20.0] == "Provinsi Gorontalo"
    assert areas[19.8] == areas[14.2] == "Indonesia"


def test_a_bare_level_noun_may_be_the_subject_of_its_clause(nlp, shipped_nlp):
    text = ("Kabupaten Madiun dan Kota Madiun sama-sama menekan kematian bayi. Pada 2023 Kota "
            "Madiun mencatat 9 kematian bayi, sementara kabupaten mencatat 37 kasus.")
    for areas in _areas_by_value(text, nlp, shipped_nlp):
        assert areas[37.0] == "Kabupaten Madiun"


def test_a_bare_province_noun_before_a_figure_is_the_one_province_named(nlp, shipped_nlp):
    text = ("Prevalensi stunting Kabupaten Sumba Barat Daya pada 2023 tercatat 31,2 persen, "
            "tertinggi di NTT. Angka itu jauh di atas rata-rata provinsi 24,1 persen dan nasional "
            "21,5 persen.")
    for areas in _areas_by_value(text, nlp, shipped_nlp):
        assert areas == {31.2: "Kabupaten Sumba Barat Daya", 24.1: "Provinsi Nusa Tenggara Timur",
                         21.5: "Indonesia"}
    # with two provinces named, "provinsi" names neither
    text = ("Stunting di Kabupaten Sumba Barat Daya 31,2 persen pada 2023, di atas NTT dan Bali. "
            "Rata-rata provinsi 24,1 persen.")
    [areas] = _areas_by_value(text, nlp)
    assert areas[24.1] not in ("Provinsi Nusa Tenggara Timur", "Provinsi Bali")


def test_a_level_noun_that_names_no_area_of_the_text_points_nowhere(nlp):
    # "di kota lain" is any other city; with no kabupaten and kota of one name a bare "di
    # kota" points nowhere either
    text = ("Pada 2023 kematian bayi di Kabupaten Madiun tercatat 37 kasus, sedangkan di kota "
            "lain 9 kasus. Kota Kediri mencatat 11 kasus, di kabupaten 14 kasus.")
    [facts] = _areas_by_value(text, nlp)
    assert facts[9.0] == "Kabupaten Madiun"
    assert facts[14.0] == "Kota Kediri"


def test_a_table_whose_columns_are_surveys_gives_the_survey_years(nlp, shipped_nlp):
    text = ("Gizi balita Kabupaten Buol menurut tiga survei nasional.\n\n"
            "Dinas Kesehatan Kabupaten Buol membandingkan hasil Riskesdas dan SSGI.\n"
            "Indikator | Riskesdas 2018 | SSGI 2021 | SSGI 2022\n"
            "Stunting (%) | 38,2 | 31,5 | 27,9\nWasting (%) | 11,4 | 9,2 | 8,8\n")
    expected = {(38.2, 2018), (31.5, 2021), (27.9, 2022), (11.4, 2018), (9.2, 2021),
                (8.8, 2022)}
    for pipeline in (nlp, shipped_nlp):
        facts = _facts(pipeline, text)
        assert {(value, year) for _, value, _, _, year, _ in facts} == expected
        assert {area for _, _, _, area, _, _ in facts} == {"Kabupaten Buol"}


def test_a_cell_takes_its_rows_area_else_its_tables_title_area(shipped_nlp):
    from mchnlp.components.linker import _cell_areas

    doc = shipped_nlp("Stunting menurut survei nasional.\n\n"
                      "Prevalensi stunting Kabupaten Buol menurut SSGI:\n"
                      "Indikator | SSGI 2021 | SSGI 2022\nStunting (%) | 31,5 | 27,9\n\n"
                      "Prevalensi stunting menurut kecamatan, 2022:\n"
                      "Kecamatan | Stunting (%)\nKecamatan Momunu | 24,1\n")
    areas = {doc[start].text: area.text for start, area in _cell_areas(doc).items()}
    assert areas == {"31,5": "Kabupaten Buol", "27,9": "Kabupaten Buol",
                     "24,1": "Kecamatan Momunu"}


def test_a_row_counting_births_or_facilities_gives_no_fact(nlp):
    text = ("Tabel 2 Kematian Ibu dan Bayi Kabupaten Buol, 2021-2022\n"
            "Uraian | 2021 | 2022\nJumlah Kematian Ibu | 6 | 4\n"
            "Jumlah Lahir Hidup | 3.120 | 3.044\nJumlah Puskesmas | 11 | 12\n")
    assert {value for _, value, *_ in _facts(nlp, text)} == {6.0, 4.0}


def test_columns_headed_by_areas_give_each_cell_its_columns_area(nlp, shipped_nlp):
    text = ("Laporan semester I 2024 dua dinas kesehatan.\n\n"
            "Indikator (Semester I 2024) | Kabupaten Bima | Kota Bima\n"
            "Kematian bayi (kasus) | 31 | 9\nCakupan K4 (%) | 61,2 | 70,4\n")
    expected = {31.0: "Kabupaten Bima", 9.0: "Kota Bima", 61.2: "Kabupaten Bima",
                70.4: "Kota Bima"}
    for areas in _areas_by_value(text, nlp, shipped_nlp):
        assert areas == expected


def test_a_target_column_named_after_its_plan_gives_targets(nlp):
    text = ("Stunting Kabupaten Sigi 2022-2023\n"
            "Tahun | Prevalensi stunting (%) | Target RPJMD (%)\n2022 | 27,1 | 24\n"
            "2023 | 25,3 | 21\n")
    facts = {(value, kind) for _, value, _, _, _, kind in _facts(nlp, text)}
    assert facts == {(27.1, "observed"), (25.3, "observed"), (24.0, "target"), (21.0, "target")}


def test_deaths_said_to_happen_in_the_neonatal_period_are_neonatal(nlp):
    text = ("Kematian bayi di Kabupaten Buru sepanjang 2023 tercatat 50 kasus. Dari seluruh "
            "kematian bayi itu, 31 kasus terjadi pada usia 0-28 hari.")
    facts = {value: indicator for indicator, value, *_ in _facts(nlp, text)}
    assert facts == {50.0: "infant_mortality", 31.0: "neonatal_mortality"}


SPACED_TABLE = (
    "Prevalensi Stunting Kabupaten/Kota di Provinsi Kalimantan Utara (persen)\n\n"
    "Kabupaten/Kota        2022     2023\n"
    "Bulungan              20,1     18,3\n"
    "Malinau               24,6     22,9\n"
    "Kota Tarakan          17,0     15,2\n")


def test_a_table_with_columns_parted_by_runs_of_spaces_is_a_grid_table(pipeline):
    """A table pasted from a PDF keeps its columns apart with runs of spaces."""
    doc = pipeline.make_doc(SPACED_TABLE)
    (table,) = grid_tables(doc)
    assert [doc[a:b].text for a, b in table["body"][2]] == ["Kota Tarakan", "17,0", "15,2"]
    facts = [(f.value, f.location, f.year) for f in mchnlp.extract(SPACED_TABLE, nlp=pipeline)]
    assert facts[:2] == [(20.1, "Kabupaten Bulungan", 2022), (18.3, "Kabupaten Bulungan", 2023)]
    assert facts[-1] == (15.2, "Kota Tarakan", 2023) and len(facts) == 6


def test_a_double_space_in_prose_parts_no_columns(nlp):
    doc = nlp.make_doc("Kepala  Dinas Kesehatan mencatat  12 kasus.\nSebanyak  5 kasus  "
                       "terjadi di desa.\n")
    assert grid_tables(doc) == []


def test_values_in_order_take_the_span_of_years_after_them(nlp):
    doc = nlp("Kasus kematian bayi di Kota Bitung berturut-turut 23, 19 dan 17 kasus pada 2021 "
              "hingga 2023.")
    assert [(f.value, f.year) for f in doc._.facts] == [(23.0, 2021), (19.0, 2022), (17.0, 2023)]


def test_values_after_their_years_and_a_colon_are_a_series(nlp):
    doc = nlp("Kematian ibu di Kabupaten Lahat: 2019: 14 kasus, 2020: 11, 2021: 9, 2022: 12.")
    assert [(f.value, f.year) for f in doc._.facts] == [(14.0, 2019), (11.0, 2020), (9.0, 2021),
                                                        (12.0, 2022)]


def test_a_bare_row_label_under_a_kabupaten_kota_header_is_the_kabupaten(pipeline):
    text = ("Prevalensi Stunting di Provinsi Gorontalo 2023 (persen)\n\n"
            "Kabupaten/Kota | Prevalensi\nBoalemo | 24,3\nGorontalo | 27,0\n"
            "Kota Gorontalo | 18,1\n")
    assert [(f.value, f.location) for f in mchnlp.extract(text, nlp=pipeline)] == [
        (24.3, "Kabupaten Boalemo"), (27.0, "Kabupaten Gorontalo"), (18.1, "Kota Gorontalo")]


def test_an_area_labelling_a_line_of_a_list_is_no_dateline(pipeline):
    text = "INFO KIA KAB. BANGGAI KEPULAUAN 2024\nKec. Tinangkung: AKB 4 kasus\n"
    assert [(f.value, f.location) for f in mchnlp.extract(text, nlp=pipeline)] == [
        (4.0, "Kecamatan Tinangkung")]


TWO_ROW_HEADER = ("Jumlah Kematian Ibu dan Bayi per Kecamatan, Kabupaten Poso\n\n"
                  "Kecamatan | Kematian Ibu | Kematian Bayi\n| 2022 | 2023 | 2022 | 2023\n"
                  "Poso Kota | 1 | 2 | 7 | 5\nLage | 0 | 1 | 4 | 6\n")


def test_an_upper_header_cell_spans_the_columns_of_the_header_row_below(pipeline):
    facts = [(f.indicator, f.value, f.location, f.year)
             for f in mchnlp.extract(TWO_ROW_HEADER, nlp=pipeline)]
    assert facts[:4] == [("maternal_mortality", 1.0, "Kecamatan Poso Kota", 2022),
                         ("maternal_mortality", 2.0, "Kecamatan Poso Kota", 2023),
                         ("infant_mortality", 7.0, "Kecamatan Poso Kota", 2022),
                         ("infant_mortality", 5.0, "Kecamatan Poso Kota", 2023)]
    assert len(facts) == 8


def test_an_indicator_written_with_a_digit_heads_its_column(nlp):
    text = ("Cakupan Kunjungan Ibu Hamil per Kecamatan, Kabupaten Banggai (%)\n\n"
            "Kecamatan\tK4\t\tK6\n\t2022\t2023\t2022\t2023\nLuwuk\t88,2\t90,1\t70,4\t75,3\n")
    assert [(f.indicator, f.value, f.year) for f in mchnlp.extract(text, nlp=nlp)] == [
        ("antenatal_care_k4", 88.2, 2022), ("antenatal_care_k4", 90.1, 2023),
        ("antenatal_care_k6", 70.4, 2022), ("antenatal_care_k6", 75.3, 2023)]


def test_values_pair_in_order_with_the_indicators_before_them(pipeline):
    text = ("Cakupan ASI eksklusif dan imunisasi dasar lengkap Kabupaten Kupang 2023 masing-masing "
            "61,2 persen dan 88,4 persen.")
    assert [(f.indicator, f.value) for f in mchnlp.extract(text, nlp=pipeline)] == [
        ("exclusive_breastfeeding", 61.2), ("complete_basic_immunization", 88.4)]
