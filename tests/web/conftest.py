from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from investdesk.config import Settings
from investdesk.models.enums import Role
from investdesk.permissions import Actor
from investdesk.web.app import create_app
from investdesk.web.deps import get_actor


@pytest.fixture
def api(engine: Engine, tmp_path: object) -> Iterator[Callable[..., TestClient]]:
    """A client of the real app on the test database, acting as a user of the given role."""
    app = create_app(Settings(data_dir=tmp_path), engine=engine)  # type: ignore[arg-type]

    def as_role(role: Role = Role.admin, **scope: tuple[str, ...]) -> TestClient:
        app.dependency_overrides[get_actor] = lambda: Actor(id=None, label=f"{role.value}@test", role=role, **scope)
        return TestClient(app, raise_server_exceptions=False)

    yield as_role
    app.dependency_overrides.clear()
