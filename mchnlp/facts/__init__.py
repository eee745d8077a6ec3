"""What a processed Doc carries and what is derived from it: the custom attributes
(`doc._.rel`, the stored links), the `Fact` record and the fact view (`doc._.facts`), and
aggregation of facts across documents."""
