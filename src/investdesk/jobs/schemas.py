from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class JobRead(BaseModel):
    """A job, its timing in the agency's time zone and its last result."""

    name: str
    description: str
    schedule: str
    status: str
    last_slot: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    next_run: datetime | None
    result: str


class JobResult(BaseModel):
    name: str
    ran: bool
    status: str
    result: str
