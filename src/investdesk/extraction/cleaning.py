"""Kept for imports written before the readers became a package: the clean-up lives in ``readers.cleaning``."""

from investdesk.extraction.readers.cleaning import clean_text, is_tail_junk, pdf_text, reflow, strip_page_furniture

__all__ = ["clean_text", "is_tail_junk", "pdf_text", "reflow", "strip_page_furniture"]
