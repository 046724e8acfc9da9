"""`investdesk followups` and `investdesk followup ...` on the real database."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk.models import FollowUp, User
from investdesk.models.enums import Role

Cli = Callable[..., tuple[int, str]]  # the ``cli`` fixture
MakeMou = Callable[[], int]  # the ``new_mou`` fixture


def test_followups_mine_needs_the_user_setting(env_db: Engine, monkeypatch: pytest.MonkeyPatch, cli: Cli,
                                               new_mou: MakeMou) -> None:
    from investdesk.config import get_settings

    with Session(env_db) as s, s.begin():
        s.add_all([User(email="asha@x.gov", role=Role.officer), User(email="ravi@x.gov", role=Role.officer)])
    mou_id = new_mou()
    admin = os.environ["INVESTDESK_USER"]
    monkeypatch.delenv("INVESTDESK_USER")
    get_settings.cache_clear()
    code, out = cli("followups", "--mine")
    assert code != 0
    assert cli("--as", admin, "followups", "--mine")[0] == 0
    monkeypatch.setenv("INVESTDESK_USER", admin)
    get_settings.cache_clear()
    late = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    assert cli("followup", "add", "mou", str(mou_id), "Chase the land file", "--owner", "asha@x.gov",
               "--due", late)[0] == 0
    assert cli("followup", "add", "mou", str(mou_id), "Call the investor", "--owner", "ravi@x.gov")[0] == 0
    monkeypatch.setenv("INVESTDESK_USER", "asha@x.gov")
    get_settings.cache_clear()
    code, out = cli("followups", "--mine", "--overdue", "--format", "json")
    rows = json.loads(out)
    assert [(r["title"], r["owner"], r["overdue"]) for r in rows] == [("Chase the land file", "asha@x.gov", True)]
    assert cli("followup", "done", str(rows[0]["id"]), "--note", "File moved")[0] == 0
    assert json.loads(cli("followups", "--mine", "--format", "json")[1]) == []
    assert len(json.loads(cli("followups", "--all", "--format", "json")[1])) == 2


def test_bad_followup_target_writes_nothing(env_db: Engine, cli: Cli) -> None:
    code, out = cli("followup", "add", "mou", "999", "Nothing there")
    assert code != 0
    code, out = cli("followup", "add", "planet", "1", "Nothing there")
    assert code == 2 and "planet" in out
    with Session(env_db) as s:
        assert s.scalar(select(func.count()).select_from(FollowUp)) == 0
