"""The calculator's input (a project, by hand or from a lead or MoU) and its answer, every figure with its rule."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from investdesk.incentives.rules import MAX_CRORE

DISCLAIMER = "Indicative, subject to the Letter of Comfort"
Crore = Field(default=0.0, ge=0, le=MAX_CRORE, description="INR crore.")


class ProjectIn(BaseModel):
    """A project as the calculator sees it; amounts in INR crore."""

    model_config = ConfigDict(extra="forbid")

    sector: str = Field(min_length=1, max_length=120, description="Sector id or name (`investdesk sectors`).")
    land: float = Crore
    building: float = Crore
    plant_machinery: float = Crore
    jobs: int = Field(default=0, ge=0, le=10_000_000)
    district: str = Field(min_length=1, max_length=120)
    foreign_share: float | None = Field(default=None, ge=0, le=1, description="Share of foreign capital, 0 to 1.")
    fortune500: bool = Field(default=False, description="A Fortune Global 500 or Fortune India 500 company.")
    capacity: float | None = Field(default=None, ge=0, le=1e9,
                                   description="Production capacity in the unit the policy names (GWh for cells).")
    term_loan: float | None = Field(default=None, ge=0, le=MAX_CRORE, description="Term loan, INR crore.")
    as_of: dt.date | None = Field(default=None, description="Date the policies are read at (default today).")


class CalculateIn(ProjectIn):
    """A form filled by hand, or ``opportunity_id`` / ``mou_id`` with the record's figures as defaults."""

    sector: str = Field(default="", max_length=120)
    district: str = Field(default="", max_length=120)
    opportunity_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    mou_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class SourceRef(BaseModel):
    id: str
    title: str
    url: str


class RuleRef(BaseModel):
    """The rule a figure or a reason comes from."""

    policy_id: str
    rule: str
    confidence: str
    quote: str
    sources: list[SourceRef]


class Reason(BaseModel):
    ok: bool | None  # None: cannot be settled from the sources
    text: str
    rule: RuleRef | None = None


class Instalment(BaseModel):
    year: int
    amount: float


class ReadingOut(BaseModel):
    label: str
    amount: float | None
    sources: list[SourceRef]


FigureStatus = Literal["computed", "rate_only", "not_computed", "needs_input", "not_applicable"]


class Figure(BaseModel):
    incentive_id: str
    label: str
    kind: str
    status: FigureStatus
    amount: float | None = None
    rate: str = ""
    base: str = ""
    base_amount: float | None = None
    cap_applied: str | None = None
    schedule: list[Instalment] = Field(default_factory=list)
    explanation: str = ""
    choose_one: str | None = None
    counted: bool = False  # in the policy's total
    readings: list[ReadingOut] = Field(default_factory=list)
    rule: RuleRef


class Alternative(BaseModel):
    id: str
    label: str
    options: list[Figure]
    chosen: str | None
    note: str
    rule: RuleRef


class PolicyResult(BaseModel):
    policy_id: str
    name: str
    short_name: str
    status: Literal["eligible", "not_eligible", "undetermined"]
    reasons: list[Reason]
    category: str | None = None
    figures: list[Figure] = Field(default_factory=list)
    alternatives: list[Alternative] = Field(default_factory=list)
    total: float = 0.0
    total_note: str = ""
    schedule: list[Instalment] = Field(default_factory=list)
    stacking: Reason | None = None
    data_date: dt.date
    version: str = "shipped file"


class CalculationOut(BaseModel):
    disclaimer: str = DISCLAIMER
    as_of: dt.date
    policy_data_date: dt.date
    project: ProjectIn
    sector_name: str
    region: str
    region_name: str
    region_rule: RuleRef
    total_investment: float
    assumptions: list[str]
    notes: list[str]
    eligible: list[PolicyResult]
    not_eligible: list[PolicyResult]


class PolicySummary(BaseModel):
    id: str
    name: str
    short_name: str
    family: str
    valid_from: dt.date
    valid_to: dt.date | None
    validity_confidence: str
    sectors: list[str] | Literal["any"]
    incentives: int
    unknown_rules: int
    data_date: dt.date
    version: str
    file: str


class PolicyEdit(BaseModel):
    """A new version of a policy: its whole YAML text, in force from ``effective_from``."""

    model_config = ConfigDict(extra="forbid")

    document: str = Field(min_length=1, max_length=200_000)
    effective_from: dt.date
    note: str = Field(default="", max_length=2000)
