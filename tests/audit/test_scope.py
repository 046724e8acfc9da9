"""The audit trail shows each actor only the events of records they may read: a nodal officer the MoUs (and
their blockers and follow-ups) of their districts; the users and tokens to administrators alone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from investdesk.audit import service as audit
from investdesk.blockers import service as blockers
from investdesk.blockers.schemas import BlockerCreate
from investdesk.db import transaction
from investdesk.followups import service as followups
from investdesk.followups.schemas import FollowUpCreate
from investdesk.models.enums import BlockerCategory, RecordKind, Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
from investdesk.permissions import Actor
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import OpportunityCreate
from investdesk.users import service as users
from investdesk.users import tokens
from investdesk.users.schemas import UserCreate
from tests.factories import SYSTEM

Client = Callable[..., TestClient]
NODAL = Actor(id=None, label="nodal@test", role=Role.nodal_officer, districts=("Agra",))


def seed(engine: Engine) -> dict[str, int]:
    """A lead with an MoU in Agra and one in Jhansi, a blocker and a follow-up on each, a user and a token."""
    with transaction(engine) as s:
        lead = pipeline.create(s, actor=SYSTEM, data=OpportunityCreate(title="Food park"))
        ids = {"lead": lead.id}
        for district in ("Agra", "Jhansi"):
            mou = mous.create(s, actor=SYSTEM, data=MouCreate(title=f"{district} food park MoU", district=district,
                                                              opportunity_id=lead.id))
            blockers.add(s, actor=SYSTEM, mou_id=mou.id,
                         data=BlockerCreate(category=BlockerCategory.land, description=f"{district} land"))
            followups.create(s, actor=SYSTEM, data=FollowUpCreate(entity_type=RecordKind.mou, entity_id=mou.id,
                                                                  title=f"Call about {district}"))
            ids[district] = mou.id
        user, _ = users.create_user(s, actor=SYSTEM, data=UserCreate(email="asha@x.gov", role=Role.officer))
        tokens.create_token(s, actor=SYSTEM, user_id=user.id, name="laptop")
    return ids


def _seen(engine: Engine, actor: Actor, **kw: object) -> list[tuple[str, str]]:
    with Session(engine) as s:
        rows, total = audit.history(s, actor=actor, limit=1000, **kw)  # type: ignore[arg-type]
        assert total == len(rows)
        return [(r.entity_type, r.summary) for r in rows]


def test_a_nodal_officer_sees_only_the_events_of_their_districts(engine: Engine) -> None:
    ids = seed(engine)
    seen = _seen(engine, NODAL)
    text = " ".join(summary for _, summary in seen)
    assert "Agra food park MoU" in text and "Jhansi" not in text
    assert {kind for kind, _ in seen} == {"opportunity", "mou", "blocker", "follow_up"}
    assert _seen(engine, NODAL, entity_type="mou", entity_id=ids["Jhansi"]) == []
    assert len(_seen(engine, NODAL, entity_type="mou", entity_id=ids["Agra"])) == 1
    everything = _seen(engine, Actor(id=None, label="viewer@test", role=Role.viewer))
    assert any("Jhansi" in summary for _, summary in everything)


@pytest.mark.parametrize("role", [Role.viewer, Role.officer, Role.nodal_officer, Role.manager])
def test_users_and_tokens_are_for_administrators_only(engine: Engine, role: Role) -> None:
    seed(engine)
    kinds = {kind for kind, _ in _seen(engine, Actor(id=None, label="x@test", role=role, districts=("Agra",)))}
    assert kinds and not kinds & {"user", "api_token"}
    assert {"user", "api_token"} <= {kind for kind, _ in _seen(engine, SYSTEM)}


def test_the_audit_api_is_scoped_the_same_way(api: Client, engine: Engine) -> None:
    ids = seed(engine)
    nodal = api(Role.nodal_officer, districts=("Agra",))
    other = nodal.get("/api/audit", params={"entity_type": "mou", "entity_id": ids["Jhansi"]})
    assert other.status_code == 200 and other.json()["total"] == 0 and other.json()["items"] == []
    body = nodal.get("/api/audit", params={"per_page": 200}).text
    assert "Jhansi" not in body and "Agra food park MoU" in body
    viewer = api(Role.viewer).get("/api/audit", params={"per_page": 200}).json()
    assert viewer["total"] > 0 and not {"user", "api_token"} & {e["entity_type"] for e in viewer["items"]}
    assert "asha@x.gov" not in str(viewer)
    admin = api(Role.admin).get("/api/audit", params={"entity_type": "user"}).json()
    assert admin["total"] == 1


def test_a_lead_page_lists_only_the_mous_in_scope(api: Client, engine: Engine) -> None:
    ids = seed(engine)
    page = api(Role.nodal_officer, districts=("Agra",)).get(f"/opportunities/{ids['lead']}")
    assert page.status_code == 200, page.text
    assert "Agra food park MoU" in page.text and "Jhansi food park MoU" not in page.text
    assert "Jhansi food park MoU" in api(Role.viewer).get(f"/opportunities/{ids['lead']}").text
    with Session(engine) as s:
        assert [m.id for m in mous.of_opportunity(s, actor=NODAL, opportunity_id=ids["lead"])] == [ids["Agra"]]
