"""Sides and direction: each organization's role and each person's side, and who is a delegate.

Writes ``doc._.people`` and sets ``role`` (and ``country``) on each organization of ``doc._.orgs``.
Reads ``doc._.person_mentions``, ``doc._.orgs``, ``doc._.places`` and the cue sentences.

The home side is whoever promotes in the document (the contract's ``home``); when the foreign side came
to the home state (``places.inbound``), nobody is a delegate and there are no destinations.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from investdesk.extraction.components import people as peoplemod
from investdesk.extraction.components.org_candidates import Org
from investdesk.extraction.components.state import Analysis, Person
from investdesk.extraction.lexicon import MEETING_CUES, Lexicon, cue, home_bodies
from investdesk.extraction.normalize import acronym_of, looks_like_acronym, org_key

_FACILITATOR_CUE = re.compile(r"\b(organi[sz]ed (jointly )?(with|by)|jointly organi[sz]ed with|facilitated by|"
                              r"in partnership with|hosted by|in association with|in collaboration with|"
                              r"supported by)\s+$", re.I)
_DELEGATION_CUE = re.compile(r"\b(delegation|delegates|led by|accompanied|travel(l)?ed|trip|visit(ed|ing)?|tour|"
                             r"mission|present|attended|signed|met|held|roadshow|members|included|comprising|"
                             r"along with|team|concluded|reached|arrived|left for|joined|joining|addressed|"
                             r"presented|showcased|invited|meet|meetings|talks|briefed|accompany\w*|departed)\b", re.I)
_LINE_LABEL = re.compile(r"[ \t]*([A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,5})\s*:")
_ITS_TITLE = re.compile(r"\bits\s+(?:[A-Z][\w.&-]*\s+){1,4}$")
_MET_BEFORE = re.compile(r"\b(?:(?:talks|discussions?|meetings?|interactions?|dialogue)\s+with|met(?:\s+with)?|"
                         r"call(?:ed)? on)\s+(?:(?:the|a)\s+)?(?:[A-Z][\w.]*\s+){0,3}$")
_MENTIONED_ONLY = re.compile(r"^['’]s\s+(vision|leadership|government|dream|mission|goal|target|call|policy|"
                             r"initiative|directions?|guidance)\b", re.I)
_FOREIGN_TITLE = cue("foreign_title")
_ACTS_ON_DELEGATION = cue("acts_on_delegation")
_HOME_SERVICE = cue("home_service")
_BUSINESS_TITLE = cue("business_title")
_APPOSITIVE_END = cue("appositive_end")
_DELEGATION_LABEL = cue("delegation_label")
_HOME_TITLE = re.compile(r"\b(chief minister|deputy chief minister|governor|minister|chief secretary|"
                         r"principal secretary|additional chief secretary|secretary|commissioner|lieutenant governor|"
                         r"premier|mayor)\b", re.I)


def _assign_roles(an: Analysis, home_words: set[str], home_country: str | None, dest: list[str]) -> None:
    text = an.text
    national = _national_home(an)
    bodies = own_bodies(an)
    for org in an.orgs:
        name_words = set(re.findall(r"[\w.]+", org.name)) | ({org.acronym} if org.acronym else set())
        name_words |= {w.title() for w in name_words if w.isupper() and len(w) > 3}  # "MAHARASHTRA INDUSTRIAL ..."
        acr = (org.acronym or (org.name if looks_like_acronym(org.name) else "")).upper()
        is_home = bool(name_words & home_words) or any(acr.startswith(w) and len(w) >= 2 for w in home_words
                                                       if w.isupper()) or \
            any(re.search(r"[a-z]" + re.escape(w) + r"\b", org.name) for w in home_words if len(w) >= 4)  # JobsOhio
        if not is_home:
            is_home = _named_as_home(text, org, home_words, possessive=org.kind != "company")
        if not is_home:  # "Industrial Extension Bureau", "RIICO": the home side's own body by the lexicon
            is_home = any(org_key(org.name) == org_key(name) or (acr and acr in {org.acronym, org.name.split()[0]})
                          for name, acr in bodies)
        if not is_home and org.kind == "government_agency" and _DEVELOPMENT_BODY.search(org.name) and \
                not national and not _foreign(org.name, an.lex, home_country, home_words):
            is_home = True  # "Greater Noida Industrial Development Authority": a development body at home
        if not is_home and _home_department(an, org, home_words, national=national):
            is_home = True  # "the Industries and Mines Department signed ...": the state's own department
        if org.kind == "diplomatic_mission" and national and is_home:
            org.role, org.country = "home", home_country  # a national agency's own embassy or consulate
            continue
        if org.kind == "diplomatic_mission":
            org.role = "facilitator"
            org.country = org.country or (dest[0] if dest else None)
            continue
        if is_home:
            org.role, org.country = "home", home_country
            continue
        before_any = any(_FACILITATOR_CUE.search(text[max(0, p - 40):p]) for p in org.positions)
        if before_any or (org.kind == "investment_promotion_agency"):
            org.role = "facilitator"
        elif any(s in an.meeting_sents for s in org.sents) or (
                org.kind == "company" and any(s in an.commitment_sents for s in org.sents)):
            org.role = "counterpart"
        else:
            org.role = "mentioned"
        if org.country is None and dest:
            org.country = dest[0] if len(dest) == 1 or org.role == "counterpart" else None


_DEVELOPMENT_BODY = re.compile(r"\b(?:Development )?Authority$|\bDistrict Industries Cent(?:re|er)\b")
_POSSESSOR = re.compile(r"\b([A-Z][\w.-]*(?: [A-Z][\w.-]*){0,2})['’]s?\s+$")
_GOVERNMENT_OF = re.compile(r"\s*[(,]\s*(?:the\s+)?(?:Government|Govt\.?) of (?:the\s+)?([A-Z][\w ]{2,40})")


_DEPARTMENT = re.compile(r"\b(?:Department|Ministry|Directorate|Commissionerate)\b")
_FOREIGN_OWNER = re.compile(r"([A-Z][\w.-]*(?: [A-Z][\w.-]*)?)(?:['’]s)?\s+(?:the\s+)?$")


def _home_department(an: Analysis, org: Org, home_words: set[str], *, national: bool) -> bool:
    """Whether a government department named without a foreign place is the home side's ("Department of
    Industries", "Industries and Mines Department"): a foreign government is written with its country ("UAE
    Ministry of Economy", "Japan's Ministry of ..."). A ministry, and a department where a national agency
    travels, only in a story set in the home country ("Ministry of Food Processing Industries")."""
    m = _DEPARTMENT.search(org.name) if org.kind == "government_agency" else None
    if m is None or (not an.places.at_home and (national or m.group(0) == "Ministry")):
        return False
    home_country = an.places.home_country
    if _foreign(org.name, an.lex, home_country, home_words):
        return False
    for p in org.positions:
        owner = _FOREIGN_OWNER.search(an.text[max(0, p - 40):p])
        if owner and any(_is_foreign_place(w, an.lex, home_country) for w in (owner.group(1),
                                                                               owner.group(1).split()[-1])):
            return False
    return True


def _named_as_home(text: str, org: Org, home_words: set[str], *, possessive: bool) -> bool:
    """A body written as the home side's: "Singapore's Economic Development Board", "RIICO (Government of
    Rajasthan)"."""
    for p in org.positions:
        owner = _POSSESSOR.search(text[max(0, p - 40):p])
        if possessive and owner and owner.group(1) in home_words:
            return True
        name = next((n for n in (org.name, org.acronym) if n and text.startswith(n, p)), None)
        gov = _GOVERNMENT_OF.match(text, p + len(name)) if name else None
        if gov and any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", gov.group(1)) for w in home_words if len(w) > 2):
            return True
    return False


