from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from investdesk.i18n import _
from investdesk.models.enums import OrgKind


def _country(v: str | None) -> str | None:
    if v is None or v == "":
        return None
    v = v.strip().upper()
    if len(v) != 2 or not v.isalpha():
        raise ValueError(_("must be an ISO 3166-1 alpha-2 code such as IN or JP"))
    return v


def devanagari(v: str | None) -> str | None:
    """A name in Devanagari ("टनाका इलेक्ट्रिक"); blank is none."""
    if v is None or not v.strip():
        return None
    if not any("\u0900" <= ch <= "\u097f" for ch in v):
        raise ValueError(_("write this name in Devanagari, e.g. “टनाका इलेक्ट्रिक”"))
    return v.strip()


class OrganizationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=300, description="Name as the organization writes it.")
    acronym: str | None = Field(default=None, max_length=40)
    kind: OrgKind = OrgKind.other
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 code.")
    city: str | None = Field(default=None, max_length=120)
    website: str | None = Field(default=None, max_length=300)
    name_hi: str | None = Field(default=None, max_length=300, description="The name in Devanagari, for search.")
    sectors: list[str] = Field(default_factory=list, description="Sector ids or names.")
    aliases: list[str] = Field(default_factory=list)
    notes: str = Field(default="", max_length=20000)

    _check_country = field_validator("country")(classmethod(lambda cls, v: _country(v)))
    _check_name_hi = field_validator("name_hi")(classmethod(lambda cls, v: devanagari(v)))


class OrganizationUpdate(BaseModel):
    """Only the fields given are changed; ``version`` guards against lost updates."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=300)
    acronym: str | None = Field(default=None, max_length=40)
    kind: OrgKind | None = None
    country: str | None = None
    city: str | None = Field(default=None, max_length=120)
    website: str | None = Field(default=None, max_length=300)
    name_hi: str | None = Field(default=None, max_length=300)
    sectors: list[str] | None = None
    aliases: list[str] | None = None
    notes: str | None = Field(default=None, max_length=20000)
    version: int | None = Field(default=None, description="The version you read; a newer one is a conflict. "
                                "Required unless force is true.")
    force: bool = Field(default=False, description="Overwrite without a version (noted in the audit trail).")

    _check_country = field_validator("country")(classmethod(lambda cls, v: _country(v)))
    _check_name_hi = field_validator("name_hi")(classmethod(lambda cls, v: devanagari(v)))


class OrganizationFilter(BaseModel):
    q: str | None = Field(default=None, description="Text in name, acronym or alias.")
    country: str | None = None
    kind: OrgKind | None = None
    sector: str | None = None


class OrganizationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    acronym: str | None
    kind: OrgKind
    country: str | None
    city: str | None
    website: str | None
    name_hi: str | None = None
    sectors: list[str]
    aliases: list[str]
    notes: str
    version: int
    created_at: datetime
    updated_at: datetime
