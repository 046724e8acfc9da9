from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from investdesk.models.enums import OpportunityKind, OpportunityStage

Unit = Literal["thousand", "lakh", "million", "crore", "billion", "trillion"]


class AmountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: float = Field(ge=0, le=1e12, description="As written, e.g. 1200 for 'Rs 1,200 crore'.")
    currency: str = Field(default="INR", min_length=3, max_length=3, description="ISO 4217 code.")
    unit: Unit | None = Field(default=None, description="thousand, lakh, million, crore, billion or trillion.")


def amount_columns(amount: AmountIn | None) -> dict[str, Any]:
    """The record's amount columns: as written, plus INR crore and USD million for sums."""
    from investdesk import money

    if amount is None:
        return {"amount_value": None, "amount_currency": None, "amount_unit": None, "amount_inr_crore": None,
                "amount_usd_million": None}
    inr, usd = money.normalise_amount(amount.value, amount.currency, amount.unit)
    return {"amount_value": amount.value, "amount_currency": amount.currency.upper(), "amount_unit": amount.unit,
            "amount_inr_crore": inr, "amount_usd_million": usd}


def update_amount_and_district(record: Any, given: set[str], amount: AmountIn | None, district: str | None) -> None:
    """A lead's or MoU's amount (normalised again) and district (from the district list), when the update
    names them (``given``: the fields it set)."""
    from investdesk import places

    if "amount" in given:
        for key, value in amount_columns(amount).items():
            setattr(record, key, value)
    if "district" in given:
        record.district = places.district(district)


def amount_of(record: Any) -> AmountIn | None:
    """The amount as written, read back from a record's columns."""
    if record.amount_value is None:
        return None
    return AmountIn(value=float(record.amount_value), currency=record.amount_currency or "INR",
                    unit=record.amount_unit)


class OpportunityCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=300)
    counterpart_id: int | None = Field(default=None, description="The investor (an organization).")
    kind: OpportunityKind = Field(default=OpportunityKind.investment, description="What kind of prospect.")
    stage: OpportunityStage = Field(default=OpportunityStage.identified, description="Where the lead stands.")
    stage_reason: str | None = Field(default=None, description="Required for on_hold and dropped.")
    sectors: list[str] = Field(default_factory=list, description="Sector ids or names.")
    amount: AmountIn | None = None
    jobs: int | None = Field(default=None, ge=0, le=10_000_000)
    country: str | None = Field(default=None, min_length=2, max_length=2, description="Investor's country (ISO).")
    district: str | None = Field(default=None, description="District of the proposed project.")
    owner_id: int | None = Field(default=None, description="The user who owns the lead.")
    next_action: str | None = Field(default=None, max_length=2000)
    next_action_due: dt.date | None = None
    source_engagement_id: int | None = Field(default=None, description="The meeting the lead came from.")
    notes: str = Field(default="", max_length=20000)


class OpportunityUpdate(BaseModel):
    """The fields to change; those left out stay as they are. Stages move through ``move`` only."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(default=None, min_length=1, max_length=300)
    counterpart_id: int | None = None
    kind: OpportunityKind | None = None
    sectors: list[str] | None = Field(default=None, description="Sector ids or names (replaces the list).")
    amount: AmountIn | None = None
    jobs: int | None = Field(default=None, ge=0, le=10_000_000)
    country: str | None = Field(default=None, min_length=2, max_length=2)
    district: str | None = None
    owner_id: int | None = None
    next_action: str | None = Field(default=None, max_length=2000)
    next_action_due: dt.date | None = None
    notes: str | None = Field(default=None, max_length=20000)
    version: int | None = Field(default=None, description="The version you read; a newer one is a conflict. "
                                "Required unless force is true.")
    force: bool = Field(default=False, description="Overwrite without a version (noted in the audit trail).")


class StageMove(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    to_stage: OpportunityStage = Field(description="The new stage.")
    reason: str | None = Field(default=None, max_length=2000, description="Required for on_hold and dropped.")
    version: int | None = Field(default=None, description="The version you read; a newer one is a conflict. "
                                "Required unless force is true.")
    force: bool = Field(default=False, description="Overwrite without a version (noted in the audit trail).")


class OpportunityFilter(BaseModel):
    q: str | None = None
    stage: OpportunityStage | None = None
    sector: str | None = None
    district: str | None = None
    country: str | None = None
    owner_id: int | None = None
    counterpart_id: int | None = None


class OpportunityRead(BaseModel):
    id: int
    title: str
    counterpart_id: int | None
    counterpart: str | None
    kind: OpportunityKind
    stage: OpportunityStage
    stage_reason: str | None
    sectors: list[str]
    amount: AmountIn | None
    amount_inr_crore: float | None
    amount_usd_million: float | None
    jobs: int | None
    country: str | None
    district: str | None
    owner_id: int | None
    next_action: str | None
    next_action_due: dt.date | None
    version: int
    history: list[dict[str, object]]