def _national_home(an: Analysis) -> bool:
    """Whether the home side is a country (a national agency: "IDA Ireland", "Singapore's EDB"), not a state."""
    home = an.places.home
    return home is not None and an.lex.country_of(home.name) == home.country


def _home_acronyms(an: Analysis) -> None:
    """An organization named by a home body's short form ("MIDC Pune" beside "Maharashtra Industrial
    Development Corporation") is home too."""
    home = {acronym_of(o.name) for o in an.orgs if o.role == "home" and len(o.name.split()) >= 3}
    home |= {o.acronym for o in an.orgs if o.role == "home" and o.acronym}
    for org in an.orgs:
        first = org.name.split()[0] if org.name.split() else ""
        if org.role != "home" and looks_like_acronym(first) and first in home:
            org.role = "home"


def home_words_of(an: Analysis) -> set[str]:
    """Words that name the home jurisdiction in an organization's name or a title ("UP", "Uttar Pradesh"), and
    the names and acronyms of the home side's own bodies ("iNDEXTb", "Karnataka Udyog Mitra")."""
    home = an.places.home
    if not home:
        return set()
    words = {home.name, *home.aliases, *home.name.split()} - {"State", "Pradesh", "New", "West", "North", "South",
                                                            "East", "Nadu"}
    return words | {home.name} | {w for body in own_bodies(an) for w in body if w}


