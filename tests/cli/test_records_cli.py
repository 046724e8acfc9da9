"""The CLI end to end: real console script, real database, one-line errors with exit status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from investdesk.cli import app
from investdesk.models import Organization

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_org_add_list_show(env_db: Engine) -> None:
    code, out = invoke("org", "add", "Kansai Pharmaceutical Industries Association", "--acronym", "KPIA",
                       "--kind", "industry_association", "--country", "JP", "--sector", "pharmaceuticals")
    assert code == 0, out
    code, out = invoke("org", "list", "--format", "json")
    rows = json.loads(out)
    assert [(r["name"], r["acronym"], r["sectors"]) for r in rows] == [
        ("Kansai Pharmaceutical Industries Association", "KPIA", ["pharmaceuticals"])]
    code, out = invoke("org", "list", "--format", "csv")
    assert out.splitlines()[0] == "id,name,acronym,kind,country,city,sectors"
    code, out = invoke("org", "show", str(rows[0]["id"]), "--format", "json")
    assert json.loads(out)["kind"] == "industry_association"
    code, out = invoke("engagement", "list", "--format", "json")
    assert code == 0 and json.loads(out) == []


def _run(args: list[str], env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, "-m", "investdesk", *args], capture_output=True, text=True, env=env,
                          timeout=60)


@pytest.mark.parametrize("args, message", [
    (["org", "show", "4242"], "organization 4242 not found"),
    (["org", "add", "X", "--country", "Japan"], "country"),
    (["org", "add", "X", "--sector", "space tourism"], "unknown sector"),
    (["org", "add", "X", "--kind", "multinational"], "multinational"),
])
def test_bad_input_is_one_line_exit_2_nothing_written(env_db: Engine, args: list[str], message: str) -> None:
    proc = _run(args, {"INVESTDESK_DATABASE_URL": os.environ["INVESTDESK_DATABASE_URL"],
                       "INVESTDESK_DATA_DIR": os.environ["INVESTDESK_DATA_DIR"]})
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr
    with Session(env_db) as s:
        assert s.scalar(select(func.count()).select_from(Organization)) == 0


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    proc = _run(["org", "list"], {"INVESTDESK_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
                                  "INVESTDESK_DATA_DIR": str(tmp_path)})
    assert proc.returncode == 2
    assert "cannot reach the database" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_db_upgrade_on_fresh_sqlite(tmp_path: Path) -> None:
    env = {"INVESTDESK_DATA_DIR": str(tmp_path)}
    first = _run(["db", "upgrade"], env)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "investdesk.db").exists()
    again = _run(["db", "current"], env)
    assert "current" in again.stdout and "empty" not in again.stdout
