"""The fact view's shortcuts give what the plain readings give: the dateline date found
without trying the weekday at every position, and a document's place mentions resolved
once per state of its context. (Speed is measured in benchmarks/; these tests check
behaviour on texts written for them.)"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from mchnlp.facts.areas import DocumentAreas, _resolve_area
from mchnlp.knowledge.dates import _MONTH_NAME, WEEKDAYS, detect_published

# the pattern the finder used before: an optional weekday tried at every position
_WITH_WEEKDAY = re.compile(
    rf"(?:(?:{'|'.join(WEEKDAYS)}),?\s*)?(\d{{1,2}})\s+({_MONTH_NAME})\s+((?:19|20)\d\d)",
    re.IGNORECASE,
)
_SLASH = re.compile(r"\((\d{1,2})/(\d{1,2})/((?:19|20)?\d\d)\)")

HEADS = [
    "Kamis, 31 Oktober 2024 - 19:50 WIB\nAKI turun.",
    "JAKARTA, Jum'at 1 Maret 2024 -- Angka kematian bayi ...",
    "SOE, KOMPAS.com (14/2/2024) - Sejak 1 Januari 2023 tercatat 12 kasus.",
    "Senin (5/6/23), Kamis, 8 Juni 2023",
    "Minggu,12 jan 2020 dan 3 FEBRUARI 2021",
    "Ahad 31 Februari 2024 bukan tanggal (30/2/2024) juga bukan",
    "tahun 2024, 123 Desember 2022 lalu 23 Desember 2022",
    "Selasa, 4 Mei 2021",
    "Tidak ada tanggal di sini. Rabu saja.",
    "",
]


def _published_before(text: str) -> dt.date | None:
    """What `detect_published` gave with the weekday in its pattern."""
    head = text[:1500]
    match, slash = _WITH_WEEKDAY.search(head), _SLASH.search(head)
    if match and not (slash and slash.start() < match.start()):
        day, month, year = int(match[1]), match[2].lower(), int(match[3])
        from mchnlp.knowledge.dates import MONTHS

        try:
            return dt.date(year, MONTHS[month], day)
        except ValueError:
            return None
    if slash:
        day, month, year = (int(g) for g in slash.groups())
        try:
            return dt.date(year + (2000 if year < 100 else 0), month, day)
        except ValueError:
            return None
    return None


@pytest.mark.parametrize("text", HEADS)
def test_dateline_date_is_the_one_found_with_the_weekday(text):
    assert detect_published(text) == _published_before(text)


def test_dateline_dates_read():
    assert detect_published(HEADS[0]) == dt.date(2024, 10, 31)
    assert detect_published(HEADS[1]) == dt.date(2024, 3, 1)
    assert detect_published(HEADS[2]) == dt.date(2024, 2, 14)  # the slash date comes first
    assert detect_published(HEADS[3]) == dt.date(2023, 6, 5)  # a two-digit year
    assert detect_published(HEADS[6]) == dt.date(2022, 12, 23)
    assert detect_published("x" * 1495 + " 1 Mei 2024") is None  # beyond the head


MENTIONS = "Kupang. Kabupaten Kupang. Kupang. Kota Kupang. Kupang. Sikka. Kupang. Serang."


def test_document_areas_resolve_like_each_mention_alone(nlp):
    doc = nlp(MENTIONS + " Bupati Kupang. Indonesia. Kecamatan Oebobo. Oebobo.")
    mentions = [e for e in doc.ents if e.label_ == "LOCATION"]
    assert len(mentions) >= 10
    plain_context: list = []
    plain = [_resolve_area(m, plain_context) for m in mentions]
    cached_context: list = []
    areas = DocumentAreas(cached_context)
    cached = [areas.resolve(m) for m in mentions]
    assert cached == plain
    assert cached_context == plain_context  # the same areas, in the same order
    assert len(areas._answers) < len(mentions)  # repeated mentions were read once
    # the context changes the reading: "Kupang" alone, then after "Kota Kupang"
    assert len({r for r, m in zip(plain, mentions) if m.text == "Kupang"}) > 1


def test_date_readings_are_remembered_per_text_and_publication_date():
    from mchnlp.knowledge.dates import read_date

    first = read_date("Tahun  ini", dt.date(2024, 5, 1))
    assert read_date("tahun ini", "2024-05-01") is first  # the same normalised text and date
    assert first.year == 2024 and read_date("tahun ini", dt.date(2023, 5, 1)).year == 2023
    assert read_date("tahun ini").year is None and read_date("Maret", "2024-02").year == 2023
    with pytest.raises(ValueError, match="published"):
        read_date("2022", "kemarin")

