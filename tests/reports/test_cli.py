"""`investdesk report ...` on the real database: tables, JSON and CSV."""

from __future__ import annotations

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
