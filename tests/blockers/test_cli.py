"""`investdesk blocker ...` on the real database: add, escalate, list, resolve."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Engine
from typer.testing import CliRunner

from investdesk.cli import app
from investdesk.db import transaction
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
