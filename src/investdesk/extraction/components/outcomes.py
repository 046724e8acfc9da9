"""Outcomes: what the document says came of it or will come of it.

Writes ``doc._.outcomes``. Reads the sentences, ``doc._.orgs`` and ``doc._.table_rows``.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from investdesk.extraction.components.money import find_amounts
from investdesk.extraction.components.state import Analysis
from investdesk.extraction.lexicon import cue, cue_list

_OUTCOME = dict(cue_list("outcome"))
_STAGE = dict(cue_list("stage"))
_FUTURE = cue("future")


def outcomes(an: Analysis) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def add(kind: str, rx: re.Pattern[str]) -> bool:
        for s in an.sents:
            if rx.search(s.text):
                amounts = find_amounts(s.text)
                parties = [o.name for o in an.orgs if o.role == "counterpart" and any(
                    s.start_char <= p < s.end_char for p in o.positions)] if kind == "mou_signed" else []
                out.append({"kind": kind, "parties": parties,
                            "amount": amounts[0].as_dict() if amounts else None, "evidence": s.text.strip()})
                return True
        return False

    # Each kind the text tells, once: a signing, an MoU to come, an investment, interest, a visit to follow.
    if not add("mou_signed", _STAGE["mou_signed"]):
        add("mou_expected", _OUTCOME["mou_expected"])  # a signed MoU is no longer expected
    for kind in ("technology_transfer", "joint_venture", "pilot_project"):
        for s in an.sents:
            if _OUTCOME[kind].search(s.text) and _FUTURE.search(s.text):
                out.append({"kind": kind, "parties": [], "amount": None, "evidence": s.text.strip()})
                break
    for kind in ("investment_committed", "interest_expressed", "follow_up_visit"):
        add(kind, _OUTCOME[kind])
    return out


@Language.factory("investdesk_outcomes")
def make_outcomes(nlp: Language, name: str) -> Any:
    def component(doc: Doc) -> Doc:
        doc._.outcomes = outcomes(Analysis(doc))
        return doc

    return component
