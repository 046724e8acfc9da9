"""`investdesk followups` and `investdesk followup ...` on the real database."""

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
