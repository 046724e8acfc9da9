"""Engagement documents to the ``investdesk.extraction/1`` contract.

A pure library: text in, contract models out. It imports nothing from the
rest of the package; known names from the knowledge base reach it only as
an argument.
"""

from investdesk.extraction.contract import SCHEMA_ID, Extraction, json_schema

__all__ = ["SCHEMA_ID", "Extraction", "json_schema"]
