from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from investdesk.models.enums import Side
from investdesk.organizations.schemas import devanagari


class PersonCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200, description="Name as written, without honorific.")
    honorific: str | None = Field(default=None, max_length=60, description='e.g. "Dr.", "His Excellency".')
    name_hi: str | None = Field(default=None, max_length=200, description="The name in Devanagari, for search.")
    titles: list[str] = Field(default_factory=list, description='e.g. ["Director General"].')
    organization_id: int | None = Field(default=None, description="The organization the person speaks for.")
    side: Side = Field(default=Side.mentioned, description="home, counterpart, facilitator or mentioned.")
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=60)
    notes: str = Field(default="", max_length=20000)

    _check_name_hi = field_validator("name_hi")(classmethod(lambda cls, v: devanagari(v)))


class PersonUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=200)
    honorific: str | None = Field(default=None, max_length=60)
    name_hi: str | None = Field(default=None, max_length=200)
    titles: list[str] | None = None
    organization_id: int | None = None
    side: Side | None = None
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=60)
    notes: str | None = Field(default=None, max_length=20000)
    version: int | None = Field(default=None, description="The version you read; a newer one is a conflict. "
                                "Required unless force is true.")
    force: bool = Field(default=False, description="Overwrite without a version (noted in the audit trail).")

    _check_name_hi = field_validator("name_hi")(classmethod(lambda cls, v: devanagari(v)))


class PersonFilter(BaseModel):
    q: str | None = Field(default=None, description="Text in the name.")
    organization_id: int | None = None
    side: Side | None = None
    country: str | None = Field(default=None, description="Country of the person's organization.")


class PersonRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    honorific: str | None
    name_hi: str | None = None
    titles: list[str]
    organization_id: int | None
    organization: str | None
    side: Side
    email: str | None
    phone: str | None
    notes: str
    version: int
    created_at: datetime
    updated_at: datetime
