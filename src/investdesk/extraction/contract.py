"""The extraction output contract, ``investdesk.extraction/1``.

These models serialise to exactly the JSON described in
``contract/extraction.md``: every list may be empty, every unknown scalar is
``null``. The shape is a public interface read by other tools, so fields are
only ever added (and then as optional ones).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_ID = "investdesk.extraction/1"

Side = Literal["home", "counterpart", "facilitator", "mentioned"]
OrgKind = Literal[
    "company",
    "industry_association",
    "government_agency",
    "investment_promotion_agency",
    "research_institute",
    "university",
    "diplomatic_mission",
    "platform_network",
    "financial_institution",
    "other",
]
OfferingKind = Literal["industrial_park", "cluster", "corridor", "incubator", "fund", "scheme", "other"]
OpportunityKind = Literal[
    "manufacturing_base",
    "rnd_centre",
    "manufacturing_rnd_base",
    "joint_venture",
    "technology_transfer",
    "co_development",
    "research_partnership",
    "training_exchange",
    "startup_soft_landing",
    "gcc",
    "supply_agreement",
    "investment",
    "other",
]
OpportunityStage = Literal["discussed", "interest_expressed", "mou_expected", "mou_signed", "committed"]
OutcomeKind = Literal[
    "mou_signed",
    "mou_expected",
    "interest_expressed",
    "investment_committed",
    "joint_venture",
    "technology_transfer",
    "pilot_project",
    "follow_up_visit",
    "other",
]
AmountUnit = Literal["thousand", "lakh", "million", "crore", "billion", "trillion"]


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Item):
    path: str | None = None
    sha256: str | None = None
    title: str | None = None
    published: str | None = None


class Home(_Item):
    jurisdiction: str | None = None
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2")


class Destination(_Item):
    country: str = Field(description="ISO 3166-1 alpha-2")
    cities: list[str] = Field(default_factory=list)


class Delegate(_Item):
    name: str
    honorific: str | None = None
    titles: list[str] = Field(default_factory=list)
    organization: str | None = None
    evidence: str | None = None


class Person(_Item):
    name: str
    honorific: str | None = None
    titles: list[str] = Field(default_factory=list)
    organization: str | None = None
    side: Side = "mentioned"
    evidence: str | None = None


class Organization(_Item):
    name: str
    acronym: str | None = None
    kind: OrgKind = "other"
    country: str | None = None
    role: Side = "mentioned"
    evidence: str | None = None


class Engagement(_Item):
    counterparts: list[str] = Field(default_factory=list)
    city: str | None = None
    venue: str | None = None
    date: str | None = None
    sectors: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    evidence: str | None = None


class Policy(_Item):
    name: str
    evidence: str | None = None


class Offering(_Item):
    name: str
    kind: OfferingKind = "other"
    evidence: str | None = None


class Amount(_Item):
    value: float
    currency: str = Field(description="ISO 4217 code, e.g. INR, USD, JPY")
    unit: AmountUnit | None = None
    value_usd: float | None = None


class Opportunity(_Item):
    counterpart: str | None = None
    kind: OpportunityKind = "other"
    sectors: list[str] = Field(default_factory=list)
    stage: OpportunityStage = "discussed"
    amount: Amount | None = None
    jobs: int | None = None
    location: str | None = None
    evidence: str | None = None


class Outcome(_Item):
    kind: OutcomeKind
    parties: list[str] = Field(default_factory=list)
    amount: Amount | None = None
    evidence: str | None = None


class Event(_Item):
    name: str
    city: str | None = None
    evidence: str | None = None


class Extraction(_Item):
    schema_: Literal["investdesk.extraction/1"] = Field(default="investdesk.extraction/1", alias="schema")
    source: Source = Field(default_factory=Source)
    home: Home = Field(default_factory=Home)
    destinations: list[Destination] = Field(default_factory=list)
    delegates: list[Delegate] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    organizations: list[Organization] = Field(default_factory=list)
    engagements: list[Engagement] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)
    policies: list[Policy] = Field(default_factory=list)
    offerings: list[Offering] = Field(default_factory=list)
    opportunities: list[Opportunity] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    # Optional and additive: whether ``home`` is the agency's own jurisdiction (INVESTDESK_HOME_JURISDICTION);
    # null when the extractor was not told the agency's jurisdiction.
    home_is_agency: bool | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def to_json_dict(self) -> dict[str, Any]:
        """The contract's JSON object (``schema`` first, every key present)."""
        return self.model_dump(mode="json", by_alias=True)


def json_schema() -> dict[str, object]:
    """JSON Schema of the contract, for ``investdesk extract --schema``."""
    return Extraction.model_json_schema(by_alias=True)
