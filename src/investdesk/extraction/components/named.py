"""Policies, offerings and events named in the text: capitalised names with a telling last word.

Writes ``doc._.policies``, ``doc._.offerings`` (never an organization's name) and ``doc._.events``.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from investdesk.extraction.components.state import Analysis
from investdesk.extraction.lexicon import EVENT_HEADS, OFFERING_HEADS, POLICY_HEADS
from investdesk.extraction.normalize import clean_name
from investdesk.extraction.spans import cap_runs


def named_things(an: Analysis) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Policies, offerings and events named in the text (capitalised names with a telling last word)."""
    policies: dict[str, dict[str, Any]] = {}
    offerings: dict[str, dict[str, Any]] = {}
    events: dict[str, dict[str, Any]] = {}
    for s in an.sents:
        text = s.text
        for m in re.finditer(r"((?:(?:[A-Z][\w&.'’-]*|&|and|for|of|\([A-Z]{2,6}\))\s+){0,7}?(?:[A-Z][\w-]*\s+)?"
                             r"(Policy|Policies|Scheme|Programme|Program|Yojana|Act|Mission)(?:\s+(?:20\d\d|19\d\d))?)",
                             text):
            name = _trim_name(m.group(1))
            if name and len(name.split()) >= 2 and name.split()[0].lower() not in POLICY_HEADS:
                policies.setdefault(name.lower(), {"name": name, "evidence": text.strip()})
        for m in re.finditer(r"((?:[A-Z][\w&.'’-]*\s){1,6})(initiative|scheme|programme|program|policy)\b", text):
            name = _trim_name(m.group(1) + m.group(2))
            if len(name.split()) >= 3:
                policies.setdefault(name.lower(), {"name": name, "evidence": text.strip()})
        for run in cap_runs(s):
            words = run.text.split()
            if len(words) < 2:
                continue
            head = words[-1].lower()
            if head in OFFERING_HEADS and not an.lex.city_country.get(run.text.lower()):
                name = _trim_name(run.text)
                if name and len(name.split()) >= 2:
                    offerings.setdefault(name.lower(), {"name": name, "kind": OFFERING_HEADS[head],
                                                        "evidence": text.strip()})
            elif head in EVENT_HEADS or any(w.lower() in {"summit", "conclave", "roadshow", "expo"} for w in words):
                events.setdefault(run.text.lower(), {"name": run.text, "city": None, "evidence": text.strip()})
    return list(policies.values()), list(offerings.values()), list(events.values())


def _trim_name(name: str) -> str:
    words = name.split()
    while words and (words[0].lower() in {"the", "and", "of", "for", "&", "a", "an", "its", "their", "this"} or
                     words[0].endswith(("'s", "’s"))):
        words = words[1:]
    return clean_name(" ".join(words))


@Language.factory("investdesk_named")
def make_named(nlp: Language, name: str) -> Any:
    def component(doc: Doc) -> Doc:
        an = Analysis(doc)
        policies, offerings, events = named_things(an)
        org_names = {o.name.lower() for o in an.orgs}
        doc._.policies = policies
        doc._.offerings = [o for o in offerings if o["name"].lower() not in org_names]
        doc._.events = events
        return doc

    return component
