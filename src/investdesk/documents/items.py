"""An extraction turned into reviewable items, each with its evidence located in the document text."""

from __future__ import annotations

import csv
import re
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel

from investdesk.extraction import Extraction
from investdesk.extraction import contract as c
from investdesk.extraction.normalize import normalize_person
from investdesk.models import ExtractedItem
from investdesk.models.enums import ItemState


class OpportunityItem(c.Opportunity):
    """A lead as read, whose stage a reviewer may set in the pipeline's words (identified, engaged ...)."""

    stage: Literal["discussed", "interest_expressed", "mou_expected", "mou_signed", "committed",
                   "identified", "engaged", "interested"] = "discussed"  # type: ignore[assignment]


# The contract model each item field holds; an edit is validated against it.
ITEM_MODELS: dict[str, type[BaseModel]] = {
    "organizations": c.Organization,
    "people": c.Person,
    "delegates": c.Delegate,
    "engagements": c.Engagement,
    "opportunities": OpportunityItem,
    "offerings": c.Offering,
    "policies": c.Policy,
}
FIELDS = ("mission", *ITEM_MODELS)
# Accepting in this order means what an item refers to (an engagement's counterparts) exists first.
ACCEPT_ORDER = {f: i for i, f in enumerate(("organizations", "people", "delegates", "mission", "engagements",
                                            "opportunities", "offerings", "policies"))}


class MissionItem(BaseModel):
    """The document's delegation: who went where, when."""

    name: str
    home_jurisdiction: str | None = None
    home_country: str | None = None
    countries: list[str] = []
    cities: list[str] = []
    start_date: date | None = None
    end_date: date | None = None
    evidence: str | None = None


ITEM_MODELS_ALL: dict[str, type[BaseModel]] = {"mission": MissionItem, **ITEM_MODELS}


class EvidenceLocator:
    """Finds each evidence sentence in the text once: exactly, else with any run of whitespace."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._seen: dict[str, tuple[int, int] | None] = {}

    def span(self, sentence: str | None) -> tuple[int, int] | None:
        if not sentence:
            return None
        if sentence in self._seen:
            return self._seen[sentence]
        start = self.text.find(sentence)
        found: tuple[int, int] | None = (start, start + len(sentence)) if start >= 0 else None
        if found is None:
            words = sentence.split()
            if words:
                m = re.search(r"\s+".join(re.escape(w) for w in words), self.text)
                found = (m.start(), m.end()) if m else None
        self._seen[sentence] = found
        return found


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    text = resources.files("investdesk.extraction").joinpath("lexicons/countries.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader([ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")], delimiter="\t")
    return {r["code"].upper(): r["names"].split("|")[0] for r in rows}


def country_name(code: str) -> str:
    """"Japan" for JP; an unknown code as it is."""
    return _country_names().get(code.upper(), code)


def _iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def mission_of(extraction: Extraction, title: str | None) -> MissionItem | None:
    """A delegation when the document names delegates or places visited abroad."""
    home = extraction.home
    abroad = [d for d in extraction.destinations if d.country != (home.country or "")]
    if not extraction.delegates and not abroad:
        return None
    countries = [d.country for d in abroad]
    cities = [city for d in abroad for city in d.cities]
    dates = sorted(d for d in (_iso(e.date) for e in extraction.engagements) if d)
    who = home.jurisdiction or (extraction.delegates[0].organization if extraction.delegates else None) or "Delegation"
    where = " and ".join(", ".join(country_name(c) for c in countries).rsplit(", ", 1)) if countries else None
    name = f"{who} delegation to {where}" if where else (title or f"{who} delegation")
    evidence = next((d.evidence for d in extraction.delegates if d.evidence), None)
    return MissionItem(name=name[:300], home_jurisdiction=home.jurisdiction, home_country=home.country,
                       countries=countries, cities=cities, start_date=dates[0] if dates else None,
                       end_date=dates[-1] if dates else None, evidence=evidence)


def build_items(extraction: Extraction, text: str, *, title: str | None = None) -> list[ExtractedItem]:
    """One pending item per extracted record, with its evidence span in ``text`` where it can be found."""
    locate = EvidenceLocator(text)
    out: list[ExtractedItem] = []

    def add(field: str, position: int, payload: dict[str, Any]) -> None:
        span = locate.span(payload.get("evidence"))
        out.append(ExtractedItem(field=field, position=position, payload=payload, state=ItemState.pending,
                                 evidence_start=span[0] if span else None, evidence_end=span[1] if span else None))

    mission = mission_of(extraction, title)
    if mission is not None:
        add("mission", 0, mission.model_dump(mode="json"))
    for field in ITEM_MODELS:
        for i, item in enumerate(getattr(extraction, field)):
            add(field, i, item.model_dump(mode="json"))
    return out


def words(value: Any) -> str:
    """A vocabulary value in words: ``manufacturing_rnd_base`` -> "manufacturing R&D base"."""
    special = {"rnd": "R&D", "gcc": "GCC", "mou": "MoU"}
    return " ".join(special.get(w, w) for w in str(value or "other").split("_"))


def label(field: str, payload: dict[str, Any]) -> str:
    """A short human label of an item, for lists and messages (vocabulary values in words, never ids)."""
    if field == "engagements":
        return ", ".join(payload.get("counterparts") or []) + (f" in {payload['city']}" if payload.get("city") else "")
    if field == "opportunities":
        return f"{payload.get('counterpart') or 'Unnamed investor'}: {words(payload.get('kind'))}"
    return str(payload.get("name") or "")


def delegate_twins(items: list[ExtractedItem]) -> dict[int, ExtractedItem]:
    """Each delegate item that names a person the document also lists among its people, by that person item.

    The page shows such a person once, marked as a delegate; accepting or rejecting the person does the same
    to the delegate item (which adds the person to the mission)."""
    people = {normalize_person(i.payload.get("name") or ""): i for i in items if i.field == "people"}
    out: dict[int, ExtractedItem] = {}
    for i in items:
        if i.field == "delegates":
            twin = people.get(normalize_person(i.payload.get("name") or ""))
            if twin is not None and twin.id is not None:
                out[twin.id] = i
    return out
