"""Reading DATE spans into a year and a period, relative to the publication date.

Only DATE spans are read here (never free text): a general date parser would take "13,8" for
a date. Handles years, "tahun ini"/"tahun lalu", months, month ranges, semesters, quarters,
multi-year ranges, "27/9"-style day/month dates and survey names with years ("SSGI 2022").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .numbers import parse_number

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "agus": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nopember": 11,
    "desember": 12, "des": 12,
}
WEEKDAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
SURVEYS = ("ssgi", "ski", "sdki", "riskesdas", "susenas", "sp", "lf sp", "supas", "sirs", "skdi")

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_DAY_MONTH = re.compile(r"^\(?(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\)?$")
_MONTH_NAME = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH_RE = re.compile(rf"\b({_MONTH_NAME})\b")
# the day-month-year of a dateline ("Kamis, 31 Oktober 2024"): the weekday before it is not
# searched for, since it holds no digit and no "(": the first date found, and whether a slash
# date comes before it, are the same with it or without it, and a weekday alternation tried
# at every position of the head costs most of the search
_DATELINE = re.compile(rf"(\d{{1,2}})\s+({_MONTH_NAME})\s+((?:19|20)\d\d)", re.IGNORECASE)
_THIS_YEAR = re.compile(r"\b(tahun|thn) (ini|berjalan)\b|\bsaat ini\b|^(kini|sekarang)$")
# the present ("saat ini", "kini"): the publication year of the figure it governs, not a
# period stated once for the figures that follow
_PRESENT = re.compile(r"^(saat ini|kini|sekarang)$")
_LAST_YEAR = re.compile(r"\b(tahun|thn) (lalu|kemarin|sebelumnya)\b|\bsetahun (lalu|silam|kemarin)\b")
_YEARS_AGO = re.compile(r"\b(dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|[2-9]|10) "
                        r"(?:tahun|thn) (?:lalu|silam|sebelumnya)\b")
_NEXT_YEAR = re.compile(r"\b(tahun|thn) (depan|mendatang)\b")
# a span counted back from the present ("tiga tahun terakhir", "setahun terakhir"): no one year
_SPAN_BACK = re.compile(r"\bterakhir$")
_SHORT_YEAR_RANGE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-/]\s*(\d\d)(?!\d)")
_SEMESTER = re.compile(r"semester (i{1,2}|[12])\b")
_QUARTER = re.compile(r"(?:triwulan|kuartal|tw) ?(iv|i{1,3}|[1-4])\b")
_UNTIL = re.compile(r"\b(hingga|sampai|s/d|per)\b")
_SLASH_DATE = re.compile(r"\((\d{1,2})/(\d{1,2})/((?:19|20)?\d\d)\)")


@dataclass(frozen=True)
class TimeReading:
    """A read DATE span: the `year` a figure refers to and the `period` it covers."""

    year: int | None
    period_start: str | None = None  # "YYYY-MM" or "YYYY"
    period_end: str | None = None
    relative: bool = False


def _coerce_date(published: dt.date | str | None) -> dt.date | None:
    if published is None or isinstance(published, dt.date):
        return published
    if isinstance(published, str):
        text = published.strip()
        for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(f"published must be YYYY-MM-DD, YYYY-MM or YYYY, got {published!r}")
    raise TypeError(f"published must be a date, a string or None, got {type(published).__name__}")


def coerce_published(published: dt.date | str | None) -> dt.date | None:
    """Validate a publication date given as date, "YYYY-MM-DD" / "YYYY-MM" / "YYYY" or None."""
    return _coerce_date(published)


# "the year before / after" counts from the year the text just named, not from publication
_ANAPHORIC_YEAR = (
    (re.compile(r"(tahun|thn) (sebelumnya|sebelum itu)|setahun sebelumnya"), -1),
    (re.compile(r"(tahun|thn) (berikutnya|sesudahnya|setelahnya)|setahun kemudian"), 1),
)


def is_present(text: str) -> bool:
    """True for a DATE that names the present ("saat ini", "kini", "sekarang")."""
    return bool(_PRESENT.match(" ".join(text.lower().split())))


def anaphoric_year_offset(text: str) -> int | None:
    """-1 for "tahun sebelumnya", +1 for "tahun berikutnya": a year relative to the year
    named before it in the text; None for any other expression."""
    lower = " ".join(text.lower().split())
    for pattern, offset in _ANAPHORIC_YEAR:
        if pattern.fullmatch(lower):  # not "dua tahun sebelumnya"
            return offset
    return None


def read_date(text: str, published: dt.date | str | None = None) -> TimeReading:
    """Read one DATE span text.

    Args:
        text: the span, e.g. "tahun 2021", "Tahun ini", "Januari-Juni 2023", "semester I 2023".
        published: publication date, for relative expressions.
    Returns:
        TimeReading; `year` is None for multi-year spans and unresolvable relative ones.
    """
    pub = _coerce_date(published)
    lower = " ".join(text.lower().replace("–", "-").replace("—", "-").split())
    return _read_lower(lower, pub)


# the fact view, the linker and the rule linker read the same DATE spans of a document: a
# reading depends on the normalised text and the publication date alone (and is frozen)
@lru_cache(maxsize=4096)
def _read_lower(lower: str, pub: dt.date | None) -> TimeReading:
    relative = None
    if _SPAN_BACK.search(lower):
        return TimeReading(None, relative=True)
    if _THIS_YEAR.search(lower):
        relative = 0
    elif years_ago := _YEARS_AGO.search(lower):
        # "dua tahun lalu": that many years before
        relative = -int(parse_number(years_ago.group(1)).value)
    elif _LAST_YEAR.search(lower):
        relative = -1
    elif _NEXT_YEAR.search(lower):
        relative = 1
    if relative is not None:
        if pub is None:
            return TimeReading(None, relative=True)
        year = pub.year + relative
        return TimeReading(year, str(year), str(year), relative=True)
    day_month = _DAY_MONTH.match(lower.replace(" ", ""))
    if day_month:
        year_part = day_month.group(3)
        if year_part:
            year = int(year_part) + (2000 if len(year_part) == 2 else 0)
        elif pub is not None:
            year = pub.year
        else:
            return TimeReading(None, relative=True)
        month = int(day_month.group(2))
        if not 1 <= month <= 12:
            return TimeReading(None)
        return TimeReading(year, f"{year}-{month:02d}", f"{year}-{month:02d}")
    years = [int(y) for y in _YEAR.findall(lower)]
    short_range = _SHORT_YEAR_RANGE.search(lower)
    if short_range and len(years) == 1:
        years.append(int(short_range.group(1)[:2] + short_range.group(2)))
    if len(years) >= 2 and years[-1] != years[0]:
        return TimeReading(None, str(min(years)), str(max(years)))
    if not years:
        month = _MONTH_RE.search(lower)
        if month and pub is not None:
            year = pub.year if MONTHS[month.group(1)] <= pub.month else pub.year - 1
            return TimeReading(year, f"{year}-{MONTHS[month.group(1)]:02d}", None, relative=True)
        return TimeReading(None)
    year = years[0]
    months = [MONTHS[m] for m in _MONTH_RE.findall(lower)]
    semester = _SEMESTER.search(lower)
    quarter = _QUARTER.search(lower)
    if semester:
        n = ROMAN.get(semester.group(1)) or int(semester.group(1))
        return TimeReading(year, f"{year}-{6 * n - 5:02d}", f"{year}-{6 * n:02d}")
    if quarter:
        n = ROMAN.get(quarter.group(1)) or int(quarter.group(1))
        return TimeReading(year, f"{year}-{3 * n - 2:02d}", f"{year}-{3 * n:02d}")
    if len(months) >= 2:
        return TimeReading(year, f"{year}-{months[0]:02d}", f"{year}-{months[-1]:02d}")
    if months:
        start = f"{year}-01" if _UNTIL.search(lower) else None
        return TimeReading(year, start or f"{year}-{months[0]:02d}", f"{year}-{months[0]:02d}")
    return TimeReading(year, str(year), str(year))


def detect_published(text: str, head_chars: int = 1500) -> dt.date | None:
    """Find a publication date in the article head: "Kamis, 31 Oktober 2024" or "(1/12/2022)".

    The first such date is taken: the dateline's ("SOE, KOMPAS.com (14/2/2024) - ..."), not a
    later one of the body ("... sejak 1 Januari 2023").
    """
    head = text[:head_chars]
    match = _DATELINE.search(head)
    slash = _SLASH_DATE.search(head)
    if match and not (slash and slash.start() < match.start()):
        day, month, year = int(match.group(1)), MONTHS[match.group(2).lower()], int(match.group(3))
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    match = slash
    if match:
        day, month, year = (int(g) for g in match.groups())
        year += 2000 if year < 100 else 0
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None
