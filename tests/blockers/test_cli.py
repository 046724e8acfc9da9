"""`investdesk blocker ...` on the real database: add, escalate, list, resolve."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from sqlalchemy import Engine

Cli = Callable[..., tuple[int, str]]  # the ``cli`` fixture
MakeMou = Callable[[], int]  # the ``new_mou`` fixture


def test_blocker_add_escalate_list_resolve(env_db: Engine, cli: Cli, new_mou: MakeMou) -> None:
    mou_id = new_mou()
    raised = (dt.date.today() - dt.timedelta(days=65)).isoformat()
    code, out = cli("blocker", "add", str(mou_id), "--category", "clearance", "--department", "UPPCB",
                    "--raised-on", raised, "--format", "json")
    assert code == 0, out
    blocker_id = json.loads(out)["id"]
    code, out = cli("blocker", "escalate", "--format", "json")
    assert [b["escalation_level"] for b in json.loads(out)] == ["chief_secretary"]
    code, out = cli("blocker", "list", "--level", "chief_secretary", "--format", "csv")
    assert out.splitlines()[0].startswith("id,mou_id,mou_title") and "UPPCB" in out
    code, out = cli("blocker", "resolve", str(blocker_id), "--note", "Consent to establish issued")
    assert code == 0 and cli("blocker", "list", "--format", "json")[1].strip() == "[]"
    code, out = cli("report", "blockers", "--by", "age", "--format", "json")
    assert all(r["count"] == 0 for r in json.loads(out))
