"""The data of each paper, built by the service from the records and rendered by the PDF, DOCX and XLSX writers.

Every row that states a fact carries the record it came from; ``sources`` lists the sentence of the document
it was read from, so a reader can trace each claim.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from investdesk.reports.schemas import (
    ConversionRow,
    DistrictMap,
    DistrictRow,
    FunnelRow,
    GroupTotal,
    LeadRow,
    MouFigures,
    MouWindow,
    OldBlockerRow,
    PipelineGroup,
    StageMoveRow,
    StatusChangeRow,
)


class PaperMeta(BaseModel):
    """What every paper carries: title, who prepared it, when, and the records it was built from."""

    title: str
    subtitle: str = ""
    agency: str
    prepared_by: str
    generated_at: dt.datetime
    built_from: list[str] = Field(default_factory=list, description="The records read, e.g. 'organization 4'.")


class Source(BaseModel):
    """A sentence of a document that a fact of the paper was read from."""

    number: int
    about: str = Field(description="The record the sentence supports, e.g. 'Meeting of 8 July 2025'.")
    sentence: str
    document_id: int | None
    document: str


class OrgProfile(BaseModel):
    id: int
    name: str
    acronym: str | None
    kind: str
    country: str | None
    city: str | None
    website: str | None
    sectors: list[str]
    aliases: list[str]


class PersonRow(BaseModel):
    id: int
    name: str
    titles: list[str]
    organization: str | None
    side: str
    email: str | None = None


class MeetingRow(BaseModel):
    id: int
    date: dt.date | None
    city: str | None
    country: str | None
    title: str
    counterparts: list[str]
    our_side: list[str] = Field(description="People of the home side who attended, with their titles.")
    their_side: list[str]
    topics: list[str]
    outcome: str
    sources: list[int] = Field(default_factory=list, description="Numbers of the paper's sources.")


class MouRow(BaseModel):
    id: int
    title: str
    status: str
    signed_date: dt.date | None
    value_inr_crore: float | None
    jobs: int | None
    district: str | None
    blockers: list[str] = Field(default_factory=list, description="Open blockers, one line each.")
    expected: bool = Field(default=False, description="Not signed yet: a lead at the MoU's door.")


class MatchRow(BaseModel):
    kind: str = Field(description="policy or offering")
    name: str
    detail: str
    sectors: list[str] = Field(description="The subject's sectors it matches.")


class PaperSection(BaseModel):
    """A section contributed by another area (e.g. an incentive estimate): a title, a note and a table."""

    title: str
    note: str = ""
    columns: list[str] = Field(default_factory=list)
    rows: list[list[str]] = Field(default_factory=list)


class Brief(BaseModel):
    meta: PaperMeta
    subject: str = Field(description="organization or person")
    person: PersonRow | None = None
    organization: OrgProfile | None = None
    meetings: list[MeetingRow] = Field(default_factory=list)
    meetings_total: int = 0
    leads: list[LeadRow] = Field(default_factory=list)
    leads_total: int = 0
    mous: list[MouRow] = Field(default_factory=list)
    mous_total: int = 0
    matches: list[MatchRow] = Field(default_factory=list)
    people: list[PersonRow] = Field(default_factory=list)
    people_total: int = 0
    sections: list[PaperSection] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description="What the records do not hold, said plainly.")


class FollowUpRow(BaseModel):
    id: int
    title: str
    on: str
    owner: str | None
    due: dt.date | None
    done: bool


class CityStop(BaseModel):
    city: str
    meetings: list[MeetingRow]


class DayRow(BaseModel):
    date: dt.date | None
    cities: list[CityStop]


class MissionReport(BaseModel):
    meta: PaperMeta
    mission_id: int
    name: str
    purpose: str
    home_agency: str | None
    countries: list[str]
    cities: list[str]
    start_date: dt.date | None
    end_date: dt.date | None
    delegation: list[PersonRow]
    days: list[DayRow]
    meetings_total: int
    leads: list[LeadRow]
    mous: list[MouRow]
    followups: list[FollowUpRow]
    sources: list[Source]
    missing: list[str] = Field(default_factory=list)


class MouPack(BaseModel):
    meta: PaperMeta
    window: MouWindow
    since: dt.date
    figures: MouFigures
    conversion_year: list[ConversionRow]
    conversion_sector: list[ConversionRow]
    pending_district: list[GroupTotal]
    pending_officer: list[GroupTotal]
    blockers_department: list[GroupTotal]
    blockers_level: list[GroupTotal]
    blockers_age: list[GroupTotal]
    oldest_blockers: list[OldBlockerRow]
    changes: list[StatusChangeRow]
    changes_total: int
    districts: list[DistrictRow]
    maps: list[DistrictMap] = Field(default_factory=list, description="MoUs signed, pending and open blockers on "
                                    "the district map.")
    missing: list[str] = Field(default_factory=list)


class PipelineMonthly(BaseModel):
    meta: PaperMeta
    month: dt.date = Field(description="The first day of the month reported on.")
    funnel: list[FunnelRow]
    new_leads: list[LeadRow]
    new_leads_total: int
    moves: list[StageMoveRow]
    moved_to: dict[str, int]
    drops: list[StageMoveRow]
    by_sector: list[PipelineGroup]
    by_country: list[PipelineGroup]
    largest: list[LeadRow]
    missing: list[str] = Field(default_factory=list)
