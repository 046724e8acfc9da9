"""The shape of an incentive policy as the agency keeps it (YAML files in ``data/``, edited versions in the
database): eligibility, incentives, exclusivity, each rule with its source, quote and confidence.

Every figure carries the confidence the reference gave it: ``verified`` (quoted), ``paraphrased``,
``inferred`` (nobody printed it; derived), ``conflicting`` (sources disagree: each reading kept) and
``unknown`` (not found: never computed).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from investdesk.i18n import _

REGIONS = ("bundelkhand", "purvanchal", "madhyanchal", "paschimanchal", "gbn_ghaziabad")
Region = Literal["bundelkhand", "purvanchal", "madhyanchal", "paschimanchal", "gbn_ghaziabad"]
REGION_NAMES = {"bundelkhand": "Bundelkhand", "purvanchal": "Purvanchal", "madhyanchal": "Madhyanchal",
                "paschimanchal": "Paschimanchal", "gbn_ghaziabad": "Gautam Buddh Nagar and Ghaziabad"}
MAX_CRORE = 1_000_000.0  # ₹10 lakh crore: beyond any single project the state has seen


class Confidence(StrEnum):
    verified = "verified"
    paraphrased = "paraphrased"
    inferred = "inferred"
    conflicting = "conflicting"
    unknown = "unknown"


class Kind(StrEnum):
    capital_subsidy = "capital_subsidy"
    land_subsidy = "land_subsidy"
    interest_subsidy = "interest_subsidy"
    stamp_duty = "stamp_duty"
    electricity_duty = "electricity_duty"
    sgst_reimbursement = "sgst_reimbursement"
    epf = "epf"
    payroll = "payroll"
    rent = "rent"
    training = "training"
    r_and_d = "r_and_d"
    patent = "patent"
    housing = "housing"
    effluent = "effluent"
    power = "power"
    other = "other"


class Base(StrEnum):
    """What a rate applies to. ``cost_not_in_form`` is a share of a cost the calculator is not given (stamp
    duty payable, electricity duty, SGST paid, rent): shown as a rate, never turned into rupees."""

    investment_excluding_land = "investment_excluding_land"
    total_investment = "total_investment"
    land = "land"
    building = "building"
    plant_machinery = "plant_machinery"
    term_loan = "term_loan"
    per_job = "per_job"
    fixed = "fixed"
    cost_not_in_form = "cost_not_in_form"


BASE_LABELS = {
    Base.investment_excluding_land: "investment excluding land", Base.total_investment: "total investment",
    Base.land: "land cost", Base.building: "building cost", Base.plant_machinery: "plant and machinery",
    Base.term_loan: "term loan", Base.per_job: "jobs", Base.fixed: "fixed amount",
    Base.cost_not_in_form: "a cost the form does not ask for"}

# A number, or one number per region (null: not known for that region).
Value = float | dict[Region, float | None]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cited(Strict):
    """Where a rule comes from and how sure the reference is of it."""

    source: list[str] = Field(default_factory=list, description="Source ids (S1..) of the reference.")
    quote: str = ""
    confidence: Confidence

    @model_validator(mode="after")
    def _sourced(self) -> Cited:
        if self.confidence is not Confidence.unknown and not self.source:
            raise ValueError(_("source: a rule that is not 'unknown' names at least one source id"))
        return self


def _check_value(v: Value | None, field: str) -> None:
    values = v.values() if isinstance(v, dict) else [v]
    for x in values:
        if x is not None and not 0 <= x <= MAX_CRORE:
            raise ValueError(_('%(field)s: %(x)s is out of range (0 to %(f)s)', field=field, x=x,
                               f=format(MAX_CRORE, ',.0f')))


class Reading(Strict):
    """One of the conflicting readings of a rule, with its own source."""

    label: str
    rate: Value | None = None
    cap: Value | None = None
    amount: float | None = None
    source: list[str] = Field(min_length=1)
    quote: str = ""


class Incentive(Cited):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: Kind
    label: str = Field(min_length=1)
    base: Base
    base_note: str = ""  # what the base is when the form does not carry it ("stamp duty payable on land")
    rate: Value | None = None  # percent
    amount: float | None = Field(default=None, ge=0, le=MAX_CRORE)  # crore per job or per year (fixed)
    max_units: int | None = Field(default=None, ge=1)  # e.g. first 500 people
    cap: Value | None = None  # crore, over the whole benefit
    cap_per_year: float | None = Field(default=None, ge=0, le=MAX_CRORE)
    years: int | None = Field(default=None, ge=1, le=30)
    instalments: int | None = Field(default=None, ge=1, le=30)
    base_from: float | None = Field(default=None, ge=0, le=MAX_CRORE)  # only the part of the base above this
    base_upto: float | None = Field(default=None, gt=0, le=MAX_CRORE)  # the base counted up to this
    max_investment: float | None = Field(default=None, gt=0, le=MAX_CRORE)  # only for projects up to this
    min_jobs: int | None = Field(default=None, ge=1)  # only with at least this many jobs
    categories: list[str] = Field(default_factory=list)  # only for these unit categories
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    readings: list[Reading] = Field(default_factory=list)
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Incentive:
        _check_value(self.rate, "rate")
        _check_value(self.cap, "cap")
        if self.rate is not None and any(x is not None and x > 100 for x in
                                         (self.rate.values() if isinstance(self.rate, dict) else [self.rate])):
            raise ValueError(_("rate: a percentage above 100"))
        if self.confidence is Confidence.conflicting and len(self.readings) < 2:
            raise ValueError(_("readings: a 'conflicting' rule lists at least two readings"))
        if self.confidence is not Confidence.unknown and self.base in (Base.per_job, Base.fixed) \
                and self.amount is None and not self.readings:
            raise ValueError(_("amount: a per-job or fixed incentive needs an amount (crore)"))
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValueError(_("effective_to: before effective_from"))
        return self


class Threshold(Cited):
    value: Value | None = None  # crore
    basis: Literal["total_investment", "investment_excluding_land"] = "total_investment"
    or_jobs: int | None = Field(default=None, ge=1)  # eligible with this many jobs instead

    @model_validator(mode="after")
    def _range(self) -> Threshold:
        _check_value(self.value, "value")
        return self


class Category(Cited):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    min_investment: Value | None = None  # crore, inclusive
    max_investment: float | None = Field(default=None, gt=0, le=MAX_CRORE)  # crore, inclusive
    min_jobs: int | None = Field(default=None, ge=1)
    jobs_instead: bool = False  # min_jobs is an alternative to min_investment, not an addition
    min_capacity: float | None = Field(default=None, gt=0)


class SectorRule(Cited):
    ids: list[str] | Literal["any"]


class ForeignRule(Cited):
    min_share: float | None = Field(default=None, gt=0, le=1)
    fortune500_qualifies: bool = False


class Eligibility(Strict):
    sectors: SectorRule
    min_investment: Threshold | None = None
    foreign: ForeignRule | None = None
    categories: list[Category] = Field(default_factory=list)


class ChooseOne(Cited):
    """The investor picks one of these incentives (compared side by side)."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    incentives: list[str] = Field(min_length=2)


