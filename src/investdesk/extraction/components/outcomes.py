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


def _by_kind(rules: list[tuple[str, re.Pattern[str]]]) -> dict[str, re.Pattern[str]]:
    """One pattern per kind: every cue written for it, in any line of the cue file."""
    parts: dict[str, list[str]] = {}
    for kind, rx in rules:
        parts.setdefault(kind, []).append(f"(?{'i' if rx.flags & re.I else '-i'}:{rx.pattern})")
    return {kind: re.compile("|".join(ps)) for kind, ps in parts.items()}


_OUTCOME = _by_kind(cue_list("outcome"))
_STAGE = dict(cue_list("stage"))
_FUTURE = cue("future")
_DOT = cue("abbreviation_dot")
_PLANNED_SIGNING = cue("planned_signing")


def _flat(text: str) -> str:
    """A sentence without the dots of decimals and abbreviations ("USD 14.5 million", "Pvt. Ltd."), so a
    cue may reach across them."""
    return _DOT.sub(lambda m: m.group(1) or "", text)


def outcomes(an: Analysis) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    flat = [_flat(s.text) for s in an.sents]

    def signed_rx(text: str) -> bool:  # a sentence telling a signing tells no MoU to come
        return bool(_STAGE["mou_signed"].search(text) or _OUTCOME["mou_signed"].search(text))

    def add(kind: str, rx: re.Pattern[str]) -> bool:
        for s, text in zip(an.sents, flat, strict=True):
            if rx.search(text) and not (kind == "mou_expected" and signed_rx(text)):
                amounts = find_amounts(s.text)
                parties = [o.name for o in an.orgs if o.role == "counterpart" and any(
                    s.start_char <= p < s.end_char for p in o.positions)] if kind == "mou_signed" else []
                out.append({"kind": kind, "parties": parties,
                            "amount": amounts[0].as_dict() if amounts else None, "evidence": s.text.strip()})
                return True
        return False

    # Each kind the text tells, once: a signing, an MoU to come, an investment, interest, a visit to follow.
    signed = add("mou_signed", _STAGE["mou_signed"]) or add("mou_signed", _OUTCOME["mou_signed"])
    # An itinerary is a plan: the exchange of an MoU it lists is still to come.
    if not (an.genre == "itinerary" and add("mou_expected", _PLANNED_SIGNING)):
        add("mou_expected", _OUTCOME["mou_expected"])
    for kind in ("technology_transfer", "joint_venture", "pilot_project"):
        for s, text in zip(an.sents, flat, strict=True):
            if _OUTCOME[kind].search(text) and _FUTURE.search(text):
                out.append({"kind": kind, "parties": [], "amount": None, "evidence": s.text.strip()})
                break
    # A signed MoU is the commitment it records: an investment in it is no outcome of its own.
    # A project put on hold or withdrawn is an outcome of its own kind.
    for kind in ("interest_expressed", "follow_up_visit", "other") if signed else \
            ("investment_committed", "interest_expressed", "follow_up_visit", "other"):
        add(kind, _OUTCOME[kind])
    return out


@Language.factory("investdesk_outcomes")
def make_outcomes(nlp: Language, name: str) -> Any:
    def component(doc: Doc) -> Doc:
        doc._.outcomes = outcomes(Analysis(doc))
        return doc

    return component
