from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from investdesk.models.enums import RecordKind


class FollowUpCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    entity_type: RecordKind = Field(description="The kind of record the follow-up is about.")
    entity_id: int = Field(description="The record's id.")
    title: str = Field(min_length=1, max_length=300, description="What must be done.")
    owner_id: int | None = Field(default=None, description="Who must do it; defaults to the person creating it.")
    due_date: dt.date | None = None
    notes: str = Field(default="", max_length=20000)


class FollowUpDone(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    note: str | None = Field(default=None, max_length=5000, description="The outcome; added to the notes.")


class FollowUpFilter(BaseModel):
    owner_id: int | None = None
    open: bool | None = Field(default=True, description="Open only (false: done only; null: all).")
    overdue: bool = Field(default=False, description="Open and past the due date.")
    entity_type: RecordKind | None = None
    entity_id: int | None = None


class FollowUpRead(BaseModel):
    id: int
    entity_type: RecordKind
    entity_id: int
    title: str
    owner_id: int | None
    owner: str | None = Field(description="The owner's e-mail.")
    owner_name: str | None = Field(default=None, description="The owner's name (the e-mail when no name is known).")
    record: str | None = Field(default=None, description="The title or name of the record followed up.")
    due_date: dt.date | None
    done_at: dt.datetime | None
    overdue: bool
    due_state: str | None = Field(default=None, description="overdue, due (within seven days) or none.")
    notes: str


class AgendaItem(BaseModel):
    """One thing on a user's list: a follow-up, or the next action of a lead they own."""

    title: str
    due: dt.date | None
    kind: RecordKind = Field(description="The record it is about.")
    record_id: int
    sub: str | None = None
    state: str | None = Field(default=None, description="overdue, due (within seven days) or none.")
