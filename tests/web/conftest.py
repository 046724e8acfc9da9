"""Page clients: the real app over the test database, signed in as a user of a given role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from investdesk.config import Settings
from investdesk.models.enums import Role
from investdesk.permissions import Actor
from investdesk.web.app import create_app
from investdesk.web.deps import get_actor


@pytest.fixture
def pages(engine: Engine, tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    """``pages(Role.viewer)`` is a browser-like client (no redirects followed) acting as that role."""
    app = create_app(Settings(data_dir=tmp_path), engine=engine)

    def as_role(role: Role = Role.admin, user_id: int | None = None, **scope: tuple[str, ...]) -> TestClient:
        app.dependency_overrides[get_actor] = lambda: Actor(id=user_id, label=f"{role.value}@test", role=role,
                                                            **scope)
        return TestClient(app, raise_server_exceptions=False, follow_redirects=False)

    yield as_role
    app.dependency_overrides.clear()
