"""Batch ingestion: many files read, extracted (in processes or on Dask) and written as results arrive."""
