"""An edit refused because the record changed meanwhile: whoever made the change that stands is told who was
refused (one notification per refused attempt), on the API and on the pages alike."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from investdesk.config import Settings
from investdesk.db import transaction
from investdesk.models import Notification
from investdesk.models.enums import Role
from investdesk.users import service as users
from investdesk.users import tokens
from investdesk.users.schemas import UserCreate
from investdesk.web.app import create_app
from tests.factories import SYSTEM


def _user(engine: Engine, email: str, name: str, role: Role) -> tuple[int, dict[str, str]]:
    with transaction(engine) as s:
        user, _ = users.create_user(s, actor=SYSTEM, data=UserCreate(email=email, name=name, role=role,
                                                                  password="Quiet-Harbour-Lantern-7"))
        _, raw = tokens.create_token(s, actor=SYSTEM, user_id=user.id, name="desk")
        return user.id, {"Authorization": f"Bearer {raw}"}


def _notes(engine: Engine, uid: int) -> list[Notification]:
    with transaction(engine) as s:
        return list(s.scalars(select(Notification).where(Notification.user_id == uid).order_by(Notification.id)))


def test_the_one_whose_change_stands_hears_of_the_refused_edit(engine: Engine, tmp_path: Path) -> None:
    client = TestClient(create_app(Settings(data_dir=tmp_path), engine=engine))
    anita, as_anita = _user(engine, "anita@x.gov", "Anita Verma", Role.manager)
    ravi, as_ravi = _user(engine, "ravi@x.gov", "Ravi Kumar", Role.manager)
    org = client.post("/api/organizations", json={"name": "Hokuto Medtech"}, headers=as_anita).json()
    # Anita's own edits on top of each other: no conflict, no news.
    assert client.patch(f"/api/organizations/{org['id']}", json={"city": "Osaka", "version": 1},
                        headers=as_anita).status_code == 200
    assert _notes(engine, anita) == [] and _notes(engine, ravi) == []
    # Ravi edits the copy he read before Anita's change: refused, and Anita is told who and what.
    stale = client.patch(f"/api/organizations/{org['id']}", json={"city": "Kobe", "version": 1}, headers=as_ravi)
    assert stale.status_code == 409
    [note] = _notes(engine, anita)
    assert note.kind == "edit_conflict" and note.url == f"/organizations/{org['id']}"
    assert "Ravi Kumar" in note.title and "Hokuto Medtech" in note.title
    assert _notes(engine, ravi) == []
    # The same refused attempt sent twice is one notification; a refusal by one's own stale copy tells nobody.
    client.patch(f"/api/organizations/{org['id']}", json={"city": "Kobe", "version": 1}, headers=as_ravi)
    assert len(_notes(engine, anita)) == 1
    assert client.patch(f"/api/organizations/{org['id']}", json={"city": "Nara", "version": 1},
                        headers=as_anita).status_code == 409
    assert len(_notes(engine, anita)) == 1 and _notes(engine, ravi) == []
    # After Ravi's own change stands, a stale edit by Anita tells Ravi.
    assert client.patch(f"/api/organizations/{org['id']}", json={"city": "Kobe", "version": 2},
                        headers=as_ravi).status_code == 200
    assert client.patch(f"/api/organizations/{org['id']}", json={"city": "Nara", "version": 2},
                        headers=as_anita).status_code == 409
    [told] = _notes(engine, ravi)
    assert "Anita Verma" in told.title
