"""Reading inputs and writing facts at scale: text, JSONL, CSV and Parquet readers, atomic
fact writers, batched and multi-process extraction, DataFrames and Hugging Face datasets
(`frames`), and Dask (`dask`)."""
