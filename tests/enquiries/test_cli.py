"""`investdesk enquiry ...` on the real database: the first-response clock."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Engine
from typer.testing import CliRunner

from investdesk.cli import app

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


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
