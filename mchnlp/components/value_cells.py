"""What a grid table says about the numbers in its cells, for the value rules (`mch_values`):
whether a cell's figure is a value (its header, row label or title names an indicator), the unit
its header or title names, and a target column."""

from __future__ import annotations

from spacy.tokens import Doc

from ..knowledge.units import COUNT, unit_named
from ..structure.tables import CellContext

# table header words that say nothing about what a column holds (a measure or a count noun:
# "Kasus", "Prevalensi", "Jumlah (orang)"; the indicator is in the title line)
GENERIC_HEADER_WORDS = {"tahun", "thn", "no", "nomor", "jumlah", "nilai", "total", "capaian",
                        "realisasi", "target", "data", "angka", "persen", "satuan", "keterangan",
                        "kinerja", "indikatif", "semester", "triwulan", "bulan", "kasus",
                        "prevalensi", "persentase", "cakupan", "kejadian", "orang", "jiwa",
                        # the level a plan starts from ("Baseline 2023", "Kondisi Awal 2024")
                        "baseline", "kondisi", "awal",
                        # the plan a target column comes from ("Target RPJMD (%)")
                        "rpjmd", "rpjmn", "renstra", "rkpd", "sasaran"}
# a table column headed by one of these counts ("Jumlah Kasus", "Jml", "Kasus")
COUNT_HEADER_WORDS = {"jumlah", "jml", "jml.", "banyaknya", "kasus", "orang", "jiwa"}


class TableCellValues:
    """The table-cell readings of `ValueRules`, which sets `_cells`, `_words`, `_ent_at` and
    the phrase tables used here."""

    def _cell_holds_indicator(self, doc: Doc, context: CellContext) -> bool:
        """A number in a grid table is a value when what heads it names an indicator: its
        column header; when the header holds no word of its own (a year, "Jumlah", "Target",
        "L+P") the row's label; then the table's title line and the headline. "Kematian Ibu
        2019" heads a value, "Kondisi Baik" and "Hidup" do not."""
        alpha = self._is_alpha(doc)
        if any(self._words[k] in self.cause_heads for start, end in
               (*context.header, *context.other_headers) for k in range(start, end)):
            return False  # "Penyebab | Jumlah": a breakdown by cause (guidelines 7.2)
        for part, ranges in context.parts():
            # the words, and the indicators written with a digit ("K4", "K6")
            words = [k for start, end in ranges for k in range(start, end)
                     if alpha[k] or self._is_indicator(k)]
            if any(self._is_indicator(k) for k in words):
                return True
            if part == "labels" and any(
                    self._match_at(self._words, k, self.other_subjects)
                    or self._match_at(self._words, k, self.other_rows)
                    for start, end in ranges for k in range(start, end)):
                # a row "Jumlah Lahir Hidup" or "Jumlah Puskesmas" under a title naming an
                # indicator counts something else
                return False
            # a survey heading a column ("SSGI 2022") is its period, like a year, and an
            # area ("Kabupaten Bima | Kota Bima") where its figures are
            if part == "header" and any(len(doc[k].text) >= 3
                                        and self._words[k] not in GENERIC_HEADER_WORDS
                                        and not self._is_date_or_place(k) for k in words):
                return False
        return False

    def _is_indicator(self, k: int) -> bool:
        ent = self._ent_at.get(k)
        return ent is not None and ent.label_ == "INDICATOR"

    def _is_date_or_place(self, k: int) -> bool:
        ent = self._ent_at.get(k)
        return ent is not None and ent.label_ in ("DATE", "LOCATION")

    def _cell_attrs(self, doc: Doc, i: int) -> dict:
        """What a table cell's header, row label and title say about its value: the unit of a
        bare figure ("AKB/1000 KH") and a target column ("Target 2024")."""
        context = self._cells.get(i)
        if context is None:
            return {}
        attrs: dict = {}
        for part, ranges in context.parts():
            if part == "siblings":
                continue  # another column's unit is not this one's
            words = [t.text for start, end in ranges for t in doc[start:end]]
            unit = unit_named(words)
            if unit is None and part == "header" and ranges and self._counts_in_header(ranges):
                # "Jumlah Kasus", "Balita Stunting" beside "Prevalensi (%)": the column
                # counts, whatever the title's "prevalensi" says of the table
                unit = COUNT
            elif unit is None and part == "title" and any(
                    w.lower() in COUNT_HEADER_WORDS for w in words):
                # "Dalam jumlah kasus, ... sebagai berikut:": the headline's "per 1.000 KH"
                # is the unit of the headline's figure, not of the table
                unit = COUNT
            if unit is not None:
                attrs["unit_hint"] = unit
                break
        header = {w for start, end in context.header for w in self._words[start:end]}
        if header & self.target_cues:
            attrs["kind"] = "target"
        return attrs

    def _counts_in_header(self, ranges: list) -> bool:
        """A header cell says its column counts: a count word stands in it ("Jumlah Kasus",
        "Kasus") or it starts with a counted group ("Balita Stunting", "Bayi BBLR"; not
        "Kematian Ibu", whose column may hold a rate)."""
        words = self._words
        return any(words[k] in COUNT_HEADER_WORDS for start, end in ranges
                   for k in range(start, end)) or any(
            self._match_at(words, start, self.weak_nouns_phrases) for start, _ in ranges)
