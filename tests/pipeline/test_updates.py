"""Editing leads and MoUs: fields given change, the rest stay; assignment re-runs or is overridden."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from investdesk.cli import app
from investdesk.db import transaction
from investdesk.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from investdesk.models import AuditEvent, User
from investdesk.models.enums import Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate, MouUpdate
from investdesk.permissions import Actor
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import AmountIn, OpportunityCreate, OpportunityUpdate
from tests.factories import SYSTEM


def _users(session: Session) -> dict[str, User]:
    people = {"manager": User(email="am@x.gov", role=Role.manager),
              "nodal": User(email="nodal@x.gov", role=Role.nodal_officer, districts=["Agra"]),
              "officer": User(email="officer@x.gov", role=Role.officer),
              "other": User(email="other@x.gov", role=Role.officer)}
    session.add_all(people.values())
    session.flush()
    return people


def test_lead_update_changes_only_what_is_given(session: Session) -> None:
    people = _users(session)
    lead = pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(
        title="Cold chain", owner_id=people["officer"].id, district="Agra", sectors=["logistics"],
        amount=AmountIn(value=50, currency="INR", unit="crore")))
    officer = Actor(id=people["officer"].id, label="officer@x.gov", role=Role.officer)
    due = dt.date(2030, 1, 31)
    pipeline.update(session, actor=officer, opportunity_id=lead.id, data=OpportunityUpdate(
        next_action="Send the land options", next_action_due=due, amount=AmountIn(value=10, currency="USD",
                                                                                  unit="million"), version=1))
    assert (lead.next_action, lead.next_action_due, lead.district) == ("Send the land options", due, "Agra")
    assert lead.amount_inr_crore == pytest.approx(88.7) and [s.id for s in lead.sectors] == ["logistics"]
    with pytest.raises(Conflict):
        pipeline.update(session, actor=officer, opportunity_id=lead.id, data=OpportunityUpdate(jobs=5, version=1))
    other = Actor(id=people["other"].id, label="other@x.gov", role=Role.officer)
    with pytest.raises(PermissionDenied, match="only the leads they own"):
        pipeline.update(session, actor=other, opportunity_id=lead.id, data=OpportunityUpdate(jobs=5, version=2))
    with pytest.raises(ValidationFailed, match="title"):
        pipeline.update(session, actor=officer, opportunity_id=lead.id, data=OpportunityUpdate(title=None, version=2))
    with pytest.raises(NotFound, match="owner_id"):
        pipeline.update(session, actor=officer, opportunity_id=lead.id, data=OpportunityUpdate(owner_id=999, version=2))
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "update")).all()
    assert len(events) == 1 and events[0].before["next_action"] is None


def test_mou_update_reassigns_by_size_unless_overridden(session: Session) -> None:
    people = _users(session)
    mou = mous.create(session, actor=SYSTEM, data=MouCreate(
        title="Plant", district="Agra", amount=AmountIn(value=20, currency="INR", unit="crore")))
    assert (mou.nodal_officer_id, mou.account_manager_id) == (people["nodal"].id, None)
    mous.update(session, actor=SYSTEM, mou_id=mou.id, data=MouUpdate(
        amount=AmountIn(value=500, currency="INR", unit="crore"), version=mou.version))
    assert (mou.nodal_officer_id, mou.account_manager_id) == (None, people["manager"].id)  # now a large MoU
    mous.update(session, actor=SYSTEM, mou_id=mou.id, data=MouUpdate(nodal_officer_id=people["nodal"].id,
                                                                     version=mou.version))
    assert mou.assignment_overridden and mou.nodal_officer_id == people["nodal"].id
    mous.update(session, actor=SYSTEM, mou_id=mou.id, data=MouUpdate(
        amount=AmountIn(value=5, currency="INR", unit="crore"), version=mou.version))
    assert mou.nodal_officer_id == people["nodal"].id  # overridden: left alone
    other = mous.create(session, actor=SYSTEM, data=MouCreate(title="Other"))
    mous.update(session, actor=SYSTEM, mou_id=other.id, data=MouUpdate(reference="UP/2025/17", version=1))
    with pytest.raises(Conflict, match="reference"):
        mous.update(session, actor=SYSTEM, mou_id=mou.id,
                    data=MouUpdate(reference="UP/2025/17", version=mou.version))
    nodal = Actor(id=people["nodal"].id, label="nodal@x.gov", role=Role.nodal_officer, districts=("Agra",))
    with pytest.raises(PermissionDenied):
        mous.update(session, actor=nodal, mou_id=mou.id, data=MouUpdate(title="Renamed", version=mou.version))


def test_patch_over_the_api_and_cli(api: Callable[..., TestClient], env_db: Engine) -> None:
    with transaction(env_db) as s:
        people = _users(s)
        nodal_email = people["nodal"].email
    client = api()
    lead = client.post("/api/opportunities", json={"title": "Cells"}).json()
    patched = client.patch(f"/api/opportunities/{lead['id']}", json={"next_action": "Call", "version": 1})
    assert patched.status_code == 200 and patched.json()["next_action"] == "Call" and patched.json()["version"] == 2
    stale = client.patch(f"/api/opportunities/{lead['id']}", json={"jobs": 3, "version": 1})
    assert stale.status_code == 409
    bad = client.patch(f"/api/opportunities/{lead['id']}", json={"stage": "grounded", "version": 2})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "stage"  # stages move through /move
    mou = client.post("/api/mous", json={"title": "Plant", "district": "Agra"}).json()
    runner = CliRunner()
    out = runner.invoke(app, ["mou", "assign", str(mou["id"]), "--nodal-officer", nodal_email, "--version", "1",
                                "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["nodal_officer_id"] is not None
    out = runner.invoke(app, ["opportunity", "update", str(lead["id"]), "--due", "2031-02-03", "--version", "2",
                              "--format", "json"])
    assert out.exit_code == 0 and json.loads(out.output)["next_action_due"] == "2031-02-03"
    assert runner.invoke(app, ["mou", "assign", str(mou["id"])]).exit_code != 0
