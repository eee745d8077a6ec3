"""Document structure the linkers and the fact view share: headline, dateline, paragraphs,
sentences, tables and the areas and periods a document is about."""
