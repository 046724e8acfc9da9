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


def test_a_stale_edit_at_the_command_line_tells_the_last_editor(env_db: Engine) -> None:
    from typer.testing import CliRunner

    from investdesk.cli import app
    from investdesk.errors import Conflict
    from investdesk.pipeline import service as pipeline
    from investdesk.pipeline.schemas import OpportunityCreate, OpportunityUpdate
    from investdesk.users.service import actor_for, get_by_email

    anita, _ = _user(env_db, "anita@x.gov", "Anita Verma", Role.manager)
    ravi, _ = _user(env_db, "ravi@x.gov", "Ravi Kumar", Role.manager)
    with transaction(env_db) as s:
        as_anita = actor_for(get_by_email(s, "anita@x.gov"))
        opp = pipeline.create(s, actor=as_anita, data=OpportunityCreate(title="Hokuto Medtech plant"))
        s.flush()
        opp_id = opp.id
    with transaction(env_db) as s:
        pipeline.update(s, actor=as_anita, opportunity_id=opp_id,
                        data=OpportunityUpdate(next_action="Site visit", version=1))
    # Ravi updates the version he read before Anita's change: refused (exit status 2 through the console
    # script), and Anita is told in a transaction of its own, after the refused one rolled back.
    result = CliRunner().invoke(app, ["--as", "ravi@x.gov", "opportunity", "update", str(opp_id),
                                      "--next-action", "Call the CFO", "--version", "1"])
    assert isinstance(result.exception, Conflict), result.output
    [note] = _notes(env_db, anita)
    assert note.kind == "edit_conflict" and note.url == f"/opportunities/{opp_id}"
    assert "Ravi Kumar" in note.title and "Hokuto Medtech plant" in note.title
    assert _notes(env_db, ravi) == []
    with transaction(env_db) as s:
        assert pipeline.get(s, actor=as_anita, opportunity_id=opp_id).next_action == "Site visit"
    # A refusal by one's own stale copy tells nobody.
    result = CliRunner().invoke(app, ["--as", "anita@x.gov", "opportunity", "update", str(opp_id),
                                      "--next-action", "Call again", "--version", "1"])
    assert isinstance(result.exception, Conflict)
    assert len(_notes(env_db, anita)) == 1 and _notes(env_db, ravi) == []
