"""Opportunities: concrete prospects with a counterpart, with kind, stage, amount, jobs and location.

Writes ``doc._.opportunities``. Reads ``doc._.orgs`` (counterparts, and companies only mentioned), the
sentences that name them and those that go on about them, and ``doc._.table_rows`` (each row of an MoU list
is one opportunity; a row of a meeting table whose remarks tell a prospect is one too).

What a sentence says is given to the organization it says it of: a sentence is cut into clauses at
"while", "whereas" and ";", so "X will invest Rs 500 crore, while Y committed $8 billion" gives each its own
amount, and "X and Y committed Rs 780 crore and Rs 1,150 crore respectively" gives them in order. One amount
shared by several organizations (an MoU signed by many at once) is nobody's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from investdesk.extraction.components.common import COUNTERPART_KINDS
from investdesk.extraction.components.money import Money, find_amounts, find_jobs
from investdesk.extraction.components.org_candidates import Org
from investdesk.extraction.components.sectors import sectors_in_text
from investdesk.extraction.components.state import Analysis
from investdesk.extraction.lexicon import OFFERING_HEADS, POLICY_HEADS, VENUE_HEADS, cue, cue_list

_PROSPECT = cue("prospect")
_STRONG = cue("prospect_strong")
_CONTINUATION = cue("continuation")
_LOCATION = cue("location")
_RESPECTIVELY = cue("respectively")
_NUMBERED_ITEM = cue("numbered_item")
_GLUE = cue("name_glue")
KIND_RULES = cue_list("opportunity_kind")
STAGE_RULES = cue_list("stage")
SIGNED = STAGE_RULES[0][1]
# Kinds whose organizations are read with any wording of a prospect; the others (associations, funds,
# platforms, universities) only when the wording is concrete (an amount, a plan, an MoU).
_PROSPECT_KINDS = {"company", "research_institute"}
_PLACE_HEADS = {"region", "district", "area", "headquarters", "hq", "house", "place", "center", "centre"}

_CLAUSE_BREAK = re.compile(r",?\s+(?:while|whereas|and also)\s+|;\s+|"
                           r"\s+and\s+(?=(?:also\s+)?(?:signed|inked|met|held|visited|toured|discussed)\b)")


@dataclass
class _Context:
    """What the text says of one organization: its own clauses, and the sentences that go on about it."""

    clauses: list[str] = field(default_factory=list)
    follows: list[str] = field(default_factory=list)
    sents: list[int] = field(default_factory=list)
    amount: Money | None = None
    shared_amount: bool = False  # the only amounts near it are shared with other organizations
    rows: list[str] = field(default_factory=list)  # the table rows that name it alone


def _candidates(an: Analysis) -> list[Org]:
    """Organizations that may hold a prospect: not the home side, facilitators or government bodies; not a
    park, region, scheme or person that only looks like an organization's name."""
    people = {w for p in an.people for w in (p.name, p.name.split()[-1] if p.name else "")}
    # Two names glued by "&", "for" or "of" are the halves of one name the reader could not join.
    spans = sorted((p, p + len(o.name)) for o in an.orgs for p in o.positions)
    glued = {a for (_, e), (a, _) in zip(spans, spans[1:], strict=False) if _GLUE.fullmatch(an.text[e:a])}
    glued |= {e for (_, e), (a, _) in zip(spans, spans[1:], strict=False) if _GLUE.fullmatch(an.text[e:a])}
    # A meeting marked cancelled in a table is no prospect, unless another row or the prose tells one.
    live = " ".join(r.text for r in an.table_rows if not r.cancelled)
    cancelled = {o.name for o in an.orgs for r in an.table_rows if r.cancelled and o.name in r.text
                 and o.name not in live}
    out = []
    for org in an.orgs:
        if org.role not in {"counterpart", "mentioned"} or org.kind not in COUNTERPART_KINDS - {"government_agency"}:
            continue
        words = org.name.lower().split()
        if org.name in cancelled or not words or words[-1] in OFFERING_HEADS or words[-1] in _PLACE_HEADS or \
                words[-1] in VENUE_HEADS or words[-1] in an.lex.city_country or \
                org.name.isupper() and len(words) > 1 or \
                any(w in POLICY_HEADS for w in words) or org.name.lower() in an.lex.city_country or \
                org.name in people or any(p in glued or p + len(org.name) in glued for p in org.positions):
            continue
        out.append(org)
    return out


