"""Page clients: the real app over the test database, signed in as a user of a given role; one Chromium per
browser-test module."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium for a module's tests."""
    from playwright.sync_api import sync_playwright

    from tests.web import live

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=live.CHROMIUM, args=live.CHROMIUM_ARGS)
        yield browser
        browser.close()