def own_bodies(an: Analysis) -> list[tuple[str, str]]:
    """The home side's own agencies and industrial bodies from ``home_bodies.tsv``: a state's by its name, a
    national agency's by its country's code."""
    home = an.places.home
    if home is None:
        return []
    key = home.country if _national_home(an) else home.name
    return home_bodies().get(key.lower(), [])


def find_sides(doc: Doc) -> list[Person]:
    an = Analysis(doc)
    places = an.places
    home_words = home_words_of(an)
    _assign_roles(an, home_words, places.home_country, list(places.destinations))
    _home_acronyms(an)
    for row in an.table_rows:  # a company in a row of an MoU list or a meeting table is a counterpart
        org = an.org_by_text(row.company) if row.company and not row.total else None
        if org is not None and org.role in {"mentioned", "facilitator"} and org.kind != "diplomatic_mission" and \
                row.kind in {"mou", "meeting"}:
            org.role = "counterpart"
    people = _people(an, home_words, doc._.person_mentions or [])
    if places.inbound:
        for p in people:
            p.delegate = False
    return people


@Language.factory("investdesk_sides")
def make_sides(nlp: Language, name: str) -> Any:
    def sides(doc: Doc) -> Doc:
        doc._.people = find_sides(doc)
        return doc

    return sides


