"""``investdesk search find`` as the named user, and ``search rebuild`` as the operator."""

from __future__ import annotations

import json

from sqlalchemy import Engine, delete
from typer.testing import CliRunner

from investdesk.cli import app
from investdesk.db import transaction
from investdesk.models import SearchEntry, User
from investdesk.models.enums import Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
from tests.factories import SYSTEM

runner = CliRunner()


def test_find_and_rebuild(env_db: Engine, monkeypatch: object) -> None:
    with transaction(env_db) as s:
        mous.create(s, actor=SYSTEM, data=MouCreate(title="Solar module plant", district="Jhansi"))
        mous.create(s, actor=SYSTEM, data=MouCreate(title="Cold store", district="Agra"))
        s.add(User(email="nodal@x.gov", role=Role.nodal_officer, districts=["Agra"]))
    found = runner.invoke(app, ["search", "find", "झांसी", "--format", "json"])
    assert found.exit_code == 0, found.output
    assert [(r["kind"], r["title"]) for r in json.loads(found.output)] == [("MoUs", "Solar module plant")]
    # A nodal officer of Agra finds only the MoU in scope.
    scoped = runner.invoke(app, ["--as", "nodal@x.gov", "search", "find", "Jhansi", "--format", "json"])
    assert json.loads(scoped.output) == []
    with transaction(env_db) as s:
        s.execute(delete(SearchEntry))
    assert json.loads(runner.invoke(app, ["search", "find", "Jhansi", "--format", "json"]).output) == []
    rebuilt = runner.invoke(app, ["search", "rebuild"])
    assert rebuilt.exit_code == 0 and "2 mou" in rebuilt.output, rebuilt.output
    assert len(json.loads(runner.invoke(app, ["search", "find", "Jhansi", "--format", "json"]).output)) == 1
