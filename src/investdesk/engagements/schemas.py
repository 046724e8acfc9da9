from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

from investdesk.i18n import _


def _country(v: str | None) -> str | None:
    if not v:
        return None
    code = v.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ValueError(_("must be an ISO 3166-1 alpha-2 code such as JP"))
    return code


class EngagementCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(default="", max_length=300)
    mission_id: int | None = Field(default=None, description="The mission the meeting was part of.")
    date: dt.date | None = None
    city: str | None = Field(default=None, max_length=120)
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 code of the meeting place.")
    venue: str | None = Field(default=None, max_length=300)
    counterpart_ids: list[int] = Field(default_factory=list, description="Organizations met.")
    participant_ids: list[int] = Field(default_factory=list, description="People present, either side.")
    sectors: list[str] = Field(default_factory=list, description="Sector ids or names.")
    topics: list[str] = Field(default_factory=list)
    summary: str = Field(default="", max_length=50000)
    document_id: int | None = Field(default=None, description="Source document.")
    evidence: str | None = Field(default=None, description="The sentence the meeting was read from.")

    _check_country = field_validator("country")(classmethod(lambda cls, v: _country(v)))


class EngagementUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(default=None, max_length=300)
    mission_id: int | None = None
    date: dt.date | None = None
    city: str | None = Field(default=None, max_length=120)
    country: str | None = None
    venue: str | None = Field(default=None, max_length=300)
    counterpart_ids: list[int] | None = None
    participant_ids: list[int] | None = None
    sectors: list[str] | None = None
    topics: list[str] | None = None
    summary: str | None = Field(default=None, max_length=50000)
    version: int | None = Field(default=None, description="The version you read; a newer one is a conflict. "
                                "Required unless force is true.")
    force: bool = Field(default=False, description="Overwrite without a version (noted in the audit trail).")

    _check_country = field_validator("country")(classmethod(lambda cls, v: _country(v)))


class EngagementFilter(BaseModel):
    q: str | None = Field(default=None, description="Text in title, summary, venue or a counterpart's name.")
    country: str | None = None
    city: str | None = None
    sector: str | None = None
    organization_id: int | None = None
    person_id: int | None = None
    mission_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class EngagementRead(BaseModel):
    id: int
    title: str
    mission_id: int | None
    date: dt.date | None
    city: str | None
    country: str | None
    venue: str | None
    counterparts: list[dict[str, object]]
    participants: list[dict[str, object]]
    sectors: list[str]
    topics: list[str]
    summary: str
    document_id: int | None
    evidence: str | None
    version: int
    created_at: dt.datetime
