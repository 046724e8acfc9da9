"""Who owns a lead: an officer claims an unowned lead; ``can`` says what each person may do, and why not."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from investdesk.db import transaction
from investdesk.errors import Conflict, PermissionDenied
from investdesk.models import AuditEvent, Opportunity, User
from investdesk.models.enums import Role
from investdesk.permissions import Actor, can
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import OpportunityCreate, StageMove
from tests.factories import SYSTEM


def _officers(session: Session) -> tuple[Actor, Actor]:
    a, b = User(email="a@x.gov", role=Role.officer), User(email="b@x.gov", role=Role.officer)
    session.add_all([a, b])
    session.flush()
    return (Actor(id=a.id, label=a.email, role=Role.officer), Actor(id=b.id, label=b.email, role=Role.officer))


def test_an_officer_claims_an_unowned_lead_then_may_move_it(session: Session) -> None:
    asha, ravi = _officers(session)
    lead = pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(title="Cold chain"))
    assert not can(asha, "move_lead", lead) and "claim it first" in can(asha, "move_lead", lead).reason
    with pytest.raises(PermissionDenied, match="claim it first"):
        pipeline.move(session, actor=asha, opportunity_id=lead.id, data=StageMove(to_stage="engaged", version=1))
    assert can(asha, "claim_lead", lead)
    pipeline.claim(session, actor=asha, opportunity_id=lead.id, version=lead.version)
    assert lead.owner_id == asha.id and can(asha, "move_lead", lead) and can(asha, "edit_lead", lead)
    # Someone else's lead is neither claimable nor movable by another officer.
    assert not can(ravi, "claim_lead", lead) and not can(ravi, "move_lead", lead)
    with pytest.raises(Conflict, match="already has an owner"):
        pipeline.claim(session, actor=ravi, opportunity_id=lead.id, version=lead.version)
    pipeline.move(session, actor=asha, opportunity_id=lead.id, data=StageMove(to_stage="engaged", version=lead.version))
    assert lead.stage.value == "engaged"
    claims = session.scalars(select(AuditEvent).where(AuditEvent.action == "claim")).all()
    assert len(claims) == 1 and claims[0].before["owner_id"] is None and claims[0].after["owner_id"] == asha.id


def test_claim_needs_the_version_read_and_a_role_that_may_change_leads(session: Session) -> None:
    asha, _ = _officers(session)
    lead = pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(title="Cold chain"))
    with pytest.raises(Conflict):
        pipeline.claim(session, actor=asha, opportunity_id=lead.id, version=lead.version + 1)
    viewer = Actor(id=None, label="v@x.gov", role=Role.viewer)
    assert "viewer" in can(viewer, "claim_lead", lead).reason
    with pytest.raises(PermissionDenied):
        pipeline.claim(session, actor=viewer, opportunity_id=lead.id, version=lead.version)
    assert not can(viewer, "upload_documents") and can(asha, "upload_documents")
    assert not can(asha, "register_mou") and can(Actor(id=None, label="m", role=Role.manager), "register_mou")
    assert lead.owner_id is None


def test_claim_over_the_api(api: Callable[..., TestClient], engine: Engine) -> None:
    with transaction(engine) as s:
        asha, ravi = _officers(s)
        lead = pipeline.create(s, actor=SYSTEM, data=OpportunityCreate(title="Cold chain"))
        lead_id = lead.id
    url = f"/api/opportunities/{lead_id}/claim"
    assert api(Role.viewer).post(url, json={"version": 1}).status_code == 403
    claimed = api(Role.officer, user_id=asha.id).post(url, json={"version": 1})
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["owner_id"] == asha.id
    again = api(Role.officer, user_id=ravi.id).post(url, json={"version": claimed.json()["version"]})
    assert again.status_code == 409 and "already has an owner" in again.json()["detail"]
    with Session(engine) as s:
        assert s.get(Opportunity, lead_id).owner_id == asha.id
