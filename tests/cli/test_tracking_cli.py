"""Blockers, enquiries, follow-ups and reports from the command line, on the real database."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from investdesk.cli import app
from investdesk.db import transaction
from investdesk.models import FollowUp, User
from investdesk.models.enums import Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
from tests.factories import SYSTEM

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _mou(engine: Engine) -> int:
    with transaction(engine) as s:
        return mous.create(s, actor=SYSTEM, data=MouCreate(title="Solar glass", district="Kanpur Nagar")).id


def test_blocker_add_escalate_list_resolve(env_db: Engine) -> None:
    mou_id = _mou(env_db)
    raised = (dt.date.today() - dt.timedelta(days=65)).isoformat()
    code, out = invoke("blocker", "add", str(mou_id), "--category", "clearance", "--department", "UPPCB",
                       "--raised-on", raised, "--format", "json")
    assert code == 0, out
    blocker_id = json.loads(out)["id"]
    code, out = invoke("blocker", "escalate", "--format", "json")
    assert [b["escalation_level"] for b in json.loads(out)] == ["chief_secretary"]
    code, out = invoke("blocker", "list", "--level", "chief_secretary", "--format", "csv")
    assert out.splitlines()[0].startswith("id,mou_id,mou_title") and "UPPCB" in out
    code, out = invoke("blocker", "resolve", str(blocker_id), "--note", "Consent to establish issued")
    assert code == 0 and invoke("blocker", "list", "--format", "json")[1].strip() == "[]"
    code, out = invoke("report", "blockers", "--by", "age", "--format", "json")
    assert all(r["count"] == 0 for r in json.loads(out))


def test_enquiry_clock_from_the_cli(env_db: Engine) -> None:
    received = (dt.datetime.now(dt.UTC) - dt.timedelta(days=8)).isoformat()
    code, out = invoke("enquiry", "add", "Cold chain park", "--received", received, "--sector", "food processing",
                       "--format", "json")
    assert code == 0, out
    enquiry = json.loads(out)
    assert enquiry["overdue"] is True
    code, out = invoke("enquiry", "list", "--overdue", "--format", "json")
    assert [e["id"] for e in json.loads(out)] == [enquiry["id"]]
    assert invoke("enquiry", "respond", str(enquiry["id"]), "--note", "Site visit offered")[0] == 0
    assert json.loads(invoke("enquiry", "list", "--overdue", "--format", "json")[1]) == []


def test_followups_mine_needs_the_user_setting(env_db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from investdesk.config import get_settings

    with Session(env_db) as s, s.begin():
        s.add_all([User(email="asha@x.gov", role=Role.officer), User(email="ravi@x.gov", role=Role.officer)])
    mou_id = _mou(env_db)
    admin = os.environ["INVESTDESK_USER"]
    monkeypatch.delenv("INVESTDESK_USER")
    get_settings.cache_clear()
    code, out = invoke("followups", "--mine")
    assert code != 0
    assert invoke("--as", admin, "followups", "--mine")[0] == 0
    monkeypatch.setenv("INVESTDESK_USER", admin)
    get_settings.cache_clear()
    late = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    assert invoke("followup", "add", "mou", str(mou_id), "Chase the land file", "--owner", "asha@x.gov",
                  "--due", late)[0] == 0
    assert invoke("followup", "add", "mou", str(mou_id), "Call the investor", "--owner", "ravi@x.gov")[0] == 0
    monkeypatch.setenv("INVESTDESK_USER", "asha@x.gov")
    get_settings.cache_clear()
    code, out = invoke("followups", "--mine", "--overdue", "--format", "json")
    rows = json.loads(out)
    assert [(r["title"], r["owner"], r["overdue"]) for r in rows] == [("Chase the land file", "asha@x.gov", True)]
    assert invoke("followup", "done", str(rows[0]["id"]), "--note", "File moved")[0] == 0
    assert json.loads(invoke("followups", "--mine", "--format", "json")[1]) == []
    assert len(json.loads(invoke("followups", "--all", "--format", "json")[1])) == 2


def test_bad_followup_target_writes_nothing(env_db: Engine) -> None:
    code, out = invoke("followup", "add", "mou", "999", "Nothing there")
    assert code != 0
    code, out = invoke("followup", "add", "planet", "1", "Nothing there")
    assert code == 2 and "planet" in out
    with Session(env_db) as s:
        assert s.scalar(select(func.count()).select_from(FollowUp)) == 0


def test_reports_print_tables_json_and_csv(env_db: Engine) -> None:
    _mou(env_db)
    code, out = invoke("report", "funnel", "--format", "json")
    assert code == 0 and [r["stage"] for r in json.loads(out)][:2] == ["identified", "engaged"]
    code, out = invoke("report", "conversion", "--by", "sector", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("key,label,signed,grounded,rate")
    code, out = invoke("report", "pipeline", "--by", "district")
    assert code == 0 and "Pipeline by district" in out
    code, out = invoke("report", "pending", "--by", "nodal_officer", "--format", "json")
    assert code == 0 and json.loads(out) == []
