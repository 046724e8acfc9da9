"""Organizations: candidates from every sentence, merged by name, acronym and short form, then filtered.

Writes ``doc._.orgs`` (a list of :class:`Org`, in order of first mention). Reads ``doc._.person_mentions``
(names of people are not organizations), ``doc._.known`` (names the knowledge base knows) and
``doc._.table_rows`` (a company column names organizations the prose may not).
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from investdesk.extraction.components import org_candidates as orgmod
from investdesk.extraction.components.org_candidates import Org
from investdesk.extraction.components.state import Analysis, ents_by_sent
from investdesk.extraction.lexicon import DISTRICT_PHRASE, ORG_HEADS
from investdesk.extraction.normalize import acronym_of, looks_like_acronym, org_key


def _merge_orgs(an: Analysis, orgs: list[Org], cands: list[tuple[int, str, bool, str | None]],
                acronyms: list[tuple[str, str]],
                known: list[dict[str, object]]) -> None:
    by_key: dict[str, Org] = {}

    def add(name: str, pos: int, strong: bool, hint: str | None, acronym: str | None = None) -> Org:
        key = org_key(name)
        org = by_key.get(key)
        if org is None:
            org = Org(name=name, acronym=acronym, strong=strong)
            org.kind = orgmod.org_kind(name, hint)
            orgs.append(org)
            by_key[key] = org
            if acronym:
                by_key[org_key(acronym)] = org
        org.strong = org.strong or strong
        if acronym and not org.acronym:
            org.acronym = acronym
            by_key[org_key(acronym)] = org
        org.positions.append(pos)
        org.sents.append(an.sent_of(pos))
        return org

    for defined, short in acronyms:
        add(defined, max(an.text.find(defined), 0), True, None, short)
    for k in known:
        name = str(k["name"])
        acr = str(k["acronym"]) if k.get("acronym") else None
        aliases = [str(a) for a in k.get("aliases") or []]  # type: ignore[attr-defined]
        for needle in [name, *([acr] if acr else []), *aliases]:
            for m in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", an.text):
                org = add(name, m.start(), True, str(k.get("kind") or "") or None, acr)
                org.known = True
                org.country = org.country or (str(k["country"]) if k.get("country") else None)
    for pos, name, strong, hint in sorted(cands, key=lambda c: (c[0], c[1])):
        key = org_key(name)
        if not key:
            continue
        if key in by_key:
            add(by_key[key].name, pos, strong, hint)
            continue
        # A later short form of an earlier long name: "Kia" for "Kia Motors", "Hanwha" for "Hanwha Q Cells".
        target = None
        for org in orgs:
            words = org_key(org.name).split()
            if re.search(r" (and|&) ", org.name):
                continue  # never fold a name into "A and B"
            if (len(words) > 1 and key == words[0] and (len(key) > 3 or name.isupper())) or \
                    (looks_like_acronym(name) and name == acronym_of(org.name) and len(name) >= 3):
                target = org
                break
            if len(key.split()) > 1 and org_key(org.name).split()[:1] == key.split()[:1] and \
                    (key.startswith(org_key(org.name)) or org_key(org.name).startswith(key)) and \
                    not re.search(r" (and|&) ", name):
                target = org
                break
        if target is not None:
            if len(name) > len(target.name) and not target.acronym and " " in name:
                target.acronym = target.name if len(target.name.split()) == 1 else None
                by_key[org_key(target.name)] = target
                target.name = name
            elif " " not in name and not target.acronym and len(name) < len(target.name):
                target.acronym = name
            by_key[key] = target
            target.positions.append(pos)
            target.sents.append(an.sent_of(pos))
            target.strong = target.strong or strong
            continue
        add(name, pos, strong, hint)


def find_orgs(doc: Doc) -> list[Org]:
    """Every organization named in the document, merged and filtered."""
    an = Analysis(doc)
    lex, sents, text = an.lex, an.sents, an.text
    doc._.orgs = []
    person_spans = [(m.start, m.end) for m in doc._.person_mentions or []]
    cands: list[tuple[int, str, bool, str | None]] = []
    for s, s_ents in zip(sents, ents_by_sent(doc, sents), strict=True):
        cands.extend(orgmod.candidates(s, s_ents, lex, person_spans, text))
    # Inside an MoU list's or a meeting table's rows only the company column names organizations: a sector
    # cell ("Tea & Food Processing") does not, and the company cell is read whole ("Tea Estates & Exports Ltd.").
    rows = [(r.start, r.end) for r in an.table_rows if r.kind in {"mou", "meeting"} and r.end > r.start]
    cands = [c for c in cands if not any(a <= c[0] < b for a, b in rows)]
    for row in an.table_rows:  # a table's company column names its organizations
        if row.company:
            cands.append((row.start, row.company, True, "company"))
    acronyms = orgmod.acronym_definitions(text)
    orgs: list[Org] = doc._.orgs
    _merge_orgs(an, orgs, cands, acronyms, doc._.known or [])
    not_orgs = orgmod.other_acronyms(text)
    orgs = [o for o in orgs if o.name not in not_orgs]
    by_norm = {org_key(o.name): o for o in orgs}
    # "A and B" read as one name where A and B are named on their own too: each part takes its mentions.
    joined = [o for o in orgs if re.search(r" (and|&) ", o.name) and
              all(org_key(p) in by_norm for p in re.split(r" (?:and|&) ", o.name))]
    for o in joined:
        for part in re.split(r" (?:and|&) ", o.name):
            by_norm[org_key(part)].positions.extend(o.positions)
            by_norm[org_key(part)].sents.extend(o.sents)
    orgs = [o for o in orgs if o not in joined]
    in_places = [m.span(1) for m in DISTRICT_PHRASE.finditer(text)]

    def only_a_place(o: Org) -> bool:  # every mention inside "in X and Y districts"
        return not o.known and o.kind == "company" and bool(o.positions) and all(
            any(a <= p < b for a, b in in_places) for p in o.positions)

    # A titled person's name, or their surname alone ("Naidu wraps up tour", "Fedeli said"), is no organization.
    people = {org_key(m.name) for m in doc._.person_mentions or []
              if len(m.name.split()) >= 2 and (m.titles or m.honorific)}
    surnames = {k.split()[-1] for k in people}

    def a_person(o: Org) -> bool:
        key = org_key(o.name)
        return not o.known and not o.acronym and o.kind == "company" and (
            key in people or (" " not in key and key in surnames))

    orgs = [o for o in orgs if not a_person(o) and not _only_a_town(an, o)]
    orgs = [o for o in orgs if not only_a_place(o) and (o.known or orgmod.plausible(o.name) or
                                                        o.kind in {"investment_promotion_agency",
                                                                   "diplomatic_mission"})]
    return [o for o in orgs if o.strong or o.known or len(o.positions) > 1 or o.kind != "company"
            or any(i in an.meeting_sents or i in an.commitment_sents for i in o.sents)]


# A word naming where something is: "a plant at X", "land in X", "a unit near X".
_LOCATIVE = re.compile(r"\b(?:at|in|near|from|to|around|outside)\s+$")


def _only_a_town(an: Analysis, o: Org) -> bool:
    """A name of one or two words the text only ever writes as where something is ("a battery plant at Rampur",
    "land in Sohna Kalan") and never as one who acts, with no organization's head word or company ending: a town
    or a locality, not an organization."""
    words = o.name.split()
    if o.known or o.acronym or o.kind != "company" or len(words) > 2 or o.name.isupper() or \
            any(w.lower().strip(".,") in ORG_HEADS for w in words) or orgmod._company_head(o.name):
        return False
    if len(words) > 1 and org_key(o.name) in {org_key(m.name) for m in an.doc._.person_mentions or []}:
        return False  # two words the model also reads as a person's name: left to the people rules
    text = an.text
    return bool(o.positions) and all(_LOCATIVE.search(text[max(0, p - 12):p]) and
                                     text[p + len(o.name):p + len(o.name) + 2] not in {"'s", "’s"}
                                     for p in o.positions)


@Language.factory("investdesk_organizations")
def make_organizations(nlp: Language, name: str) -> Any:
    def organizations(doc: Doc) -> Doc:
        doc._.orgs = find_orgs(doc)
        return doc

    return organizations


__all__ = ["find_orgs", "make_organizations"]