class Stacking(Cited):
    combinable_with_state_policies: bool | None = None  # None: no source says


class OverallCap(Cited):
    percent_of_investment: float = Field(gt=0, le=100)


class Validity(Cited):
    valid_from: dt.date
    valid_to: dt.date | None = None

    @model_validator(mode="after")
    def _order(self) -> Validity:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(_("valid_to: before valid_from"))
        return self


class PolicyDoc(Strict):
    """One policy, as in a data file or an edited version."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    family: str = Field(pattern=r"^[a-z0-9_]+$")  # successive policies of a family may not overlap in time
    name: str = Field(min_length=1)
    short_name: str = Field(min_length=1)
    data_date: dt.date
    nodal_agency: str = ""
    coverage: str = ""
    region_map: str = "up"
    validity: Validity
    eligibility: Eligibility
    incentives: list[Incentive] = Field(min_length=1)
    choose_one: list[ChooseOne] = Field(default_factory=list)
    stacking: Stacking
    overall_cap: OverallCap | None = None
    notes: list[str] = Field(default_factory=list)

    @field_validator("incentives")
    @classmethod
    def _no_overlapping_rule(cls, incentives: list[Incentive]) -> list[Incentive]:
        seen: dict[str, list[Incentive]] = {}
        for inc in incentives:
            for other in seen.get(inc.id, []):
                if _overlap(inc.effective_from, inc.effective_to, other.effective_from, other.effective_to):
                    raise ValueError(_('%(id)s: two versions of this incentive overlap in their effective dates',
                                       id=inc.id))
            seen.setdefault(inc.id, []).append(inc)
        return incentives

    @model_validator(mode="after")
    def _references(self) -> PolicyDoc:
        ids = {i.id for i in self.incentives}
        categories = {c.id for c in self.eligibility.categories}
        for group in self.choose_one:
            missing = [i for i in group.incentives if i not in ids]
            if missing:
                raise ValueError(_('choose_one.%(id)s: unknown incentive %(missing)s', id=group.id,
                                   missing=repr(missing[0])))
        for inc in self.incentives:
            unknown = [c for c in inc.categories if c not in categories]
            if unknown:
                raise ValueError(_('incentives.%(id)s.categories: unknown category %(unknown)s', id=inc.id,
                                   unknown=repr(unknown[0])))
        return self

    def sources_used(self) -> set[str]:
        out: set[str] = set()
        for rule in [self.validity, self.eligibility.sectors, self.eligibility.min_investment,
                     self.eligibility.foreign, *self.eligibility.categories, *self.incentives, *self.choose_one,
                     self.stacking, self.overall_cap]:
            if rule is not None:
                out.update(rule.source)
                for reading in getattr(rule, "readings", []):
                    out.update(reading.source)
        return out


def _overlap(a_from: dt.date | None, a_to: dt.date | None, b_from: dt.date | None, b_to: dt.date | None) -> bool:
    lo, hi = dt.date.min, dt.date.max
    return (a_from or lo) <= (b_to or hi) and (b_from or lo) <= (a_to or hi)


def overlaps(a: Validity, b: Validity) -> bool:
    return _overlap(a.valid_from, a.valid_to, b.valid_from, b.valid_to)


class Source(Strict):
    title: str
    url: str = ""


class SourceList(Strict):
    sources: dict[str, Source]


class RegionMap(Cited):
    name: str
    regions: dict[Region, list[str]]


class RegionMaps(Strict):
    maps: dict[str, RegionMap]
