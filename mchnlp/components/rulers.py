"""The names of the entity rulers in the mchnlp pipeline, in one place: the pipeline builder
and the local aliases (`local_aliases`) find the rulers through `RULER_OF_LABEL`."""

from __future__ import annotations

INDICATOR_RULER = "indicator_ruler"
PLACE_DATE_RULER = "place_date_ruler"
# which ruler holds the patterns of an entity label
RULER_OF_LABEL: dict[str, str] = {
    "INDICATOR": INDICATOR_RULER,
    "LOCATION": PLACE_DATE_RULER,
    "DATE": PLACE_DATE_RULER,
}
