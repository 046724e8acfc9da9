"""The scheduler's jobs on a controllable clock: slots, one run per slot, catch-up on start, escalation by
age at each boundary, and the command line."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from investdesk.blockers import service as blockers
from investdesk.blockers.schemas import BlockerCreate
from investdesk.cli import app as cli_app
from investdesk.db import transaction
from investdesk.jobs import service
from investdesk.jobs.registry import jobs
from investdesk.models import Blocker, JobRun, Notification, OutboxMessage
from investdesk.models.enums import EscalationLevel
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
from investdesk.permissions import Actor
from tests.factories import SYSTEM, at_ist

IST = ZoneInfo("Asia/Kolkata")
ADMIN = Actor.system("test admin")


def test_slots_are_local_times_of_the_agency() -> None:
    job = jobs()["escalate_blockers"]  # daily at 06:00 Asia/Kolkata = 00:30 UTC
    assert job.slot(dt.datetime(2026, 3, 2, 0, 29, tzinfo=dt.UTC)) == dt.datetime(2026, 3, 1, 0, 30, tzinfo=dt.UTC)
    assert job.slot(dt.datetime(2026, 3, 2, 0, 30, tzinfo=dt.UTC)) == dt.datetime(2026, 3, 2, 0, 30, tzinfo=dt.UTC)
    assert job.next_run(dt.datetime(2026, 3, 2, 0, 30, tzinfo=dt.UTC)) == dt.datetime(2026, 3, 3, 0, 30,
                                                                                      tzinfo=dt.UTC)
    mail = jobs()["send_mail"]
    assert mail.slot(dt.datetime(2026, 3, 2, 9, 41, 59, tzinfo=dt.UTC)) == dt.datetime(2026, 3, 2, 9, 41,
                                                                                        tzinfo=dt.UTC)


def test_a_slot_runs_once_and_a_missed_slot_runs_once_on_start(engine: Engine) -> None:
    now = at_ist(dt.date(2026, 3, 2), 7)
    first = service.run_due(engine, "followups_due", now=now)
    again = service.run_due(engine, "followups_due", now=now + dt.timedelta(minutes=20))
    assert first.ran and first.status == "ok" and not again.ran
    # The server was down over the next day's 06:20: on start, the missed slot runs once, not twice.
    later = at_ist(dt.date(2026, 3, 3), 11)
    results = {r.name: r for r in service.run_all_due(engine, now=later)}
    assert results["followups_due"].ran
    assert not {r.name: r for r in service.run_all_due(engine, now=later)}["followups_due"].ran
    with transaction(engine) as session:
        row = session.get(JobRun, "followups_due")
        assert row is not None and row.status == "ok" and row.lease_until is None
        assert row.last_slot is not None and row.last_slot.replace(tzinfo=dt.UTC) == at_ist(dt.date(2026, 3, 3), 6, 20)


def test_a_run_holding_the_lease_keeps_others_out_until_it_expires(engine: Engine) -> None:
    now = at_ist(dt.date(2026, 3, 2), 7)
    wall = dt.datetime.now(dt.UTC)
    assert service.claim(engine, name="pending_mous", slot=None, now=wall)  # a run by hand, still running
    # The lease is on the wall clock: a job given a later time (as tests do) is still kept out.
    assert not service.run_due(engine, "pending_mous", now=now + dt.timedelta(days=3)).ran
    assert not service.run_now(engine, actor=ADMIN, name="pending_mous", now=now).ran
    # A crashed run's lease ends; the slot then runs.
    assert service.run_due(engine, "pending_mous", now=now, clock=wall + service.LEASE + dt.timedelta(seconds=1)).ran


def test_a_failing_job_is_recorded_and_the_next_one_runs(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from investdesk.notifications import events

    def broken(*_a: object, **_k: object) -> int:
        raise RuntimeError("database said no")

    monkeypatch.setattr(events, "pending_mous", broken)
    result = service.run_due(engine, "pending_mous", now=at_ist(dt.date(2026, 3, 2)))
    assert result.status == "failed" and "database said no" in result.result
    with transaction(engine) as session:
        listed = {j.name: j for j in service.list_jobs(session, actor=ADMIN)}
    assert listed["pending_mous"].status == "failed" and "database said no" in listed["pending_mous"].result
    assert listed["followups_due"].status == "never" and listed["followups_due"].next_run is not None


def test_escalation_by_age_at_each_boundary(engine: Engine, users: dict[str, int]) -> None:
    raised = dt.date.today() - dt.timedelta(days=200)
    with transaction(engine) as session:
        mou = mous.create(session, actor=SYSTEM, data=MouCreate(title="Bharat Magnets plant", district="Agra"))
        mou.nodal_officer_id = users["nodal"]
        blocker_id = blockers.add(session, actor=SYSTEM, mou_id=mou.id, data=BlockerCreate(
            category="land", department="Revenue", raised_on=raised)).id

    def run_on(days: int) -> tuple[EscalationLevel, dict[int, set[str]], int]:
        assert service.run_due(engine, "escalate_blockers", now=at_ist(raised + dt.timedelta(days=days))).ran
        with transaction(engine) as session:
            level = session.get_one(Blocker, blocker_id).escalation_level
            told: dict[int, set[str]] = {}
            for uid, key in session.execute(select(Notification.user_id, Notification.dedupe_key)):
                told.setdefault(uid, set()).add(key)
            mails = session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
        return level, told, mails

    level, told, mails = run_on(29)
    assert level is EscalationLevel.officer and told == {} and mails == 0
    level, told, mails = run_on(30)
    head_key = f"blocker_escalated:{blocker_id}:department_head"
    assert level is EscalationLevel.department_head
    assert told == {users["manager"]: {head_key}, users["nodal"]: {head_key}}
    assert mails == 2  # escalations are mailed at once
    level, told, mails = run_on(59)
    assert level is EscalationLevel.department_head and mails == 2
    level, told, mails = run_on(60)
    top_key = f"blocker_escalated:{blocker_id}:chief_secretary"
    assert level is EscalationLevel.chief_secretary
    assert told[users["admin"]] == {top_key} and told[users["nodal"]] == {head_key, top_key}
    assert users["officer"] not in told and mails == 4
    level, told, mails = run_on(90)  # nothing above the chief secretary
    assert level is EscalationLevel.chief_secretary and mails == 4


def test_jobs_commands_list_and_run(env_db: Engine) -> None:
    runner = CliRunner()
    result = runner.invoke(cli_app, ["jobs", "run", "pending_mous"])
    assert result.exit_code == 0, result.output
    assert "pending_mous: ok" in result.output
    listed = runner.invoke(cli_app, ["jobs", "list", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    rows = {r["job"]: r for r in json.loads(listed.output)}
    assert rows["pending_mous"]["status"] == "ok" and "notification" in rows["pending_mous"]["result"]
    assert rows["send_mail"]["last run"] == "never" and rows["send_mail"]["next run"].endswith("UTC")
    unknown = runner.invoke(cli_app, ["jobs", "run", "no_such_job"])
    assert unknown.exit_code != 0
    assert "no such job" in str(unknown.exception) or "no such job" in unknown.output
