"""Who owns a lead: an officer claims an unowned lead; ``can`` says what each person may do, and why not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from investdesk.db import transaction
from investdesk.errors import Conflict, PermissionDenied, ValidationFailed
from investdesk.models import AuditEvent, Opportunity, User
from investdesk.models.enums import Role
from investdesk.permissions import Actor, can
from investdesk.pipeline import owners
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


def test_a_manager_names_default_owners_that_accepted_leads_go_to(session: Session, tmp_path: Path) -> None:
    from investdesk.documents import review
    from tests.documents.helpers import store

    asha, ravi = _officers(session)
    manager = Actor(id=None, label="m@x.gov", role=Role.manager)
    with pytest.raises(PermissionDenied):
        owners.set_default(session, actor=asha, sector=None, country="JP", owner_id=asha.id)
    with pytest.raises(ValidationFailed, match="sector"):
        owners.set_default(session, actor=manager, sector=None, country=None, owner_id=asha.id)
    owners.set_default(session, actor=manager, sector=None, country="jp", owner_id=ravi.id)
    owners.set_default(session, actor=manager, sector="pharmaceuticals", country=None, owner_id=asha.id)
    owners.set_default(session, actor=manager, sector=None, country="JP", owner_id=asha.id)  # replaces, not adds
    assert [(r.sector_id, r.country, r.owner_id) for r in owners.list_defaults(session, actor=asha)] == [
        (None, "JP", asha.id), ("pharmaceuticals", None, asha.id)]
    assert owners.default_owner(session, sector_ids=[], country="JP") == asha.id
    owners.set_default(session, actor=manager, sector="pharmaceuticals", country="JP", owner_id=ravi.id)
    assert owners.default_owner(session, sector_ids=["pharmaceuticals"], country="JP") == ravi.id  # most specific
    assert owners.default_owner(session, sector_ids=["pharmaceuticals"], country="KR") == asha.id
    assert owners.default_owner(session, sector_ids=["logistics"], country="KR") is None
    owners.set_default(session, actor=manager, sector="pharmaceuticals", country="JP", owner_id=None)
    owners.set_default(session, actor=manager, sector=None, country="JP", owner_id=ravi.id)

    # The document's lead is with a Japanese company: it goes to the default for Japan, not to the accepter.
    doc = store(session, tmp_path).document
    review.accept_all(session, actor=asha, document_id=doc.id)
    assert session.scalars(select(Opportunity)).one().owner_id == ravi.id


def test_owner_defaults_over_the_api(api: Callable[..., TestClient], engine: Engine) -> None:
    with transaction(engine) as s:
        asha, _ = _officers(s)
    body = {"sector": "Pharmaceuticals", "owner_id": asha.id}
    assert api(Role.officer, user_id=asha.id).put("/api/opportunities/owner-defaults", json=body).status_code == 403
    named = api(Role.manager).put("/api/opportunities/owner-defaults", json=body)
    assert named.status_code == 200, named.text
    assert named.json() == {"sector": "pharmaceuticals", "country": None, "owner_id": asha.id}
    assert api(Role.viewer).get("/api/opportunities/owner-defaults").json() == [named.json()]
    bad = api(Role.manager).put("/api/opportunities/owner-defaults", json={"owner_id": asha.id})
    assert bad.status_code == 422 and "sector" in bad.text
    removed = api(Role.manager).put("/api/opportunities/owner-defaults", json={**body, "owner_id": None})
    assert removed.status_code == 200 and removed.json() is None
    assert api(Role.viewer).get("/api/opportunities/owner-defaults").json() == []