def _people(an: Analysis, home_words: set[str], mentions: list[peoplemod.PersonMention]) -> list[Person]:
    text = an.text
    people: list[Person] = []
    org_keys = {k for o in an.orgs for k in o.keys}
    for m in mentions:
        if org_key(m.name) in org_keys or _in_place_cell(an, m) or _names_a_company(an, m.name, org_keys):
            continue
        match = next((p for p in people if peoplemod.same_person(p.name, m.name)), None)
        if match is None:
            if len(m.name.split()) < 2:
                continue
            match = Person(name=m.name, honorific=m.honorific, titles=list(m.titles), organization=None,
                           side="mentioned", delegate=False, evidence=an.sents[m.sent].text.strip())
            people.append(match)
        elif len(m.name) > len(match.name):
            match.name = m.name
        match.honorific = match.honorific or m.honorific
        for t in m.titles:
            if t not in match.titles:
                match.titles.append(t)
        if m.org_text and not match.organization:
            org = an.org_by_text(m.org_text)
            match.organization = org.name if org else m.org_text
        if not match.organization:
            label = _LINE_LABEL.match(text, text.rfind("\n", 0, m.start) + 1)
            org = an.org_by_text(label.group(1)) if label and label.end() <= m.start else None
            if org is not None:
                match.organization = org.name  # "RIICO: Shri X, Managing Director; Smt. Y, Advisor"
        sent_start = an.sents[m.sent].start_char
        if not match.organization and _ITS_TITLE.search(text[max(sent_start, m.start - 60):m.start]):
            # "a delegation from JETRO, led by its Director General X": the organization named before "its"
            earlier = [(p, o) for o in an.orgs for p in o.positions if sent_start <= p < m.start]
            if earlier:
                match.organization = max(earlier, key=lambda po: po[0])[1].name
        match.sents.append(m.sent)
        met = bool(_MET_BEFORE.search(text[max(an.sents[m.sent].start_char, m.start - 60):m.start]))
        match.met_first = match.met_first or (met and len(match.sents) == 1)
        match.met = match.met or met
        after = text[m.end - 2:m.end + 40] if text[m.end - 2:m.end] in {"'s", "’s"} else text[m.end:m.end + 40]
        present = not _MENTIONED_ONLY.match(after)
        match.present = match.present or present
        if present:
            match.delegate = match.delegate or bool(_DELEGATION_CUE.search(an.sents[m.sent].text))
    home_names = {o.name for o in an.orgs if o.role == "home"}
    national = _national_home(an)
    for p in people:
        org = an.org_by_text(p.organization) if p.organization else None
        title = " ".join(p.titles)
        lead = _lead_in(an, p)
        foreign_org = bool(p.organization) and _is_foreign_place(p.organization or "", an.lex, an.places.home_country)
        if national and _FOREIGN_TITLE.search(title) and (org is None or org.role == "home") and \
                _hosts_as_home(an, p, home_words):
            p.side = "home"  # the national agency's own ambassador or consul hosting its event
        elif _FOREIGN_TITLE.search(title):
            p.side = "facilitator"
        elif org is not None and org.role in {"home", "counterpart", "facilitator"}:
            p.side = org.role
        elif p.organization and p.organization in home_names:
            p.side = "home"
        elif foreign_org or _foreign(title, an.lex, an.places.home_country, home_words) or (
                _foreign(lead, an.lex, an.places.home_country, home_words)) or (
                _foreign(_relative_title(an, p), an.lex, an.places.home_country, home_words)):
            p.side = "facilitator" if re.search(r"trade|organi[sz]ation|embassy|chamber", lead, re.I) else "counterpart"
        elif an.places.at_home and p.met_first and (_HOME_TITLE.search(title) or _home_signal(an, p, home_words)):
            p.side = "home"  # visitors received at home called on "Industries Minister X", "Shri Y, ACEO, Invest UP"
        elif p.met_first and not any(w in title for w in home_words):
            p.side = "counterpart"
        elif any(w in title for w in home_words) or _HOME_TITLE.search(title):
            p.side = "home"
        elif _foreign_side(an, p):
            p.side = "counterpart"
        elif (host := _counterpart_host(an, p)) is not None:
            p.side, p.organization = "counterpart", p.organization or host.name
        elif p.met:
            p.side = "counterpart"
        elif p.delegate and _home_signal(an, p, home_words):
            p.side = "home"
        elif p.delegate and (not _BUSINESS_TITLE.search(" ".join([title, lead])) or
                             _DELEGATION_LABEL.match(an.sents[p.sents[0]].text)):
            p.side = "home"
        if p.side != "home":
            p.delegate = False
        elif p.present:
            p.delegate = True  # on the home side and acting in the story, not only named in passing
        else:
            p.side, p.delegate = "mentioned", False
    _delegation_lists(an, people, home_words)
    _table_people(an, people, home_words)
    _numbered_items(an, people)
    _known_people(an, people)
    _email_writers(an, people, home_words)
    for p in people:  # "Author: X, Project Manager, <home office>": the report's writer from the home side
        if p.side in {"home", "mentioned"} and p.sents and _AUTHOR_LINE.match(an.sents[p.sents[0]].text) and \
                _home_signal(an, p, home_words):
            p.side, p.delegate = "home", True
    for p in people:  # a member of another organization's staff is not on the home side's team
        if p.delegate and (_other_side_org(an, p, home_words) or _hosts_delegation(an, p)):
            p.delegate = False
            if p.side == "home":
                p.side = "counterpart"
    return people


_HOST_VERB = re.compile(r"\s+(?:hosted|opened|welcomed|inaugurated|chaired|addressed|led|presented|pitched)\b")
_RELATIVE_TITLE = re.compile(r"^,?\s+who\s+(?:heads|leads|chairs|runs|is|was)\s+(?:the\s+)?([^,;.]{3,80})")


def _hosts_as_home(an: Analysis, p: Person, home_words: set[str]) -> bool:
    """Whether a diplomat of a national home side acts for it: placed in no foreign country by their title and
    hosting or opening the event at their first mention ("Ambassador X hosted the roundtable")."""
    if not p.sents:
        return False
    text = " ".join([*p.titles, _lead_in(an, p)])
    if _foreign(text, an.lex, an.places.home_country, home_words):
        return False
    sent = an.sents[p.sents[0]]
    pos = an.text.find(p.name, sent.start_char, sent.end_char)
    return pos >= 0 and bool(_HOST_VERB.match(an.text, pos + len(p.name)))


