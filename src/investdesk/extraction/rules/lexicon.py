"""Domain lexicons read from the data files beside this module: places, sectors, cue words."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("investdesk.extraction.rules").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


@dataclass(frozen=True)
class Jurisdiction:
    name: str
    country: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]


@dataclass
class Lexicon:
    country_by_name: dict[str, str] = field(default_factory=dict)      # "japan" -> JP
    country_by_demonym: dict[str, str] = field(default_factory=dict)   # "japanese" -> JP
    city_country: dict[str, str] = field(default_factory=dict)         # "osaka" -> JP
    city_names: dict[str, str] = field(default_factory=dict)           # "osaka" -> "Osaka"
    jurisdictions: dict[str, Jurisdiction] = field(default_factory=dict)  # any name/alias lower -> jurisdiction
    sector_terms: dict[str, list[str]] = field(default_factory=dict)   # sector id -> terms
    jurisdiction_re: re.Pattern[str] = re.compile("(?!)")
    country_re: re.Pattern[str] = re.compile("(?!)")
    demonym_re: re.Pattern[str] = re.compile("(?!)")

    def country_of(self, text: str) -> str | None:
        key = text.lower().strip()
        return self.country_by_name.get(key) or self.country_by_demonym.get(key)

    def jurisdiction(self, text: str) -> Jurisdiction | None:
        return self.jurisdictions.get(text.lower().strip())


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    lex = Lexicon()
    for row in _rows("countries.tsv"):
        for name in _split(row["names"]):
            lex.country_by_name[name.lower()] = row["code"]
        for dem in _split(row["demonyms"]):
            lex.country_by_demonym[dem.lower()] = row["code"]
    for row in _rows("cities.tsv"):
        lex.city_country[row["city"].lower()] = row["country"]
        lex.city_names[row["city"].lower()] = row["city"]
    for row in _rows("jurisdictions.tsv"):
        j = Jurisdiction(row["name"], row["country"], tuple(_split(row["aliases"])), tuple(_split(row["demonyms"])))
        # A full name wins over someone else's alias ("Georgia" the state, not an abbreviation).
        lex.jurisdictions.setdefault(j.name.lower(), j)
        short = re.sub(r"\s+(State)$", "", j.name)
        lex.jurisdictions.setdefault(short.lower(), j)
    for row in _rows("jurisdictions.tsv"):
        j = lex.jurisdictions[row["name"].lower()]
        for alias in _split(row["aliases"]):
            lex.jurisdictions.setdefault(alias.lower(), j)
    for row in _rows("sector_terms.tsv"):
        lex.sector_terms[row["sector"]] = _split(row["terms"])
    countries = [n for row in _rows("countries.tsv") for n in _split(row["names"])]
    demonyms = [n for row in _rows("countries.tsv") for n in _split(row["demonyms"])]
    places = [r["name"] for r in _rows("jurisdictions.tsv")] + \
        [r["name"][: -len(" State")] for r in _rows("jurisdictions.tsv") if r["name"].endswith(" State")] + \
        [a for r in _rows("jurisdictions.tsv") for a in _split(r["aliases"]) if a.isupper() or len(a) > 3]
    lex.jurisdiction_re, lex.country_re, lex.demonym_re = name_regex(places), name_regex(countries), \
        name_regex(demonyms)
    return lex


def name_regex(names: list[str]) -> re.Pattern[str]:
    """One pattern for a list of names: all-caps and short ones match case-sensitively ("UP", "UAE"),
    the others in any case, always as whole words."""
    exact = sorted({n for n in names if n.isupper() or len(n) <= 3}, key=len, reverse=True)
    loose = sorted({n for n in names if n not in exact}, key=len, reverse=True)
    parts = [re.escape(n) for n in exact] + ["(?i:" + "|".join(re.escape(n) for n in loose) + ")"] if loose else \
        [re.escape(n) for n in exact]
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


# Words that make a capitalised phrase an organization, and which kind it is. Order matters: the
# first matching rule decides.
ORG_KIND_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("diplomatic_mission", re.compile(r"\b(Embassy|Consulate|High Commission|Consul(ate)? General|Mission of)\b")),
    ("investment_promotion_agency", re.compile(
        r"^(Invest|Guidance)\b|\bInvest (India|[A-Z][a-z]+)$|\bInvestment Promotion\b|\bTrade and Investment\b|"
        r"\bExternal Trade Organi[sz]ation\b|\bTrade Promotion\b|\b(JETRO|KOTRA|Invest India|iNDEXTb|MIDC)\b|"
        r"\bInvestment (Authority|Agency|Board)\b|\bEconomic Development (Board|Agency|Corporation)\b|"
        r"\bExport Promotion\b|\bIndustrial Guidance\b|\bSingle Window\b")),
    ("university", re.compile(r"\b(University|College|IIT|IIM|Polytechnic|Institute of Technology|"
                              r"Institute of Science)\b")),
    ("industry_association", re.compile(
        r"\b(Association|Federation|Chamber|Chambers|Confederation|Keidanren|Society|Guild|Council of|"
        r"Industries Association|Business Council|Trade Council|Manufacturers)\b|^(FICCI|CII|ASSOCHAM|NASSCOM)$|"
        r"\b(Business|Professional|Trade|Industry|Industrial|Export)\b.*\bCouncil\b")),
    ("government_agency", re.compile(
        r"\b(Department|Ministry|Government|Govt|Authority|Board|Commission|Directorate|Secretariat|Prefecture|Province|"
        r"Municipal|Administration|Agency|Development Corporation|Industrial Development|Nodal|Bureau)\b")),
    ("research_institute", re.compile(
        r"\b(Institute|Research|Laboratory|Laboratories|Lab|Labs|Academy|Centre for|Center for|Technology Center|"
        r"Research Center|Research Centre)\b")),
    ("financial_institution", re.compile(
        r"\b(Bank|Banking|Capital|Fund|Funds|Finance|Financial|Insurance|Securities|Asset Management|Ventures)\b")),
    ("platform_network", re.compile(r"\b(Platform|Network|Alliance|Consortium)\b|-J$")),
    ("company", re.compile(
        r"\b(Co|Co\.|Ltd|Ltd\.|Limited|Inc|Inc\.|Corp|Corp\.|Corporation|Company|Group|Holdings|LLC|PLC|GmbH|AG|"
        r"K\.K\.|Pvt|Private|Industries|Industry|Motors|Electric|Electronics|Systems|Technologies|Technology|"
        r"Solutions|Works|Manufacturing|Steel|Chemicals|Pharma|Pharmaceuticals|Energy|Power|Automotive|Engineering|"
        r"Enterprises|Brake|Machinery|Materials|Metal|Metals|Motor|Cells|Innovation|Logistics|Foods|Textiles|Auto|"
        r"Shoji|Shipbuilding|Semiconductor|Semiconductors|Robotics|Aviation|Airlines|Devices|Tech)\b")),
]

# A capitalised phrase ending with one of these heads is an organization candidate.
ORG_HEADS = {
    "association", "federation", "chamber", "confederation", "council", "society", "institute", "university",
    "college", "laboratory", "laboratories", "lab", "academy", "centre", "center", "agency", "authority", "board",
    "commission", "department", "ministry", "government", "directorate", "embassy", "consulate", "bank", "fund",
    "corporation", "company", "co", "ltd", "limited", "inc", "corp", "group", "holdings", "llc", "plc", "gmbh",
    "ag", "industries", "motors", "electric", "electronics", "systems", "technologies", "solutions", "works",
    "organisation", "organization", "platform", "network", "alliance", "consortium", "keidanren", "prefecture",
    "brake", "cells", "innovation", "pharma", "pharmaceuticals", "steel", "foundation", "trust", "bureau",
    "mission", "secretariat", "administration", "enterprises", "engineering", "machinery", "shoji", "partners",
    "province", "robotics", "components", "materials", "logistics", "chemicals", "foods", "textiles", "batteries",
    "semiconductors", "devices", "airlines", "shipbuilding", "aerospace", "automotive", "ventures", "capital",
}

POLICY_HEADS = {"policy", "policies", "scheme", "programme", "program", "act", "yojana", "mission", "initiative"}
EVENT_HEADS = {"summit", "conclave", "roadshow", "road show", "expo", "exposition", "fair", "week", "conference",
               "festival", "exhibition", "meet", "show", "forum", "dialogue", "symposium", "seminar", "convention"}
OFFERING_HEADS = {"park": "industrial_park", "parks": "industrial_park", "cluster": "cluster",
                  "clusters": "cluster", "corridor": "corridor", "corridors": "corridor", "incubator": "incubator",
                  "fund": "fund", "zone": "other", "zones": "other", "sez": "other", "estate": "industrial_park",
                  "hub": "other", "city": "other", "valley": "other"}

HONORIFICS = ["His Excellency", "Her Excellency", "His Highness", "Her Highness", "H.E.", "HE", "The Honorable",
              "The Honourable", "Honorable", "Honourable", "Hon'ble", "Hon.", "Hon", "Dr.", "Dr", "Mr.", "Mr", "Mrs.",
              "Mrs", "Ms.", "Ms", "Prof.", "Prof", "Professor", "Shri", "Sri", "Smt.", "Smt", "Sir", "Dame",
              "Tan Sri", "Datuk Seri", "Dato' Sri", "Datuk", "Dato'", "Dato", "Sheikh", "Thiru", "Tmt."]

# Words that open or form a person's title ("Director General", "Chief Minister", "CEO").
TITLE_WORDS = {
    "advisor", "adviser", "ambassador", "assistant", "additional", "associate", "board", "cabinet", "ceo", "cfo",
    "chair", "chairman", "chairperson", "chairwoman", "chief", "cmd", "commissioner", "consul", "coo", "cto",
    "councillor", "councilor", "counsellor", "deputy", "director", "executive", "founder", "general", "governor",
    "head", "joint", "lieutenant", "manager", "managing", "mayor", "member", "minister", "officer", "md", "partner",
    "premier", "president", "principal", "secretary", "senior", "special", "vice", "leader", "representative",
    "undersecretary", "co-founder", "high", "envoy", "speaker", "mp", "mla", "governor-general",
    "superintendent", "collector", "magistrate", "state", "industries", "industry", "finance", "commerce",
    "it", "trade", "prime", "foreign", "union", "external", "affairs", "operating", "technology", "officials",
    "lt", "lieut",
}
TITLE_HEADS = {
    "advisor", "adviser", "ambassador", "ceo", "cfo", "chairman", "chairperson", "chairwoman", "chair", "cmd",
    "commissioner", "consul", "coo", "cto", "director", "founder", "co-founder", "governor", "head", "manager",
    "mayor", "minister", "officer", "md", "president", "premier", "secretary", "general", "envoy", "representative",
    "collector", "magistrate", "partner", "leader", "chancellor", "vice-chancellor", "counsellor",
}

MEETING_CUES = re.compile(
    r"\b(met|meet|meets|meeting|meetings|held (talks|discussions|meetings|a meeting)|talks with|discussions? with|"
    r"discussed|engaged (in|with)|interacted|interaction|interactions|visited|visit(ed)? with|toured|tour|called on|"
    r"lunch with|dinner with|breakfast with|hosted|signed|inked|exchanged|roundtable|round table|one-on-one|"
    r"one-to-one|b2b|courtesy call|dialogue)\b", re.I)

# "in Kancheepuram and Tiruvallur districts", "near Tumakuru district": names of places, not organizations.
DISTRICT_PHRASE = re.compile(r"\b(?:in|at|near|across)\s+((?:[A-Z][a-z]+(?:,\s*|\s+and\s+|\s+))+"
                             r"(?:districts?|counties|county|regions?|provinces?|taluks?|tehsils?))\b")

# An investor's own commitment: a company named here is a counterpart even when no meeting is told.
COMMITMENT_CUES = re.compile(
    r"\b(will invest|to invest|plans to invest|has committed|committed|is investing|announced an investment|"
    r"will set up|plans to set up|will build|proposed (an? )?(additional |new |fresh )?investment|"
    r"(showed|shown|expressed|evinced) (keen |strong )?interest in (setting up|investing|building|expanding)|"
    r"signed an? (MoU|memorandum|agreement|letter of intent)|(would|will) open|announced (that|plans))\b", re.I)

TIME_SHIFT = re.compile(
    r"^(the )?(following|next|previous) day\b|^on (the|his|her|their) (first|second|third|fourth|fifth|last|final)"
    r" day\b|^(later|earlier)\b|^on (monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
