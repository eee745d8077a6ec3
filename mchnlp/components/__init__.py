"""The spaCy components of the mchnlp pipeline, in the order they run.

`factories` declares every factory (also registered as `spacy_factories` entry points, so
`spacy.load(path)` needs no import of mchnlp). The components read their knowledge
(`mchnlp.knowledge`) through `initialize()` and the document's layout through
`mchnlp.structure`; they write entities, `doc._.value_attrs` and the links in `doc._.rel`.
"""
