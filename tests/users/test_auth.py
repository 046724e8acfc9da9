"""Sign-in, sessions, tokens, CSRF and the permission of every API route, over the real app."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk.config import Settings
from investdesk.db import Base, transaction
from investdesk.models import AuditEvent
from investdesk.models.enums import Role
from investdesk.users import service as users
from investdesk.users import tokens
from investdesk.users.schemas import UserCreate
from investdesk.web.app import create_app
from tests.factories import SYSTEM


@pytest.fixture
def app_client(engine: Engine, tmp_path: object) -> Iterator[TestClient]:
    with transaction(engine) as s:
        users.create_user(s, actor=SYSTEM, data=UserCreate(email="admin@x.gov", role=Role.admin,
                                                          password="correct-horse-1"))
        users.create_user(s, actor=SYSTEM, data=UserCreate(email="viewer@x.gov", role=Role.viewer,
                                                          password="correct-horse-2"))
    app = create_app(Settings(data_dir=tmp_path, secret_key="test-secret-key"), engine=engine)  # type: ignore[arg-type]
    with TestClient(app) as client:
        yield client


def login(client: TestClient, email: str, password: str) -> object:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token, "next": "/"},
                       follow_redirects=False)


def test_sign_in_sets_a_safe_cookie_and_opens_the_desk(app_client: TestClient) -> None:
    assert app_client.get("/", follow_redirects=False).headers["location"].startswith("/login")
    response = login(app_client, "admin@x.gov", "correct-horse-1")
    assert response.status_code == 303  # type: ignore[attr-defined]
    cookie = response.headers["set-cookie"]  # type: ignore[attr-defined]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert app_client.get("/").status_code == 200
    assert app_client.get("/api/organizations").status_code == 200


def test_one_message_for_unknown_user_and_wrong_password_and_rate_limit(app_client: TestClient) -> None:
    unknown = login(app_client, "nobody@x.gov", "whatever-123")
    wrong = login(app_client, "admin@x.gov", "not-the-password")
    assert unknown.status_code == wrong.status_code == 401  # type: ignore[attr-defined]
    assert "wrong e-mail or password" in unknown.text and "wrong e-mail or password" in wrong.text  # type: ignore
    for _ in range(4):
        login(app_client, "admin@x.gov", "not-the-password")
    locked = login(app_client, "admin@x.gov", "correct-horse-1")
    assert locked.status_code == 429 and "too many failed sign-ins" in locked.text  # type: ignore[attr-defined]


def test_posts_without_the_csrf_token_are_refused(app_client: TestClient, engine: Engine) -> None:
    login(app_client, "admin@x.gov", "correct-horse-1")
    refused = app_client.post("/api/organizations", json={"name": "Forged Ltd"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    token = re.search(r'data-csrf="([^"]+)"', app_client.get("/").text).group(1)  # type: ignore[union-attr]
    ok = app_client.post("/api/organizations", json={"name": "Real Ltd"}, headers={"X-CSRF-Token": token})
    assert ok.status_code == 201
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_type ==
                                                                            "organization")) == 1


def test_bearer_tokens_work_until_revoked(app_client: TestClient, engine: Engine) -> None:
    with transaction(engine) as s:
        admin = users.get_by_email(s, "admin@x.gov")
        token, raw = tokens.create_token(s, actor=SYSTEM, user_id=admin.id, name="scripts")
    headers = {"Authorization": f"Bearer {raw}"}
    assert app_client.post("/api/organizations", json={"name": "Via Token"}, headers=headers).status_code == 201
    with transaction(engine) as s:
        tokens.revoke_token(s, actor=SYSTEM, token_id=token.id)
    assert app_client.get("/api/organizations", headers=headers).status_code == 401
    assert app_client.get("/api/organizations", headers={"Authorization": "Bearer idk_forged"}).status_code == 401


def test_security_headers_on_every_response(app_client: TestClient) -> None:
    for path in ("/health", "/login", "/docs", "/api/organizations"):
        headers = app_client.get(path).headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"


def _table_counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables
                if t.name not in {"login_attempts", "login_throttle", "api_tokens", "user_sessions"}}


def test_every_api_route_refuses_strangers_and_viewers_change_nothing(app_client: TestClient,
                                                                     engine: Engine) -> None:
    # Every route in the OpenAPI schema, so routes added later are covered without a hand-kept list.
    schema = app_client.get("/openapi.json").json()
    routes = [(m.upper(), p) for p, ops in schema["paths"].items() if p.startswith("/api") for m in ops]
    assert len(routes) >= 15
    before = _table_counts(engine)
    for method, path in routes:
        url = re.sub(r"\{[^}]+\}", "1", path)
        assert app_client.request(method, url, json={}).status_code == 401, (method, path)
    with transaction(engine) as s:
        viewer = users.get_by_email(s, "viewer@x.gov")
        # Token 1 is the administrator's: the viewer's DELETE /api/tokens/1 must not reach it.
        tokens.create_token(s, actor=SYSTEM, user_id=users.get_by_email(s, "admin@x.gov").id, name="admin")
        _, raw = tokens.create_token(s, actor=SYSTEM, user_id=viewer.id, name="viewer")
    before = _table_counts(engine)
    for method, path in routes:
        # A viewer's own notifications and preferences are theirs to change (covered in tests/web), and anyone
        # may make their own token.
        if method == "GET" or path.startswith(("/api/notifications", "/api/account")) or \
                (method, path) == ("POST", "/api/tokens"):
            continue
        url = re.sub(r"\{[^}]+\}", "1", path)
        status = app_client.request(method, url, json={"name": "x", "title": "x", "status": "approvals",
                                                       "to_stage": "engaged", "category": "land"},
                                    headers={"Authorization": f"Bearer {raw}"}).status_code
        assert status in {401, 403, 404, 422}, (method, path, status)
    after = _table_counts(engine)
    assert after == before


def test_one_time_password_must_be_replaced_before_any_page(app_client: TestClient, engine: Engine) -> None:
    with transaction(engine) as s:
        _, one_time = users.create_user(s, actor=SYSTEM, data=UserCreate(email="new@x.gov", role=Role.officer))
    signed_in = login(app_client, "new@x.gov", one_time)
    assert signed_in.headers["location"] == "/account/password?next=%2F"  # type: ignore[attr-defined]
    away = app_client.get("/organizations?q=x", follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"] == "/account/password?next=%2Forganizations%3Fq%3Dx"
    page = app_client.get("/account/password")
    assert "Choose your own password" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    form = {"csrf_token": token, "next": "/organizations", "current": one_time}
    for bad, field in [({"current": "wrong-one-1234"}, "current"), ({"new": "short"}, "new"),
                       ({"new": one_time, "confirm": one_time}, "new"),
                       ({"new": "a-long-new-secret", "confirm": "another-long-one"}, "confirm")]:
        refused = app_client.post("/account/password", data={**form, "new": "a-long-new-secret",
                                                              "confirm": "a-long-new-secret", **bad},
                                  follow_redirects=False)
        assert refused.status_code == 422 and f'id="{field}-error"' in refused.text, (bad, refused.text[-800:])
    with Session(engine) as s:
        assert users.get_by_email(s, "new@x.gov").must_change_password
    done = app_client.post("/account/password", data={**form, "new": "a-long-new-secret",
                                                       "confirm": "a-long-new-secret"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/organizations"
    assert app_client.get("/organizations", follow_redirects=False).status_code == 200
    with Session(engine) as s:
        assert not users.get_by_email(s, "new@x.gov").must_change_password
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "password",
                                                                            AuditEvent.summary.like("new@x.gov%")))
    app_client.post("/logout", data={"csrf_token": token})
    assert login(app_client, "new@x.gov", "a-long-new-secret").status_code == 303  # type: ignore[attr-defined]
