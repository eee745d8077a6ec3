"""Indonesian domain knowledge, independent of spaCy components: the gazetteer of
Kemendagri areas, the indicator table, number, date and unit readers, the entity-ruler
patterns, and the data files they are built from (`data/`)."""
