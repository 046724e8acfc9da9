"""Genre: news, press release, minutes, MoU list, e-mail, itinerary or tour report; and which sentences
are read as meetings and as commitments, steered by it.

Writes ``doc._.genre``, ``doc._.meeting_sents`` and ``doc._.commitment_sents``. Reads ``doc._.text``,
``doc._.sents`` and ``doc._.table_rows`` (a document whose tables are MoU lists is an MoU list).

The genre decides what a line means where the wording alone does not: in minutes a numbered item
"3.1 <company>, <city> (<date>)." is a meeting even without a verb of meeting.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from investdesk.extraction.lexicon import COMMITMENT_CUES, MEETING_CUES, cue, cue_list

GENRES = ("news", "press_release", "minutes", "mou_list", "email", "itinerary", "tour_report")
_GENRE_CUES = cue_list("genre")
_NUMBERED_MEETING = cue("numbered_meeting")
_HEAD_CHARS = 1500  # the cues of a genre are in a document's first lines


def detect_genre(text: str, table_kinds: list[str]) -> str:
    """The genre of a document from its first lines and its tables."""
    mou_rows = sum(k == "mou" for k in table_kinds)
    if mou_rows >= 2 and mou_rows >= len(table_kinds) / 2:
        return "mou_list"
    head = text[:_HEAD_CHARS]
    for genre, rx in _GENRE_CUES:
        flags = rx.flags | re.M
        if re.search(rx.pattern, head, flags):
            return genre
    numbered = len(re.findall(_NUMBERED_MEETING.pattern, text, re.M))
    if numbered >= 2:
        return "minutes"
    return "news"


@Language.factory("investdesk_genre")
def make_genre(nlp: Language, name: str) -> Any:
    def component(doc: Doc) -> Doc:
        text = doc._.text if doc._.text is not None else doc.text
        sents = doc._.sents or []
        genre = detect_genre(text, [r.kind for r in doc._.table_rows or []])
        doc._.genre = genre
        meeting = {i for i, s in enumerate(sents) if MEETING_CUES.search(s.text)}
        if genre in {"minutes", "tour_report", "itinerary"}:
            # "3.1 Tanaka Electric, Osaka (12 May). ...": a numbered item names a meeting.
            meeting |= {i for i, s in enumerate(sents) if _NUMBERED_MEETING.match(s.text)}
        doc._.meeting_sents = meeting
        doc._.commitment_sents = {i for i, s in enumerate(sents) if COMMITMENT_CUES.search(s.text)}
        return doc

    return component


__all__ = ["GENRES", "detect_genre", "make_genre"]
