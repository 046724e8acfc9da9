"""Opportunities: concrete prospects with a counterpart, with kind, stage, amount, jobs and location.

Writes ``doc._.opportunities``. Reads ``doc._.orgs`` (counterparts), the sentences that name them, and
``doc._.table_rows`` (each row of an MoU list is one opportunity).
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from investdesk.extraction.components.common import COUNTERPART_KINDS, first_position
from investdesk.extraction.components.money import find_amounts, find_jobs
from investdesk.extraction.components.org_candidates import Org
from investdesk.extraction.components.sectors import sectors_in_text
from investdesk.extraction.components.state import Analysis
from investdesk.extraction.lexicon import cue, cue_list

_PROSPECT = cue("prospect")
_CONTINUATION = cue("continuation")
_LOCATION = cue("location")
KIND_RULES = cue_list("opportunity_kind")
STAGE_RULES = cue_list("stage")
SIGNED = STAGE_RULES[0][1]


def _without_names(an: Analysis, i: int) -> str:
    """A sentence with the organizations' names blanked: "Lam Research" is a name, not research."""
    text = an.sents[i].text
    for org in an.orgs:
        text = text.replace(org.name, " ")
    return text


_CLAUSE_BREAK = re.compile(r",?\s+(?:while|whereas|and also)\s+|;\s+|"
                           r"\s+and\s+(?=(?:also\s+)?(?:signed|inked|met|held|visited|toured|discussed)\b)")


def _own_clause(an: Analysis, org: Org, i: int, crowd: list[Org]) -> str:
    """The part of a sentence that speaks of this organization, when others are named in it too: "X signed an
    MoU for Rs 500 crore, while Y committed $8 billion" gives each its own amount and sectors."""
    text = an.sents[i].text
    if len(crowd) < 2:
        return text
    at = first_position(org, i) - an.sents[i].start_char
    start = 0
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() >= at:
            return text[start:m.start()]
        start = m.end()
    return text[start:]


def opportunities(an: Analysis) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for org in an.orgs:
        if org.role != "counterpart" or org.kind not in COUNTERPART_KINDS - {"government_agency"} or org.name in seen:
            continue
        idxs = sorted(set(org.sents))
        context, used = [], []
        for i in idxs:
            crowd = [o for o in an.orgs if i in o.sents and o.role == "counterpart"]
            if len(crowd) >= 3 and not SIGNED.search(an.sents[i].text):
                continue  # a list of companies says nothing about each one's prospects
            context.append(_own_clause(an, org, i, crowd))
            used.append(i)
            nxt = i + 1
            if nxt < len(an.sents) and an.paragraphs[nxt] == an.paragraphs[i] and nxt not in idxs:
                follow = an.sents[nxt].text
                # The next sentence goes on about this one when it opens with its name ("ZF announced ..."),
                # with "The discussions ...", or, after a sentence about it alone, when it names no one else.
                if follow.lstrip().startswith(org.name.split()[0] + " ") or _CONTINUATION.match(follow) or (
                        len(crowd) < 2 and not any(nxt in o.sents for o in an.orgs if o is not org)):
                    context.append(follow)
        blob = " ".join(context)
        for other in an.orgs:  # "... Research Center" names a place, not a prospect
            blob = blob.replace(other.name, " ")
        if not _PROSPECT.search(blob):
            continue
        seen.add(org.name)
        kind = next((k for k, rx in KIND_RULES if rx.search(blob)), "investment")
        stage = next((s for s, rx in STAGE_RULES if rx.search(blob)), "discussed")
        amounts = [a for a in find_amounts(blob)]
        jobs = find_jobs(blob)
        loc = _LOCATION.search(blob)
        # One MoU signed by many companies at once: its amount and jobs are the batch's, not this one's.
        signed_many = stage == "mou_signed" and any(
            len([o for o in an.orgs if i in o.sents and o.role == "counterpart"]) > 2 for i in used)
        out.append({"counterpart": org.name, "kind": "investment" if signed_many else kind,
                    "sectors": sectors_in_text(blob), "stage": stage,
                    "amount": amounts[0].as_dict() if amounts and not signed_many else None,
                    "jobs": jobs if not signed_many else None,
                    "location": (loc.group(1) or loc.group(2)).strip() if loc else None,
                    "evidence": an.sents[next((i for i in used if _PROSPECT.search(_without_names(an, i))),
                                              used[0])].text.strip()})
    return out


def table_opportunities(an: Analysis) -> list[dict[str, Any]]:
    """One opportunity per company row of an MoU list, with the row's own amount, jobs, sectors and district.

    A TOTAL row is no one's; in an MoU list every row is a signed MoU."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in an.table_rows:
        if row.kind != "mou" or row.total or row.cancelled or not row.company:
            continue
        org = an.org_by_text(row.company)
        name = org.name if org else row.company
        if name in seen:
            continue
        seen.add(name)
        kind = next((k for k, rx in KIND_RULES if rx.search(row.text)), "investment")
        stage = "mou_signed" if an.genre == "mou_list" else next(
            (s for s, rx in STAGE_RULES if rx.search(row.text)), "discussed")
        out.append({"counterpart": name, "kind": kind,
                    "sectors": sectors_in_text(row.sectors_text or row.text), "stage": stage,
                    "amount": row.amount.as_dict() if row.amount else None, "jobs": row.jobs,
                    "location": row.district, "evidence": row.text})
    return out


@Language.factory("investdesk_opportunities")
def make_opportunities(nlp: Language, name: str) -> Any:
    def component(doc: Doc) -> Doc:
        an = Analysis(doc)
        rows = table_opportunities(an)
        tabled = {o["counterpart"] for o in rows}
        doc._.opportunities = rows + [o for o in opportunities(an) if o["counterpart"] not in tabled]
        return doc

    return component
