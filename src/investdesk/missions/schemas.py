from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from investdesk.i18n import _


def _countries(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    out = []
    for v in values:
        code = v.strip().upper()
        if len(code) != 2 or not code.isalpha():
            raise ValueError(_('%(v)s is not an ISO 3166-1 alpha-2 code such as JP', v=repr(v)))
        out.append(code)
    return out


class MissionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=300, description='e.g. "Uttar Pradesh delegation to Japan".')
    home_jurisdiction: str | None = Field(default=None, max_length=120, description="The state sending it.")
    home_agency_id: int | None = Field(default=None, description="The agency leading it (an organization).")
    countries: list[str] = Field(default_factory=list, description="ISO 3166-1 alpha-2 codes visited.")
    cities: list[str] = Field(default_factory=list)
    start_date: date | None = None
    end_date: date | None = None
    delegate_ids: list[int] = Field(default_factory=list, description="People in the delegation.")
    document_id: int | None = None
    notes: str = Field(default="", max_length=20000)

    _check_countries = field_validator("countries")(classmethod(lambda cls, v: _countries(v)))

    @model_validator(mode="after")
    def _dates_in_order(self) -> MissionCreate:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError(_("end_date is before start_date"))
        return self


class MissionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=300)
    home_jurisdiction: str | None = Field(default=None, max_length=120)
    home_agency_id: int | None = None
    countries: list[str] | None = None
    cities: list[str] | None = None
    start_date: date | None = None
    end_date: date | None = None
    delegate_ids: list[int] | None = None
    notes: str | None = Field(default=None, max_length=20000)
    version: int | None = Field(default=None, description="The version you read; a newer one is a conflict. "
                                "Required unless force is true.")
    force: bool = Field(default=False, description="Overwrite without a version (noted in the audit trail).")

    _check_countries = field_validator("countries")(classmethod(lambda cls, v: _countries(v)))


class MissionFilter(BaseModel):
    q: str | None = None
    country: str | None = None


class MissionRead(BaseModel):
    id: int
    name: str
    home_jurisdiction: str | None
    home_agency_id: int | None
    countries: list[str]
    cities: list[str]
    start_date: date | None
    end_date: date | None
    delegates: list[dict[str, object]]
    document_id: int | None
    notes: str
    version: int
    created_at: datetime