def _relative_title(an: Analysis, p: Person) -> str:
    """The office a relative clause gives a person at their first mention ("X, who heads the UAE Ministry of
    Economy, ...")."""
    if not p.sents:
        return ""
    sent = an.sents[p.sents[0]]
    pos = an.text.find(p.name, sent.start_char, sent.end_char)
    m = _RELATIVE_TITLE.match(an.text[pos + len(p.name):sent.end_char]) if pos >= 0 else None
    return m.group(1) if m else ""


def _appositive(an: Analysis, p: Person) -> str:
    """The words that describe a person at their first mention: the title phrase just before the name and the
    apposition just after it ("Shri X, IAS, Principal Secretary, Industries"; "Y (Director, Invest Z)")."""
    if not p.sents:
        return ""
    sent = an.sents[p.sents[0]]
    pos = an.text.find(p.name, sent.start_char, sent.end_char)
    if pos < 0:
        return ""
    after = an.text[pos + len(p.name):min(sent.end_char, pos + len(p.name) + 140)]
    if not re.match(r"\s*[,(–-]", after):
        after = ""
    end = _APPOSITIVE_END.search(after)
    after = after[:end.start()] if end else after
    before = an.text[max(sent.start_char, pos - 160):pos]
    led = re.search(r"\b(?:led|headed)\s+by\s+(?:[A-Z][\w.']*\s+){0,5}$", before)
    group = before[:led.start()][-60:] if led else ""  # "an X team led by Director Y": the team's body
    return f"{group} {_lead_in(an, p)} {after}"


def _home_signal(an: Analysis, p: Person, home_words: set[str]) -> bool:
    """Whether the words describing a person place them in the home government or agency: a minister's or
    secretary's title, a civil service, the home jurisdiction's name or a home organization's name."""
    text = _appositive(an, p)
    if _HOME_SERVICE.search(text):
        return True
    if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text) for w in home_words if len(w) > 1):
        return True
    return any(o.name in text or (o.acronym and re.search(rf"\b{re.escape(o.acronym)}\b", text))
               for o in an.orgs if o.role == "home")


def _names_a_company(an: Analysis, name: str, org_keys: set[str]) -> bool:
    """A name that opens an organization's name ("Tokai Kasei" of "Tokai Kasei Industries Co., Ltd.") or is
    written with a company's ending somewhere ("Vardhan Lithium Ltd") is the company's, not a person's."""
    key = org_key(name)
    if len(key.split()) < 2:
        return False
    if any(k.startswith(key + " ") for k in org_keys):
        return True
    return bool(re.search(re.escape(name) + r"\s+(?:" + _COMPANY_ENDINGS + r")\b", an.text))


_COMPANY_ENDINGS = (r"Ltd|Limited|Pvt|Private|Inc|Corp|Corporation|Co\.|Company|Group|GmbH|AG|B\.V\.|KGaA|LLC|"
                    r"PLC|Pte|Holdings|Industries|Kogyo|Engineering|Electronics|Motors|Technologies|Systems")


_PLACE_COLUMNS = ("venue", "city", "district", "meeting", "company", "sector", "date")


def _in_place_cell(an: Analysis, m: peoplemod.PersonMention) -> bool:
    """A name read inside a table row's venue, city, meeting or company cell is an address or a firm, not a
    person ("Moosacher Str.", "Bosch Campus")."""
    for row in an.table_rows:
        if row.kind in {"mou", "meeting"} and row.start <= m.start < row.end:
            return any(m.name in row.cells.get(c, "") for c in _PLACE_COLUMNS)
    return False


def _hosts_delegation(an: Analysis, p: Person) -> bool:
    """Whether a person's first mention receives, hosts or briefs the delegation rather than belongs to it
    ("Dr. X, Vice President, received the delegation"; "X, who hosted the team")."""
    if not p.sents:
        return False
    sent = an.sents[p.sents[0]]
    pos = an.text.find(p.name, sent.start_char, sent.end_char)
    return pos >= 0 and bool(_ACTS_ON_DELEGATION.match(an.text[pos + len(p.name):sent.end_char]))