def _clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of a sentence."""
    spans, start = [], 0
    for m in _CLAUSE_BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _blank(text: str, names: list[str]) -> str:
    """The text with organizations' names blanked: "Lam Research" is a name, not research."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return text


def _new_block(an: Analysis, j: int) -> bool:
    """Whether sentence ``j`` starts a new paragraph or a new numbered item or bullet."""
    prev = an.sents[j - 1]
    between = an.text[prev.start_char:an.sents[j].start_char]
    return bool(re.search(r"\n\s*\n", between)) or bool(_NUMBERED_ITEM.match(an.sents[j].text))


def _contexts(an: Analysis, cands: list[Org]) -> dict[str, _Context]:
    out: dict[str, _Context] = {}
    by_sent: dict[int, list[tuple[int, Org]]] = {}
    for org in cands:
        for p, s in zip(org.positions, org.sents, strict=True):
            by_sent.setdefault(s, []).append((p, org))
    names = [o.name for o in an.orgs]
    for i, found in by_sent.items():
        sent = an.sents[i]
        text = sent.text
        spans = _clauses(text)
        clause_orgs: dict[int, list[Org]] = {}
        for p, org in sorted(found, key=lambda x: x[0]):
            at = p - sent.start_char
            k = next((n for n, (a, b) in enumerate(spans) if a <= at < b), len(spans) - 1)
            if org not in clause_orgs.setdefault(k, []):
                clause_orgs[k].append(org)
        for k, orgs in clause_orgs.items():
            a, b = spans[k]
            clause = text[a:b]
            if len(orgs) >= 3 and not _STRONG.search(_blank(clause, names)) and not find_amounts(clause):
                continue  # a list of companies says nothing about each one's prospects
            amounts = find_amounts(clause)
            respectively = len(orgs) > 1 and _RESPECTIVELY.search(clause) and len(amounts) >= len(orgs)
            for n, org in enumerate(orgs):
                ctx = out.setdefault(org.name, _Context())
                ctx.clauses.append(clause)
                ctx.sents.append(i)
                if ctx.amount is None:
                    if respectively:
                        ctx.amount = amounts[n]
                    elif len(orgs) == 1 and amounts:
                        ctx.amount = amounts[0]
                    elif amounts:
                        ctx.shared_amount = True
    # A table row naming one organization speaks of it in all its cells ("Knorr-Bremse AG | ... | capacity
    # expansion at Sanand"), however the row was cut into sentences.
    for row in an.table_rows:
        if row.total or row.cancelled:
            continue
        # Named in a cell of its own: not in the remarks, the venue or the date.
        other = {row.cells.get(k) for k in ("status", "city", "district", "date")}
        cells = " | ".join(c for c in row.text.split(" | ") if c not in other)
        in_row = [o for o in cands if o.name in cells and o.kind in _PROSPECT_KINDS]
        if len(in_row) == 1:
            ctx = out.setdefault(in_row[0].name, _Context())
            ctx.rows.append(row.text)
            row_amounts = find_amounts(row.text)
            if ctx.amount is None and row_amounts:
                ctx.amount = row_amounts[0]
    # The sentences after one about a single organization go on about it while they name no other one
    # ("Safran is reviewing ...", "The company proposes ..."), up to the end of the paragraph or item.
    # Several named at once: a next sentence on "these meetings" or "the discussions" goes on about them all.
    for i, found in by_sent.items():
        named = list(dict.fromkeys(o.name for _, o in found if o.name in out))
        # A heading or letterhead line (no full stop) goes on about nobody.
        if not named or not an.sents[i].text.rstrip().endswith((".", ":", ";", ")", '"', "”")):
            continue
        for j in range(i + 1, min(i + 4, len(an.sents))):
            if j in by_sent or _new_block(an, j):
                break
            follow = an.sents[j].text
            # "ZF announced ...": a sentence opening with one of them by its first word goes on about that one.
            opening = [n for n in named if follow.lstrip().startswith(n.split()[0] + " ")]
            if len(named) > 1 and len(opening) == 1:
                named = opening
            elif len(named) > 1:
                if j > i + 1 or not _CONTINUATION.match(follow):
                    break
            elif not (opening or _CONTINUATION.match(follow) or j == i + 1):
                break
            for name in named:
                ctx = out[name]
                ctx.follows.append(_blank(follow, names))
                ctx.sents.append(j)
                if len(named) == 1 and ctx.amount is None and not ctx.shared_amount:
                    found_amounts = find_amounts(follow)
                    ctx.amount = found_amounts[0] if found_amounts else None
    return out


