"""The periodic jobs: what each does and when it runs, in the agency's time zone (setting ``timezone``).

A job is a function ``run(engine, now) -> str`` that opens its own transactions (the mail job sends between
two of them) and acts as the operator (``operator_actor("job NAME")``). Each has a schedule: daily at a local
time, or every N minutes. The *slot* of a job at a moment is the latest scheduled time not after it; a job
runs once per slot across every server (see ``jobs.service.claim``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from investdesk.config import get_settings

JobFunc = Callable[[Engine, dt.datetime], str]


@dataclass(frozen=True)
class Job:
    name: str
    description: str
    run: JobFunc
    daily_at: str | None = None      # "HH:MM", local time
    every_minutes: int | None = None

    @property
    def schedule(self) -> str:
        return f"daily at {self.daily_at}" if self.daily_at else f"every {self.every_minutes} min"

    def slot(self, now: dt.datetime, tz: ZoneInfo | None = None) -> dt.datetime:
        """The latest scheduled time at or before ``now`` (UTC)."""
        if self.every_minutes:
            minutes = int(now.timestamp() // 60)
            return dt.datetime.fromtimestamp((minutes - minutes % self.every_minutes) * 60, dt.UTC)
        assert self.daily_at
        zone = tz or agency_zone()
        hour, minute = (int(p) for p in self.daily_at.split(":"))
        local = now.astimezone(zone)
        at = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if at > local:
            at = (at - dt.timedelta(days=1)).replace(hour=hour, minute=minute)
        return at.astimezone(dt.UTC)

    def next_run(self, now: dt.datetime, tz: ZoneInfo | None = None) -> dt.datetime:
        if self.every_minutes:
            return self.slot(now) + dt.timedelta(minutes=self.every_minutes)
        zone = tz or agency_zone()
        local = self.slot(now, zone).astimezone(zone)
        return (local + dt.timedelta(days=1)).astimezone(dt.UTC)


def agency_zone() -> ZoneInfo:
    return ZoneInfo(get_settings().timezone)


_JOBS: dict[str, Job] = {}


def register(job: Job) -> Job:
    _JOBS[job.name] = job
    return job


def jobs() -> dict[str, Job]:
    """Every job, by name (the job modules register themselves on import)."""
    from investdesk.notifications import jobs as _notification_jobs  # noqa: F401

    return dict(_JOBS)