def _other_side_org(an: Analysis, p: Person, home_words: set[str]) -> bool:
    """Whether a person's named organization is another side's: a firm, chamber, institute or bank that is not
    home's, or any body of a foreign country (a home department is never one)."""
    if not p.organization or any(w in p.organization for w in home_words if len(w) > 1):
        return False
    words = set(re.findall(r"[\w.&-]+", p.organization))
    if any(o.role == "home" and (o.name == p.organization or (o.acronym and o.acronym in words)) for o in an.orgs):
        return False
    org = an.org_by_text(p.organization)
    if org is None:  # "IHK Region Stuttgart": an organization named after a place abroad
        return _foreign(p.organization, an.lex, an.places.home_country, home_words)
    if org.role == "home" or org.kind == "diplomatic_mission":
        return False
    foreign = org.country is not None and org.country != an.places.home_country
    return foreign or org.kind in _NON_GOVERNMENT_KINDS


_NON_GOVERNMENT_KINDS = {"company", "industry_association", "research_institute", "university",
                         "financial_institution"}


_LEAD_WORDS = {"external", "trade", "organization", "organisation", "chairman", "chairperson", "and", "of", "the",
               "ceo", "president", "minister", "chief", "vice", "deputy", "prime", "foreign", "affairs", "governor",
               "mayor", "senior", "executive", "director", "general", "secretary", "for", "commerce", "industry",
               "industries", "economy", "commissioner", "ambassador", "consul", "managing", "head", "officer"}


def _lead_in(an: Analysis, p: Person) -> str:
    """The title phrase just before a person's first mention ("Japan external trade organization chairman and
    CEO", "Japan Prime Minister"), stopping at the first word that cannot belong to a title."""
    if not p.sents:
        return ""
    sent = an.sents[p.sents[0]]
    pos = an.text.find(p.name, sent.start_char, sent.end_char)
    if pos <= 0:
        return ""
    words = an.text[max(sent.start_char, pos - 80):pos].split()
    kept: list[str] = []
    for w in reversed(words):
        bare = w.strip(",.;:()'’")
        if w in {"(", ")"}:
            continue  # "Japan External Trade Organisation ( JETRO) chairman"
        if w.endswith((",", ";", ":")) or not bare or not (bare[0].isupper() or bare.lower() in _LEAD_WORDS):
            break
        kept.insert(0, bare)
    return " ".join(kept)


_SIDE_NOUN = re.compile(r"\b([A-Z][a-z]+)\s+(?:side|delegation|team|visitors|guests|participants)\b")


def _foreign_side(an: Analysis, p: Person) -> bool:
    """Whether a person is named after "the Korean side", "the German delegation" in the same sentence: the
    foreign side's member, not the home team's."""
    if not p.sents:
        return False
    sent = an.sents[p.sents[0]]
    pos = an.text.find(p.name, sent.start_char, sent.end_char)
    if pos < 0:
        return False
    for m in _SIDE_NOUN.finditer(an.text[sent.start_char:pos]):
        code = an.lex.country_by_demonym.get(m.group(1).lower())
        if code and code != an.places.home_country:
            return True
    return False


def _counterpart_host(an: Analysis, p: Person) -> Org | None:
    """The counterpart organization a person was met at: "... with KPIA, where they met Dr. X"."""
    for i in p.sents:
        sent = an.sents[i]
        pos = an.text.find(p.name, sent.start_char, sent.end_char)
        if pos < 0:
            continue
        lead = an.text[sent.start_char:pos]
        if not (MEETING_CUES.search(lead) or re.search(r"\b(where|hosted by|received by|welcomed by)\b", lead)):
            continue
        hosts = [o for o in an.orgs if o.role == "counterpart" and any(sent.start_char <= q < pos for q in o.positions)]
        if hosts:
            return hosts[-1]
    return None


def _is_foreign_place(text: str, lex: Lexicon, home_country: str | None) -> bool:
    key = text.lower().strip()
    region = lex.jurisdiction(text) or next((j for j in lex.jurisdictions.values() if key in
                                             (d.lower() for d in j.demonyms)), None)
    code = lex.country_of(text) or lex.city_country.get(key) or (region.country if region else None)
    return bool(code) and code != home_country


