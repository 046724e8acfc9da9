"""`investdesk report ...` on the real database: tables, JSON and CSV."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import Engine

Cli = Callable[..., tuple[int, str]]  # the ``cli`` fixture
MakeMou = Callable[[], int]  # the ``new_mou`` fixture


def test_reports_print_tables_json_and_csv(env_db: Engine, cli: Cli, new_mou: MakeMou) -> None:
    new_mou()
    code, out = cli("report", "funnel", "--format", "json")
    assert code == 0 and [r["stage"] for r in json.loads(out)][:2] == ["identified", "engaged"]
    code, out = cli("report", "conversion", "--by", "sector", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("key,label,signed,grounded,rate")
    code, out = cli("report", "pipeline", "--by", "district")
    assert code == 0 and "Pipeline by district" in out
    code, out = cli("report", "pending", "--by", "nodal_officer", "--format", "json")
    assert code == 0 and json.loads(out) == []
