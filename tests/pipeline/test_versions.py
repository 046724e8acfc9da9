"""An update must say which version it was made on, or say that it forces the overwrite: a PATCH (of every
versioned record), a stage move, a status update and the CLI alike. A forced overwrite is in the audit row."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from investdesk.cli import app
from investdesk.models import AuditEvent

Api = Callable[..., TestClient]

RECORDS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("organizations", {"name": "Osaka Fine Chemicals"}, {"city": "Osaka"}),
    ("people", {"name": "Hayashi Yoshikazu"}, {"notes": "Met in Osaka"}),
    ("missions", {"name": "Delegation to Japan"}, {"notes": "Week one"}),
    ("engagements", {"title": "Round table"}, {"city": "Tokyo"}),
    ("opportunities", {"title": "API plant"}, {"next_action": "Send land options"}),
    ("mous", {"title": "API plant MoU"}, {"department": "Industrial Development"}),
]


@pytest.mark.parametrize("path, create, change", RECORDS, ids=[r[0] for r in RECORDS])
def test_a_patch_without_version_is_refused_unless_forced(api: Api, engine: Engine, path: str,
                                                          create: dict[str, Any], change: dict[str, Any]) -> None:
    client = api()
    made = client.post(f"/api/{path}", json=create)
    assert made.status_code == 201, made.text
    url = f"/api/{path}/{made.json()['id']}"
    refused = client.patch(url, json=change)
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "version" and refused.json()["detail"].startswith("version: required")
    unchanged = client.get(url).json()  # nothing changed
    assert unchanged["version"] == made.json()["version"] and all(unchanged[k] == made.json()[k] for k in change)
    stale = client.patch(url, json={**change, "version": made.json()["version"] + 1})
    assert stale.status_code == 409
    forced = client.patch(url, json={**change, "force": True})
    assert forced.status_code == 200, forced.text
    assert all(forced.json()[k] == v for k, v in change.items())
    saved = client.patch(url, json={**change, "version": forced.json()["version"]})
    assert saved.status_code == 200
    with Session(engine) as s:
        summaries = s.scalars(select(AuditEvent.summary).where(AuditEvent.action == "update")
                              .order_by(AuditEvent.id)).all()
    assert len(summaries) == 2 and "forced" in summaries[0] and "forced" not in summaries[1]


def test_moves_and_status_updates_need_a_version_too(api: Api) -> None:
    client = api()
    lead = client.post("/api/opportunities", json={"title": "Cells"}).json()
    refused = client.post(f"/api/opportunities/{lead['id']}/move", json={"to_stage": "engaged"})
    assert refused.status_code == 422 and refused.json()["field"] == "version"
    moved = client.post(f"/api/opportunities/{lead['id']}/move", json={"to_stage": "engaged", "force": True})
    assert moved.status_code == 200 and moved.json()["stage"] == "engaged"
    mou = client.post("/api/mous", json={"title": "Cells MoU"}).json()
    refused = client.post(f"/api/mous/{mou['id']}/status", json={"status": "approvals"})
    assert refused.status_code == 422 and refused.json()["field"] == "version"
    done = client.post(f"/api/mous/{mou['id']}/status", json={"status": "approvals", "version": mou["version"]})
    assert done.status_code == 200 and done.json()["status"] == "approvals"


def test_the_cli_asks_for_version_or_force(api: Api, env_db: Engine) -> None:
    lead = api().post("/api/opportunities", json={"title": "Cells"}).json()
    runner = CliRunner()
    out = runner.invoke(app, ["opportunity", "update", str(lead["id"]), "--next-action", "Call"])
    assert out.exit_code != 0 and "version: required" in str(out.exception)
    out = runner.invoke(app, ["opportunity", "update", str(lead["id"]), "--next-action", "Call", "--force",
                              "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["next_action"] == "Call"
    out = runner.invoke(app, ["opportunity", "move", str(lead["id"]), "engaged", "--version", "2", "--format", "json"])
    assert out.exit_code == 0 and json.loads(out.output)["stage"] == "engaged", out.output
    with Session(env_db) as s:
        forced = s.scalars(select(AuditEvent.summary).where(AuditEvent.action == "update")).one()
    assert "forced" in forced