def _foreign(text: str, lex: Lexicon, home_country: str | None, home_words: set[str]) -> bool:
    """Words that place a title abroad: "Japan Prime Minister", "Governor of Jeollanam-do", "Seoul Mayor"."""
    if not text.strip() or any(w in text for w in home_words if len(w) > 2):
        return False
    words = re.findall(r"[A-Z][\w.-]+(?: [A-Z][\w.-]+)?", text)
    if any(_is_foreign_place(w, lex, home_country) or _is_foreign_place(w.split()[0], lex, home_country)
           for w in words):
        return True
    return bool(re.search(r"\b(of (the )?Republic|Prefecture|Province)\b|\b(Governor|Mayor|President|Minister|"
                          r"Premier) of [A-Z]", text))


_LIST_HEADING = re.compile(r"^\s*(?:(?:\d+(?:\.\d+)*\.?|[IVX]+[.)]|[A-Za-z][.)])\s+)?"
                           r"(?:(?:the|our|state|official|home|indian)\s+)?"
                           r"(?:delegation|delegates|delegation members|members of the delegation|"
                           r"composition of the delegation|team)\s*(?:members)?\s*[:.]?\s*$", re.I)
_HEADING = re.compile(r"^\s*(?:(?:\d+(?:\.\d+)*\.?|[IVX]+[.)])\s+[A-Z][\w ]{0,40}[:.]?|[A-Z][A-Za-z ]{0,40}:)\s*$")


def _delegation_lists(an: Analysis, people: list[Person], home_words: set[str]) -> None:
    """Everyone named in "Members of the delegation (A, B, and C)" is a delegate; and so is everyone listed
    under a heading that names the delegation ("1. Delegation", "Delegation members:"), up to the next heading
    or blank line, unless the people are on another side."""
    listed: set[int] = set()
    in_list, heading = False, -1
    for i, s in enumerate(an.sents):
        text = s.text.strip()
        if _LIST_HEADING.match(text):
            in_list, heading = True, i
            continue
        if in_list and (_HEADING.match(text) or (i > heading + 1 and an.paragraphs[i] != an.paragraphs[i - 1] and
                                                 "\n\n" in an.text[an.sents[i - 1].end_char:s.start_char])):
            in_list = False
        if in_list:
            listed.add(i)
        if re.search(r"\b(members of|delegation (included|comprised|comprising|consisting)|delegation (led )?by)\b",
                     s.text, re.I):
            listed.add(i)
    for p in people:
        if p.side in {"home", "mentioned"} and any(i in listed for i in p.sents):
            if not p.delegate and _BUSINESS_TITLE.search(_appositive(an, p)) and \
                    not _home_signal(an, p, home_words):
                continue  # a firm's officer named among the visits, not one of the team
            p.side, p.delegate = "home", True


def _table_people(an: Analysis, people: list[Person], home_words: set[str]) -> None:
    """A person in a meeting table's row is the met company's ("Robert Bosch GmbH | Mr. X, SVP"); a person in
    a row of a list of names whose row names the home side ("Shri X | Director | Department of Industries,
    Punjab") is a delegate."""
    home_orgs = [o for o in an.orgs if o.role == "home"]
    for p in people:
        if not p.sents:
            continue
        sent = an.sents[p.sents[0]]
        pos = an.text.find(p.name, sent.start_char, sent.end_char)
        row = next((r for r in an.table_rows if r.start <= pos < r.end), None) if pos >= 0 else None
        if row is None or row.total:
            continue
        if row.kind in {"meeting", "mou"} and row.company and p.name not in row.company:
            org = an.org_by_text(row.company)
            if org is not None and org.role == "home":
                continue
            p.side, p.delegate = "counterpart", False
            p.organization = p.organization or (org.name if org else row.company)
        elif row.kind == "other" and p.side in {"home", "mentioned"} and (
                any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", row.text) for w in home_words if len(w) > 2) or
                any(o.name in row.text or (o.acronym and o.acronym in row.text) for o in home_orgs)):
            p.side, p.delegate = "home", True


_AUTHOR_LINE = re.compile(r"^\s*(?:author|prepared by|submitted by|reported by|compiled by|report by)\s*:", re.I)
_MESSAGE_START = re.compile(r"^[>\s]*(?:From:|-+\s*(?:Original|Forwarded) [Mm]essage|On .{5,80} wrote:)", re.M)
_FIRST_PERSON_PART = re.compile(r"\b(?:I|[Ww]e)\s+(?:\w+\s+)?(?:met|was in|were in|was part of|attended|covered|"
                                r"visited|led|joined|accompanied|called on|presented|pitched|briefed|explained|"
                                r"toured|held (?:talks|discussions|meetings))\b")


