"""Domain lexicons and cue patterns, read once from ``lexicons/*.tsv`` and ``patterns/*.jsonl``.

Nothing here is
spelled in code: adding a city, a title word, an organization head or a cue is an edit to a data file."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("investdesk.extraction").joinpath(f"lexicons/{name}").read_text(encoding="utf-8")
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
    country_names: dict[str, list[str]] = field(default_factory=dict)  # JP -> ["Japan"], names as written
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
        lex.country_names[row["code"]] = _split(row["names"])
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


def _words(name: str) -> frozenset[str]:
    return frozenset(r["word"] for r in _rows(name))


def _cues() -> tuple[dict[str, re.Pattern[str]], dict[str, list[tuple[str, re.Pattern[str]]]]]:
    text = resources.files("investdesk.extraction").joinpath("patterns/cues.jsonl").read_text(encoding="utf-8")
    single: dict[str, re.Pattern[str]] = {}
    lists: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            rx = re.compile(row["pattern"], re.I if row.get("ignore_case") else 0)
        except (ValueError, KeyError, re.error) as exc:
            raise ValueError(f"patterns/cues.jsonl line {n}: {exc}") from None
        if "value" in row:
            lists.setdefault(row["label"], []).append((row["value"], rx))
        else:
            single[row["label"]] = rx
    return single, lists


def cue(label: str) -> re.Pattern[str]:
    """A cue pattern from ``patterns/cues.jsonl`` by its label."""
    return _CUES[label]


def cue_list(label: str) -> list[tuple[str, re.Pattern[str]]]:
    """(value, pattern) of every cue with this label, in file order: the first that matches decides."""
    return _CUE_LISTS.get(label, [])


_CUES, _CUE_LISTS = _cues()
_NAMED = _rows("named_heads.tsv")

# Words that make a capitalised phrase an organization, and which kind it is. Order matters: the
# first matching rule decides.
ORG_KIND_RULES: list[tuple[str, re.Pattern[str]]] = [(r["kind"], re.compile(r["pattern"]))
                                                    for r in _rows("org_kinds.tsv")]
# A capitalised phrase ending with one of these heads is an organization candidate.
ORG_HEADS = _words("org_heads.tsv")
POLICY_HEADS = frozenset(r["word"] for r in _NAMED if r["category"] == "policy")
EVENT_HEADS = frozenset(r["word"] for r in _NAMED if r["category"] == "event")
OFFERING_HEADS = {r["word"]: r["kind"] for r in _NAMED if r["category"] == "offering"}
HONORIFICS = [r["honorific"] for r in _rows("honorifics.tsv")]
# Words that open or form a person's title ("Director General", "Chief Minister", "CEO"); heads end one.
TITLE_WORDS = frozenset(r["word"] for r in _rows("titles.tsv") if r["use"] != "head")
TITLE_HEADS = frozenset(r["word"] for r in _rows("titles.tsv") if r["use"] != "word")
PORTFOLIO_WORDS = _words("portfolio_words.tsv")  # a minister's or director's remit ("IT and Industries")
VENUE_HEADS = _words("venue_heads.tsv")
NOT_ORG_WORDS = _words("not_org_words.tsv")
NOT_ORG_HEADS = _words("not_org_heads.tsv")
# Labels and amounts a line glues to a name ("Subject", "Place", "Visit of", "for Rs"), by the edge they sit on.
ORG_EDGE_WORDS = {edge: frozenset(r["words"] for r in _rows("org_edge_words.tsv") if r["edge"] == edge)
                  for edge in ("lead", "tail")}  # a phrase ending in one is a room, a desk or a delegation
NOT_PERSON_WORDS = _words("not_person_words.tsv")  # a name with one after its first word is a place or a scheme
COUNTRY_NAMES = frozenset(n for r in _rows("countries.tsv") for n in _split(r["names"]))
DEMONYMS = frozenset(d for r in _rows("countries.tsv") for d in _split(r["demonyms"]))

MEETING_CUES = cue("meeting")
# An investor's own commitment: a company named here is a counterpart even when no meeting is told.
COMMITMENT_CUES = cue("commitment")
# "in Kancheepuram and Tiruvallur districts", "near Tumakuru district": names of places, not organizations.
DISTRICT_PHRASE = cue("district_phrase")
TIME_SHIFT = cue("time_shift")


@lru_cache(maxsize=1)
def table_headers() -> dict[str, list[str]]:
    """Column -> the header words that name it ("company": "investor", "name of the company", ...)."""
    return {r["column"]: _split(r["words"]) for r in _rows("table_headers.tsv")}


@lru_cache(maxsize=1)
def home_bodies() -> dict[str, list[tuple[str, str]]]:
    """A home jurisdiction's name (or a country's code, for a national agency) -> its own promotion agencies and
    industrial bodies, as (name, acronym): "MIDC" and "iNDEXTb" are the state's side wherever they appear."""
    bodies: dict[str, list[tuple[str, str]]] = {}
    for r in _rows("home_bodies.tsv"):
        bodies.setdefault(r["home"].lower(), []).append((r["name"], r.get("acronym") or ""))
    return bodies


@lru_cache(maxsize=1)
def national_bodies() -> dict[str, str]:
    """A national promotion agency's name or acronym, lower-cased -> its country's code ("department for business
    and trade" -> GB, "jetro" -> JP): the rows of ``home_bodies.tsv`` whose home is a country."""
    found: dict[str, str] = {}
    for r in _rows("home_bodies.tsv"):
        if re.fullmatch(r"[A-Z]{2}", r["home"]):
            found.setdefault(r["name"].lower(), r["home"])
            if r.get("acronym"):
                found.setdefault(r["acronym"].lower(), r["home"])
    return found