def opportunities(an: Analysis) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    cands = _candidates(an)
    names = [o.name for o in an.orgs]
    contexts = _contexts(an, cands)
    for org in cands:
        ctx = contexts.get(org.name)
        if ctx is None or any(o["counterpart"] == org.name for o in out):
            continue
        own = [_blank(c, names) for c in ctx.clauses + ctx.rows]
        blob = " ".join(own + ctx.follows)
        if any(_STRONG.search(r) or sectors_in_text(r) for r in ctx.rows):
            pass  # a meeting listed with a prospect or a sector to talk about
        elif org.role != "counterpart" or org.kind not in _PROSPECT_KINDS:
            # Only mentioned, or not a company: what is said of it by name must be concrete.
            if not (_STRONG.search(blob) or ctx.amount is not None):
                continue
        elif not (_PROSPECT.search(blob) or _STRONG.search(blob) or ctx.amount is not None):
            continue
        kind = next((k for k, rx in KIND_RULES if rx.search(blob)), "investment")
        stage = next((s for s, rx in STAGE_RULES if rx.search(blob)), "discussed")
        loc = _LOCATION.search(blob)
        jobs = find_jobs(" ".join(own)) if not ctx.shared_amount else None
        evidence = next((an.sents[i].text for i in ctx.sents if _STRONG.search(an.sents[i].text)),
                        an.sents[ctx.sents[0]].text)
        out.append({"counterpart": org.name, "kind": kind, "sectors": sectors_in_text(blob), "stage": stage,
                    "amount": ctx.amount.as_dict() if ctx.amount else None,
                    "jobs": jobs if jobs is not None else (None if ctx.shared_amount else find_jobs(blob)),
                    "location": (loc.group(1) or loc.group(2)).strip() if loc else None,
                    "evidence": evidence.strip()})
    return out


def table_opportunities(an: Analysis) -> list[dict[str, Any]]:
    """One opportunity per company row of an MoU list, with the row's own amount, jobs, sectors and district;
    and one per row of a meeting table whose remarks tell a prospect.

    A TOTAL row is no one's, a cancelled one is none; in an MoU list every row is a signed MoU."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in an.table_rows:
        if row.total or row.cancelled or not row.company:
            continue
        remarks = row.cells.get("status", "")
        if row.kind != "mou" and not (row.kind == "meeting" and _STRONG.search(remarks)):
            continue
        org = an.org_by_text(row.company)
        name = org.name if org else row.company
        if name in seen:
            continue
        seen.add(name)
        kind = next((k for k, rx in KIND_RULES if rx.search(row.text)), "investment")
        stage = "mou_signed" if an.genre == "mou_list" and row.kind == "mou" else next(
            (s for s, rx in STAGE_RULES if rx.search(row.text)), "discussed")
        amount = row.amount or next(iter(find_amounts(remarks)), None)
        out.append({"counterpart": name, "kind": kind,
                    "sectors": sectors_in_text(row.sectors_text or row.text), "stage": stage,
                    "amount": amount.as_dict() if amount else None, "jobs": row.jobs,
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