def _email_writers(an: Analysis, people: list[Person], home_words: set[str]) -> None:
    """In an e-mail, the writer of a message who tells in the first person that they met or accompanied the
    other side ("I met the delegation", "I was in the team that met X") is on the team when their signature or
    address names the home side; a writer who only forwards or directs is not."""
    if an.genre != "email":
        return
    text = an.text
    starts = [m.start() for m in _MESSAGE_START.finditer(text)]
    bounds = list(zip([0, *starts], [*starts, len(text)], strict=True))
    home_orgs = [o for o in an.orgs if o.role == "home"]
    for a, b in bounds:
        body = text[a:b]
        if not _FIRST_PERSON_PART.search(body):
            continue
        lines = [ln.lstrip("> ").strip() for ln in body.splitlines()]
        for p in people:
            if p.side not in {"home", "mentioned"}:
                continue
            at = [k for k, ln in enumerate(lines) if ln == p.name or ln.startswith((f"{p.name} |", f"{p.name},"))
                  or re.match(rf"From:\s*{re.escape(p.name)}\s*<", ln)]
            block = " ".join(" ".join(lines[k:k + 4]) for k in at)
            if not block:
                continue
            if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", block) for w in home_words if len(w) > 2) or any(
                    o.name in block or (o.acronym and re.search(rf"\b{re.escape(o.acronym)}\b", block))
                    for o in home_orgs):
                p.side, p.delegate = "home", True


_ITEM = re.compile(r"^\s*\d+(?:\.\d+)+\.?\s+\S")


def _known_people(an: Analysis, people: list[Person]) -> None:
    """A person the knowledge base knows keeps the organization it knows them by, when the text names none;
    that organization's role then gives their side ("Hayashi Yoshikazu" of KPIA, met in Osaka)."""
    for k in an.doc._.known_people or []:
        org_name = k.get("organization")
        if not org_name:
            continue
        for p in people:
            if p.organization or not peoplemod.same_person(p.name, str(k["name"])):
                continue
            org = an.org_by_text(str(org_name))
            p.organization = org.name if org else str(org_name)
            if org is not None and org.role in {"counterpart", "facilitator", "home"} and p.side == "mentioned":
                p.side = org.role
                p.delegate = org.role == "home" and p.present


def _numbered_items(an: Analysis, people: list[Person]) -> None:
    """In minutes and reports, "3.3 Dassault Systèmes, Paris (17 June). Ms. X, Director, proposed ...": the people
    of a numbered meeting item, up to the next item, are the met organization's, not the delegation's."""
    if an.genre not in {"minutes", "tour_report", "itinerary"}:
        return
    item_org: Org | None = None
    owner: dict[int, Org] = {}
    for i, s in enumerate(an.sents):
        if _ITEM.match(s.text):
            item_org = None
            if i in an.meeting_sents:
                named = sorted((o for o in an.orgs if i in o.sents and o.role in {"counterpart", "facilitator"}),
                               key=lambda o: min(p for p, k in zip(o.positions, o.sents, strict=True) if k == i))
                item_org = named[0] if named else None
        elif i > 0 and an.paragraphs[i] != an.paragraphs[i - 1] and not _ITEM.match(s.text) and \
                "\n" in an.text[an.sents[i - 1].end_char:s.start_char] and item_org is not None and \
                not an.text[s.start_char:s.end_char].startswith((" ", "\t")):
            item_org = None
        if item_org is not None:
            owner[i] = item_org
    for p in people:
        if p.side not in {"home", "mentioned"} or not p.sents or p.sents[0] not in owner:
            continue
        org = an.org_by_text(p.organization) if p.organization else None
        if org is not None and org.role == "home":
            continue
        title = " ".join(p.titles)
        if _HOME_TITLE.search(title) and not p.organization:
            continue
        p.side, p.delegate = owner[p.sents[0]].role, False
        p.organization = p.organization or owner[p.sents[0]].name


__all__ = ["find_sides", "home_words_of", "make_sides"]
