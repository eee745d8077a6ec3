"""Write `new_indicator.jsonl`: 24 short documents that teach an indicator the package does not
ship (KEK, chronic energy deficiency of pregnant women), annotated with spans, relations and
facts, for the new-indicator round trip (`tests/test_new_indicator.py`, README).

    python tests/data/make_new_indicator_corpus.py

The texts are written for the test from templates (seeded): several wordings of the indicator,
counts and percentages, areas and years, and a stunting sentence as a distractor in every
document. They are not real articles.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from mchnlp.corpus.spec import build_record

CODE = "kek_pregnant_women"
OUT = Path(__file__).parent / "corpus" / "new_indicator.jsonl"

AREAS = [("Kabupaten Bima", "52.06"), ("Kabupaten Alor", "53.05"), ("Kota Mataram", "52.71"),
         ("Kabupaten Sikka", "53.07"), ("Kabupaten Lebak", "36.02"), ("Kabupaten Garut", "32.05"),
         ("Kabupaten Jember", "35.09"), ("Kota Palu", "72.71"), ("Kabupaten Asmat", "93.04"),
         ("Kabupaten Nias", "12.04"), ("Kabupaten Kapuas", "62.03"), ("Kota Ambon", "81.71")]

# (sentence template, span text of the indicator, value kind)
PERCENT = [
    ("Prevalensi ibu hamil KEK di {area} turun menjadi {v} persen pada tahun {year}.",
     "Prevalensi ibu hamil KEK"),
    ("Angka KEK pada ibu hamil di {area} tercatat {v} persen pada {year}.",
     "Angka KEK pada ibu hamil"),
    ("Proporsi ibu hamil dengan kurang energi kronis di {area} mencapai {v} persen sepanjang "
     "{year}.", "Proporsi ibu hamil dengan kurang energi kronis"),
]
COUNT = [
    ("Dinas Kesehatan {area} mencatat {n} kasus ibu hamil KEK sepanjang {year}.",
     "ibu hamil KEK"),
    ("Sebanyak {n} ibu hamil mengalami kekurangan energi kronis di {area} pada tahun {year}.",
     "kekurangan energi kronis"),
    ("Jumlah bumil KEK di {area} mencapai {n} orang pada {year}.", "bumil KEK"),
]
DISTRACTOR = "Sementara itu, prevalensi stunting di {area} sebesar {s} persen pada {year}."


def _number(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def document(n: int, rng: random.Random) -> dict:
    area, code = AREAS[n % len(AREAS)]
    year = 2019 + n % 5
    percent_template, percent_mention = PERCENT[n % len(PERCENT)]
    count_template, count_mention = COUNT[(n // 3) % len(COUNT)]
    v = round(rng.uniform(8, 30), 1)
    count = rng.randint(40, 900)
    s = round(rng.uniform(15, 40), 1)
    sentences = [
        percent_template.format(area=area, v=_number(v), year=year),
        count_template.format(area=area, n=count, year=year),
        DISTRACTOR.format(area=area, s=_number(s), year=year),
    ]
    text = f"Kondisi Gizi Ibu Hamil di {area}\n\n" + " ".join(sentences) + "\n"
    s1, s2, s3 = sentences
    spans = [
        {"id": "l0", "label": "LOCATION", "text": area, "occurrence": 1},
        {"id": "i1", "label": "INDICATOR", "text": percent_mention, "context": s1},
        {"id": "l1", "label": "LOCATION", "text": area, "context": s1},
        {"id": "r1", "label": "RATE", "text": f"{_number(v)} persen", "context": s1},
        {"id": "d1", "label": "DATE", "text": (f"tahun {year}" if f"tahun {year}" in s1
                                               else str(year)), "context": s1},
        {"id": "i2", "label": "INDICATOR", "text": count_mention, "context": s2},
        {"id": "l2", "label": "LOCATION", "text": area, "context": s2},
        {"id": "d2", "label": "DATE", "text": (f"tahun {year}" if f"tahun {year}" in s2
                                               else str(year)), "context": s2},
        {"id": "i3", "label": "INDICATOR", "text": "prevalensi stunting", "context": s3},
        {"id": "l3", "label": "LOCATION", "text": area, "context": s3},
        {"id": "r3", "label": "RATE", "text": f"{_number(s)} persen", "context": s3},
        {"id": "d3", "label": "DATE", "text": str(year), "context": s3},
    ]
    count_text = (f"{count} kasus" if "kasus" in s2 else f"{count} ibu" if " ibu hamil mengalami"
                  in s2 else f"{count} orang")
    spans.append({"id": "c2", "label": "COUNT", "text": count_text, "context": s2})
    facts = [
        {"value_span": "r1", "indicator": CODE, "value": v, "unit": "percent", "location": area,
         "location_code": code, "year": year,
         "links": {"indicator": "i1", "location": "l1", "date": "d1"}},
        {"value_span": "c2", "indicator": CODE, "value": count, "unit": "count",
         "location": area, "location_code": code, "year": year,
         "links": {"indicator": "i2", "location": "l2", "date": "d2"}},
        {"value_span": "r3", "indicator": "stunting", "value": s, "unit": "percent",
         "location": area, "location_code": code, "year": year,
         "links": {"indicator": "i3", "location": "l3", "date": "d3"}},
    ]
    record, problems = build_record({"id": f"kek_{n:03d}", "spans": spans, "facts": facts,
                                     "notes": "written for the new-indicator round trip"},
                                    text, {"source": None, "url": None,
                                           "title": f"Kondisi Gizi Ibu Hamil di {area}",
                                           "published": f"{year + 1}-01-15"})
    if problems:
        raise ValueError(f"kek_{n:03d}: {problems}")
    return record


def main() -> None:
    rng = random.Random(7)
    records = [document(n, rng) for n in range(24)]
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                   encoding="utf-8")
    print(f"wrote {len(records)} documents to {OUT}")


if __name__ == "__main__":
    main()
