"""Sentences and paragraphs, read once for every later component.

``investdesk_line_breaks`` runs before the parser: a line break ends a sentence, so headlines, list
lines and table rows are never glued to the next paragraph. ``investdesk_segments`` writes
``doc._.text``, ``doc._.sents`` (non-empty sentences) and ``doc._.paragraphs`` (the paragraph number of
each sentence).
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span


@Language.component("investdesk_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and list lines are never glued to the next paragraph."""
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or ("\n" in tok.whitespace_):
            nxt = doc[i + 1]
            # A line wrapped inside a sentence ("generate 4,000\njobs") goes on; a new line that starts with a
            # capital, a digit or a quote, or follows a full stop, starts a sentence.
            if nxt.text[:1].isupper() or nxt.text[:1].isdigit() or nxt.is_quote or tok.is_punct or \
                    "\n" in tok.text:
                nxt.is_sent_start = True
        elif tok.text == ")" and i > 0 and doc[i - 1].text not in {".", "!", "?"}:
            # "Principal Secretary (Industries) Hemant Sharma": a bracket inside a sentence does not end it.
            doc[i + 1].is_sent_start = False
    return doc


def paragraphs_of(text: str, sents: list[Span]) -> list[int]:
    """The paragraph number of each sentence: a line break between two sentences starts a new one."""
    out, para = [], 0
    last_end = 0
    for s in sents:
        if "\n" in text[last_end:s.start_char] or "\n" in text[s.start_char:s.end_char].strip():
            para += 1
        out.append(para)
        last_end = s.end_char
    return out


@Language.factory("investdesk_segments")
def make_segments(nlp: Language, name: str) -> Any:
    def segments(doc: Doc) -> Doc:
        text = doc.text  # Doc.text rebuilds the string on every call: read it once for every component
        sents = [s for s in doc.sents if s.text.strip()] if len(doc) else []
        doc._.text = text
        doc._.sents = sents
        doc._.paragraphs = paragraphs_of(text, sents)
        return doc

    return segments


__all__ = ["line_breaks", "make_segments", "paragraphs_of"]
