"""Blockers on MoUs: what raising, resolving and listing one take and give."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from investdesk.models.enums import BlockerCategory, EscalationLevel


class BlockerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    category: BlockerCategory
    department: str | None = Field(default=None, max_length=200, description="The department that must act.")
    description: str = Field(default="", max_length=5000)
    raised_on: dt.date | None = Field(default=None, description="Defaults to today.")


class BlockerResolve(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    resolved_on: dt.date | None = Field(default=None, description="Defaults to today.")
    note: str | None = Field(default=None, max_length=5000, description="How it was cleared; added to the notes.")


class BlockerFilter(BaseModel):
    open: bool | None = Field(default=True, description="Open blockers only (false: resolved only; null: all).")
    category: BlockerCategory | None = None
    department: str | None = None
    level: EscalationLevel | None = Field(default=None, description="Current escalation level.")
    district: str | None = Field(default=None, description="District of the MoU.")
    mou_id: int | None = None


class BlockerRead(BaseModel):
    id: int
    mou_id: int
    mou_title: str
    district: str | None
    category: BlockerCategory
    department: str | None
    description: str
    raised_on: dt.date
    resolved_on: dt.date | None
    age_days: int = Field(description="Days open (to the resolution date once resolved).")
    escalation_level: EscalationLevel = Field(description="officer, department_head or chief_secretary.")
    escalated_on: dt.date | None
    notes: str
