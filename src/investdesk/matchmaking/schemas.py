"""Matchmaking answers: every score an explainable sum of named signals, each shown with its weight."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_WEIGHTS: dict[str, float] = {
    "sector": 3.0,            # per sector in common
    "foreign": 2.0,           # a foreign organization, for a policy that asks for foreign capital
    "city": 2.0,              # in one of the trip's cities
    "meeting": 1.0,           # per meeting held (at most 5 counted)
    "recent_meeting": 2.0,    # met within the last year
    "open_lead": 4.0,         # per open lead (identified, engaged, interested)
    "interest": 3.0,          # per lead at stage interested: interest expressed
    "mou": 2.0,               # per MoU it is a party to (within the reader's scope)
    "document": 0.5,          # per document that mentions it (at most 5 counted)
    "overdue_followup": 5.0,  # per overdue follow-up on it or its leads
}
SIGNAL_LABELS = {
    "sector": "sectors in common", "foreign": "foreign investor", "city": "in a city of the trip",
    "meeting": "meetings held", "recent_meeting": "met in the last year", "open_lead": "open leads",
    "interest": "interest expressed", "mou": "MoUs signed", "document": "documents that mention it",
    "overdue_followup": "overdue follow-ups",
}


class Signal(BaseModel):
    name: str
    label: str
    count: float
    weight: float
    points: float
    detail: str = ""


class Match(BaseModel):
    kind: Literal["organization", "offering", "policy"]
    id: str
    name: str
    score: float
    signals: list[Signal]
    country: str | None = None
    city: str | None = None
    tier: Literal["follow_up", "new"] | None = None
    last_contact: dt.date | None = None
    contact_person: str | None = None
    url: str = ""


class Target(BaseModel):
    kind: Literal["offering", "policy", "organization", "trip"]
    id: str
    name: str
    sectors: list[str]
    sectors_note: str = ""


class MatchResult(BaseModel):
    target: Target
    weights: dict[str, float]
    total: int
    matches: list[Match]


class TripIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    country: str = Field(min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$", description="ISO 3166 code.")
    cities: list[str] = Field(default_factory=list, max_length=20)
    sectors: list[str] = Field(default_factory=list, max_length=20)
