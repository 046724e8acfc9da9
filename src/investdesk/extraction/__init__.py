"""Engagement documents to the ``investdesk.extraction/1`` contract.

A pure library: text in, contract models out. It imports nothing from the
rest of the package; known names from the knowledge base reach it only as
an argument (:class:`KnownNames`).
"""

from investdesk.extraction.contract import SCHEMA_ID, Extraction, Source, json_schema
from investdesk.extraction.extractor import Extractor, KnownNames, KnownOrganization, KnownPerson, extract
from investdesk.extraction.readers import DocumentError, DocumentText, read_document

__all__ = ["SCHEMA_ID", "DocumentError", "DocumentText", "Extraction", "Extractor", "KnownNames", "KnownOrganization",
           "KnownPerson", "Source", "extract", "json_schema", "read_document"]
