"""CSRF at the door: one cookie parser for authentication and the token check, an Origin check on every unsafe
request (sign-in included), a sign-in form token tied to each browser, and the app's own routes free of
database work on the event loop."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from starlette.middleware.base import BaseHTTPMiddleware

from investdesk.config import Settings
from investdesk.db import transaction
from investdesk.models import Organization
from investdesk.models.enums import Role
from investdesk.users import service as users
from investdesk.users.schemas import UserCreate
from investdesk.web.app import create_app
from investdesk.web.auth import COOKIE
from investdesk.web.deps import get_session
from tests.factories import SYSTEM

PASSWORD = "Quiet-Harbour-Lantern-7"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def client(engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    with transaction(engine) as s:
        users.create_user(s, actor=SYSTEM, data=UserCreate(email="officer@x.gov", role=Role.officer,
                                                          password=PASSWORD))
    app = create_app(Settings(data_dir=tmp_path, secret_key="test-secret-key"), engine=engine)
    yield TestClient(app, follow_redirects=False)


def _sign_in(client: TestClient) -> str:
    token = TOKEN.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
    assert client.post("/login", data={"email": "officer@x.gov", "password": PASSWORD, "csrf_token": token}
                       ).status_code == 303
    return client.cookies[COOKIE]


def _count(engine: Engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(Organization)) or 0


def test_a_duplicated_session_cookie_does_not_skip_the_token_check(client: TestClient, engine: Engine) -> None:
    valid = _sign_in(client)
    client.cookies.clear()
    for cookie in (f"{COOKIE}=; {COOKIE}={valid}", f"{COOKIE}={valid}; {COOKIE}=", f"{COOKIE}={valid}"):
        forged = client.post("/api/organizations", json={"name": "Forged"}, headers={"Cookie": cookie})
        assert forged.status_code == 403, (cookie, forged.status_code)
    two = client.post("/api/organizations", json={"name": "Forged"},
                      headers={"Cookie": f"{COOKIE}=a; {COOKIE}={valid}"})
    assert two.status_code == 401  # two different values: no session at all
    assert _count(engine) == 0


def test_cross_site_writes_are_refused_even_with_the_token(client: TestClient, engine: Engine) -> None:
    _sign_in(client)
    token = re.search(r'data-csrf="([^"]+)"', client.get("/organizations").text).group(1)  # type: ignore[union-attr]
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"},
                    {"Referer": "https://evil.example/page"}):
        res = client.post("/api/organizations", json={"name": "Cross"}, headers={"X-CSRF-Token": token, **headers})
        assert res.status_code == 403, headers
    same = client.post("/api/organizations", json={"name": "Own"}, headers={"X-CSRF-Token": token,
                                                                             "Origin": "http://testserver"})
    assert same.status_code == 201 and _count(engine) == 1


def test_sign_in_needs_this_browsers_own_form_and_origin(client: TestClient, engine: Engine, tmp_path: Path) -> None:
    attacker = TestClient(client.app, follow_redirects=False)
    attacker_token = TOKEN.search(attacker.get("/login").text).group(1)  # type: ignore[union-attr]
    own_token = TOKEN.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
    assert attacker_token != own_token  # no shared anonymous token
    form = {"email": "officer@x.gov", "password": PASSWORD}
    planted = client.post("/login", data={**form, "csrf_token": attacker_token})
    assert planted.status_code == 303 and planted.headers["location"].startswith("/login?expired")
    assert COOKIE not in client.cookies
    cross = client.post("/login", data={**form, "csrf_token": own_token}, headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403 and COOKIE not in client.cookies
    bare = TestClient(client.app, follow_redirects=False).post("/login", data={**form, "csrf_token": own_token})
    assert bare.status_code == 303 and bare.headers["location"].startswith("/login?expired")
    assert client.post("/login", data={**form, "csrf_token": own_token}).headers["location"] == "/"


def test_multipart_forms_carry_the_token_in_any_part(client: TestClient) -> None:
    _sign_in(client)
    token = re.search(r'data-csrf="([^"]+)"', client.get("/organizations").text).group(1)  # type: ignore[union-attr]
    files = {"file": ("mous.csv", b"title\nx\n", "text/csv")}
    ok = client.post("/opportunities/import", data={"dry_run": "1", "csrf_token": token}, files=files)
    refused = client.post("/opportunities/import", data={"dry_run": "1", "csrf_token": "0" * 40}, files=files)
    assert refused.status_code == 403 and "CSRF" in refused.text
    assert ok.status_code == 200 and "wrong CSRF token" not in ok.text


def test_no_route_does_database_work_on_the_event_loop(client: TestClient) -> None:
    """A coroutine route with a database session blocks every request while it waits for the database."""
    def uses_session(dependant: object) -> bool:
        deps = getattr(dependant, "dependencies", [])
        return any(getattr(d, "call", None) is get_session or uses_session(d) for d in deps)

    app = client.app
    blocking = [r.path for r in app.routes if isinstance(r, APIRoute)  # type: ignore[attr-defined]
                and inspect.iscoroutinefunction(r.endpoint) and uses_session(r.dependant)]
    assert blocking == []
    assert not any(issubclass(m.cls, BaseHTTPMiddleware) for m in app.user_middleware  # type: ignore[attr-defined]
                   if isinstance(m.cls, type))
