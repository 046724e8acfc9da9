from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field

from investdesk.models.enums import OpportunityStage


class PipelineDimension(StrEnum):
    sector = "sector"
    country = "country"
    district = "district"


class PendingDimension(StrEnum):
    district = "district"
    nodal_officer = "nodal_officer"


class BlockerDimension(StrEnum):
    category = "category"
    department = "department"
    level = "level"
    age = "age"


class ConversionDimension(StrEnum):
    year = "year"
    sector = "sector"


class FunnelRow(BaseModel):
    stage: OpportunityStage
    count: int = Field(description="Leads now at this stage.")
    reached: int | None = Field(description="Leads at this stage or further along the main line (null off it).")
    value_inr_crore: float


class GroupTotal(BaseModel):
    key: str | None = Field(description="The group's id (sector id, ISO country, district...); null: not given.")
    label: str
    count: int
    value_inr_crore: float = 0.0


class PipelineGroup(GroupTotal):
    stages: dict[OpportunityStage, int] = Field(default_factory=dict, description="Leads at each stage.")


class ConversionRow(BaseModel):
    key: str | None
    label: str
    signed: int = Field(description="MoUs signed.")
    grounded: int = Field(description="Of those, the ones under construction or in commercial operation.")
    rate: float = Field(description="grounded / signed, 0 to 1.")
    value_signed_inr_crore: float
    value_grounded_inr_crore: float


class MouHeadline(BaseModel):
    count: int = Field(description="MoUs the reader may see.")
    value_inr_crore: float
    operating: int = Field(description="Of them, in commercial operation.")


class MouWindow(BaseModel):
    """The MoUs a review covers: signed between two dates (inclusive), optionally in one district or department.
    Status figures are as of now; the reader's scope narrows them further."""

    signed_from: dt.date | None = None
    signed_to: dt.date | None = None
    district: str | None = None
    department: str | None = None


class MouFigures(BaseModel):
    signed: int = Field(description="MoUs signed in the window.")
    grounded: int = Field(description="Of them, under construction or in commercial operation.")
    pending: int = Field(description="Of them, open and with no status update for the pending period.")
    value_inr_crore: float
    jobs: int


class DistrictRow(BaseModel):
    district: str
    signed: int
    grounded: int
    pending: int
    open_blockers: int
    value_inr_crore: float
    jobs: int


class StatusChangeRow(BaseModel):
    mou_id: int
    title: str
    district: str | None
    from_status: str | None
    to_status: str
    changed_at: dt.datetime
    note: str | None


class OldBlockerRow(BaseModel):
    blocker_id: int
    mou_id: int
    mou_title: str
    district: str | None
    category: str
    department: str | None
    escalation_level: str
    raised_on: dt.date
    age_days: int


class LeadRow(BaseModel):
    id: int
    title: str
    counterpart: str | None
    stage: OpportunityStage
    value_inr_crore: float | None
    country: str | None
    owner: str | None
    next_action: str | None
    next_action_due: dt.date | None


class StageMoveRow(BaseModel):
    opportunity_id: int
    title: str
    from_stage: OpportunityStage | None
    to_stage: OpportunityStage
    reason: str | None
    changed_at: dt.datetime


class MapMetric(StrEnum):
    pipeline = "pipeline"
    signed = "signed"
    pending = "pending"
    blockers = "blockers"


class MapArea(BaseModel):
    """One district on the map, or one listed beside it."""

    district: str = Field(description="The district as listed (the shape's district for a shape).")
    hindi: str | None = None
    value: float = Field(description="The metric: INR crore for pipeline, else a count.")
    href: str = Field(description="The filtered list behind the figure.")
    holds: list[str] = Field(default_factory=list, description="Districts created since, drawn within this one.")
    parent: str | None = Field(default=None, description="For a district created since: the shape it is drawn in.")


class MapShape(MapArea):
    path: str
    centre: tuple[float, float]
    step: int = Field(description="Colour class: 0 (nothing) to 5 (most).")


class DistrictMap(BaseModel):
    metric: MapMetric
    width: float
    height: float
    shapes: list[MapShape] = Field(default_factory=list)
    newer: list[MapArea] = Field(default_factory=list, description="Districts created since the boundaries.")
    unmapped: list[MapArea] = Field(
        default_factory=list, description="Districts in the data that are not on the map (and MoUs with none).")
    breaks: list[float] = Field(default_factory=list, description="Upper bound of colour classes 1 to 5.")
    total: float = Field(description="The metric summed over every district, mapped or not.")
    source: str = ""
