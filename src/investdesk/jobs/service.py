"""Running jobs once across servers: a claim on the ``job_runs`` row, then the job, then its result.

The claim is one atomic ``UPDATE job_runs SET last_slot = :slot, lease_until = ... WHERE name = :name AND
last_slot < :slot AND (lease_until IS NULL OR lease_until < :now)``: on PostgreSQL the row lock makes the
second server's UPDATE wait and then match nothing; on SQLite the database write lock does the same. The
server whose UPDATE changed one row runs the job; the others skip it. A job that crashed mid-run keeps its
lease until it expires, so it is never run twice at once. A slot missed while every server was down is
still ahead of ``last_slot`` when one starts again, so it runs once then (``run_due`` at start).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from typing import Any

from sqlalchemy import CursorResult, Engine, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from investdesk.db import transaction, utcnow
from investdesk.errors import NotFound
from investdesk.i18n import _
from investdesk.jobs.registry import Job, agency_zone, jobs
from investdesk.jobs.schemas import JobRead, JobResult
from investdesk.models import JobRun
from investdesk.permissions import Actor, Perm, require

log = logging.getLogger("investdesk.jobs")
LEASE = dt.timedelta(minutes=30)
RUNNER = f"{socket.gethostname()}:{os.getpid()}"


def get_job(name: str) -> Job:
    known = jobs()
    if name not in known:
        raise NotFound(_('job %(name)s: no such job (known: %(known)s)', name=repr(name),
                         known=', '.join(sorted(known))), field="name")
    return known[name]


def _ensure_row(session: Session, name: str) -> None:
    """The job's row, inserted by whichever server comes first (the others' inserts do nothing)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(JobRun).values(name=name, status="never", result="", runner="").on_conflict_do_nothing())


def claim(engine: Engine, *, name: str, slot: dt.datetime | None, now: dt.datetime) -> bool:
    """Claim the job for ``slot`` (None: a run by hand, any time no other run holds the lease). ``now`` is the
    wall clock the lease is measured on, even when the job itself is given another time."""
    with transaction(engine) as session:
        _ensure_row(session, name)
    with transaction(engine) as session:
        stmt = update(JobRun).where(JobRun.name == name,
                                    or_(JobRun.lease_until.is_(None), JobRun.lease_until < now))
        values: dict[str, object] = {"lease_until": now + LEASE, "started_at": now, "status": "running",
                                     "runner": RUNNER}
        if slot is not None:
            stmt = stmt.where(or_(JobRun.last_slot.is_(None), JobRun.last_slot < slot))
            values["last_slot"] = slot
        result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            stmt.values(**values).execution_options(synchronize_session=False))
    return result.rowcount == 1


def _finish(engine: Engine, name: str, status: str, result: str) -> None:
    with transaction(engine) as session:
        session.execute(update(JobRun).where(JobRun.name == name).values(
            status=status, result=result[:2000], finished_at=utcnow(), lease_until=None)
            .execution_options(synchronize_session=False))


def _execute(engine: Engine, job: Job, now: dt.datetime) -> JobResult:
    try:
        result = job.run(engine, now)
    except Exception as exc:  # a failing job is recorded and shown in `jobs list`; the server goes on
        log.exception("job %s failed", job.name)
        message = f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:500]
        _finish(engine, job.name, "failed", message)
        return JobResult(name=job.name, ran=True, status="failed", result=message)
    _finish(engine, job.name, "ok", result)
    return JobResult(name=job.name, ran=True, status="ok", result=result)


def run_due(engine: Engine, name: str, *, now: dt.datetime | None = None,
            clock: dt.datetime | None = None) -> JobResult:
    """Run the job if its current slot has not run anywhere yet (what the scheduler calls). ``now`` is the
    job's time (tests move it); leases are measured on the wall clock (``clock``, default the real time)."""
    at = now or utcnow()
    job = get_job(name)
    if not claim(engine, name=name, slot=job.slot(at), now=clock or utcnow()):
        return JobResult(name=name, ran=False, status="skipped", result="already run for this slot or running")
    return _execute(engine, job, at)


def run_all_due(engine: Engine, *, now: dt.datetime | None = None) -> list[JobResult]:
    """Every job whose slot has not run: what a server does on start, to catch up on what it missed."""
    return [run_due(engine, name, now=now) for name in jobs()]


def run_now(engine: Engine, *, actor: Actor, name: str, now: dt.datetime | None = None,
            clock: dt.datetime | None = None) -> JobResult:
    """Run a job by hand, unless another run of it holds the lease."""
    require(actor, Perm.admin)
    at = now or utcnow()
    job = get_job(name)
    if not claim(engine, name=name, slot=None, now=clock or utcnow()):
        return JobResult(name=name, ran=False, status="skipped", result="running elsewhere")
    return _execute(engine, job, at)


def list_jobs(session: Session, *, actor: Actor, now: dt.datetime | None = None) -> list[JobRead]:
    """Each job with its last run, next run and result."""
    require(actor, Perm.read)
    at = now or utcnow()
    zone = agency_zone()
    rows = {r.name: r for r in session.scalars(select(JobRun))}
    out = []
    for name, job in sorted(jobs().items()):
        row = rows.get(name)
        out.append(JobRead(name=name, description=job.description, schedule=f"{job.schedule} ({zone.key})",
                           status=row.status if row else "never", last_slot=row.last_slot if row else None,
                           started_at=row.started_at if row else None, finished_at=row.finished_at if row else None,
                           next_run=job.next_run(at, zone), result=row.result if row else ""))
    return out
