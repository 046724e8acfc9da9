"""Server-side sessions and API tokens: sign-out, a new password, an administrator's reset or disable end them;
idle and absolute expiry; one-time passwords that expire, sign in once and open nothing but the password change."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from investdesk.config import Settings
from investdesk.db import transaction, utcnow
from investdesk.models import ApiToken, User, UserSession
from investdesk.models.enums import Role
from investdesk.users import recent, tokens
from investdesk.users import service as users
from investdesk.users.schemas import UserCreate
from investdesk.web.app import create_app
from investdesk.web.auth import COOKIE
from tests.factories import SYSTEM

PASSWORD = "Quiet-Harbour-Lantern-7"
KEY = "tN4vQ8xK2mR7wZ1pL5sY9dF3hJ6bC0gE"  # a production-grade secret key


@pytest.fixture
def app(engine: Engine, tmp_path: Path) -> Iterator[object]:
    with transaction(engine) as s:
        users.create_user(s, actor=SYSTEM, data=UserCreate(email="officer@x.gov", name="Ravi Kumar",
                                                          role=Role.officer, password=PASSWORD))
        users.create_user(s, actor=SYSTEM, data=UserCreate(email="admin@x.gov", role=Role.admin,
                                                          password="Mango-Orchard-Window-4"))
    yield create_app(Settings(data_dir=tmp_path, secret_key="test-secret-key", session_idle_minutes=30,
                              session_max_hours=8), engine=engine)


def browser(app: object, address: str = "10.0.0.1") -> TestClient:
    return TestClient(app, follow_redirects=False, client=(address, 50000))  # type: ignore[arg-type]


def sign_in(client: TestClient, email: str = "officer@x.gov", password: str = PASSWORD) -> object:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token, "next": "/"})


def page_token(client: TestClient) -> str:
    return re.search(r'data-csrf="([^"]+)"', client.get("/organizations").text).group(1)  # type: ignore[union-attr]


def test_sign_out_ends_the_session_on_the_server(app: object) -> None:
    client = browser(app)
    assert sign_in(client).status_code == 303  # type: ignore[attr-defined]
    stolen = client.cookies[COOKIE]
    assert client.get("/api/organizations").status_code == 200
    assert client.post("/logout", data={"csrf_token": page_token(client)}).status_code == 303
    thief = browser(app, "10.9.9.9")
    thief.cookies.set(COOKIE, stolen)
    assert thief.get("/api/organizations").status_code == 401
    assert thief.get("/organizations").headers["location"].startswith("/login")


def test_a_new_password_ends_every_other_session_and_keeps_this_browser(app: object, engine: Engine) -> None:
    laptop, phone = browser(app), browser(app, "10.0.0.2")
    sign_in(laptop)
    sign_in(phone)
    res = laptop.post("/account/password", data={"csrf_token": page_token(laptop), "current": PASSWORD,
                                                  "new": "Copper-Kettle-Meadow-9", "confirm": "Copper-Kettle-Meadow-9"})
    assert res.status_code == 303
    assert laptop.get("/api/organizations").status_code == 200  # a fresh session for the browser that asked
    assert phone.get("/api/organizations").status_code == 401


def test_administrator_reset_and_disable_end_sessions_and_enable_lets_back_in(app: object, engine: Engine) -> None:
    client = browser(app)
    sign_in(client)
    with transaction(engine) as s:
        one_time = users.set_password(s, actor=SYSTEM, email="officer@x.gov")
    assert client.get("/api/organizations").status_code == 401
    sign_in(client, password=one_time)
    with transaction(engine) as s:
        users.disable(s, actor=SYSTEM, email="officer@x.gov")
    assert client.get("/account/password").status_code == 303  # signed out: to the sign-in page
    assert sign_in(browser(app, "10.0.0.3"), password=one_time).status_code == 401  # type: ignore[attr-defined]
    with transaction(engine) as s:
        users.set_password(s, actor=SYSTEM, email="officer@x.gov", password="Silver-Canyon-Ladder-2")
        users.enable(s, actor=SYSTEM, email="officer@x.gov")
    assert sign_in(browser(app, "10.0.0.4"), password="Silver-Canyon-Ladder-2").status_code == 303  # type: ignore


@pytest.mark.parametrize("column", ["last_seen_at", "expires_at"])
def test_idle_and_absolute_expiry(app: object, engine: Engine, column: str) -> None:
    client = browser(app)
    sign_in(client)
    assert client.get("/api/organizations").status_code == 200
    past = utcnow() - dt.timedelta(minutes=31) if column == "last_seen_at" else utcnow() - dt.timedelta(seconds=1)
    with transaction(engine) as s:
        s.execute(update(UserSession).values({column: past}))
    recent.forget_all()  # the time has passed: what this process remembered of the session has run out too
    assert client.get("/api/organizations").status_code == 401


def test_one_time_password_opens_only_the_password_change_expires_and_works_once(app: object,
                                                                                 engine: Engine) -> None:
    with transaction(engine) as s:
        _, one_time = users.create_user(s, actor=SYSTEM, data=UserCreate(email="new@x.gov", role=Role.manager))
    client = browser(app)
    assert sign_in(client, "new@x.gov", one_time).headers["location"].startswith("/account/password")  # type: ignore
    api = client.get("/api/organizations")
    assert api.status_code == 403 and api.json()["error"] == "password_change_required"
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account/password").text).group(1)  # type: ignore
    refused = client.post("/api/organizations", json={"name": "X"}, headers={"X-CSRF-Token": token})
    assert refused.status_code == 403
    assert client.post("/api/tokens", json={"name": "mine"}, headers={"X-CSRF-Token": token}).status_code == 403
    again = sign_in(browser(app, "10.0.0.2"), "new@x.gov", one_time)
    assert again.status_code == 401 and "used already" in again.text  # type: ignore[attr-defined]
    changed = client.post("/api/account/password", json={"current": one_time, "new": "Velvet-Thunder-Orbit-5",
                                                         "confirm": "Velvet-Thunder-Orbit-5"},
                          headers={"X-CSRF-Token": token})
    assert changed.status_code == 204
    assert sign_in(browser(app, "10.0.0.3"), "new@x.gov", "Velvet-Thunder-Orbit-5").status_code == 303  # type: ignore
    with transaction(engine) as s:
        late = users.set_password(s, actor=SYSTEM, email="new@x.gov")
        s.execute(update(User).where(User.email == "new@x.gov").values(otp_expires_at=utcnow() - dt.timedelta(hours=1)))
    expired = sign_in(browser(app, "10.0.0.4"), "new@x.gov", late)
    assert expired.status_code == 401 and "expired" in expired.text  # type: ignore[attr-defined]


def test_one_time_passwords_expire_after_the_setting(engine: Engine) -> None:
    with transaction(engine) as s:
        user, _ = users.create_user(s, actor=SYSTEM, data=UserCreate(email="otp@x.gov", role=Role.viewer))
        expires = user.otp_expires_at
    assert expires is not None
    hours = (expires.replace(tzinfo=dt.UTC) if expires.tzinfo is None else expires) - utcnow()
    assert dt.timedelta(hours=71) < hours <= dt.timedelta(hours=72)


def test_tokens_expire_are_listed_and_revoked_by_their_owner_and_an_admin(app: object, engine: Engine) -> None:
    with transaction(engine) as s:
        officer = users.get_by_email(s, "officer@x.gov")
        admin = users.get_by_email(s, "admin@x.gov")
        short, short_raw = tokens.create_token(s, actor=SYSTEM, user_id=officer.id, name="short", expires_in_days=1)
        _, admin_raw = tokens.create_token(s, actor=SYSTEM, user_id=admin.id, name="admin scripts")
    client = browser(app)
    as_officer = {"Authorization": f"Bearer {short_raw}"}
    made = client.post("/api/tokens", json={"name": "nightly", "expires_in_days": 30}, headers=as_officer)
    assert made.status_code == 201 and made.json()["token"].startswith("idk_") and made.json()["expires_at"]
    mine = client.get("/api/tokens", headers=as_officer).json()
    assert [t["name"] for t in mine] == ["short", "nightly"] and all("token" not in t for t in mine)
    assert client.get("/api/tokens?all=true", headers=as_officer).status_code == 403
    everyone = client.get("/api/tokens?all=true", headers={"Authorization": f"Bearer {admin_raw}"}).json()
    assert {t["user_email"] for t in everyone} == {"officer@x.gov", "admin@x.gov"}
    nightly = {"Authorization": f"Bearer {made.json()['token']}"}
    assert client.delete(f"/api/tokens/{made.json()['id']}", headers=as_officer).status_code == 204
    assert client.get("/api/organizations", headers=nightly).status_code == 401
    admin_id = next(t["id"] for t in everyone if t["user_email"] == "admin@x.gov")
    assert client.delete(f"/api/tokens/{admin_id}", headers=as_officer).status_code == 404  # not the officer's
    with transaction(engine) as s:
        s.execute(update(ApiToken).where(ApiToken.id == short.id).values(expires_at=utcnow() - dt.timedelta(1)))
    recent.forget_all()  # a day has passed
    assert client.get("/api/organizations", headers=as_officer).status_code == 401


def test_a_read_writes_nothing(app: object, engine: Engine) -> None:
    """Neither the session's last sight nor the token's last use is written on every request."""
    from sqlalchemy import event

    with transaction(engine) as s:
        _, raw = tokens.create_token(s, actor=SYSTEM, user_id=users.get_by_email(s, "officer@x.gov").id, name="r")
    client = browser(app)
    sign_in(client)
    client.get("/api/organizations")
    client.get("/api/organizations", headers={"Authorization": f"Bearer {raw}"})
    writes: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        for _ in range(3):
            assert client.get("/api/organizations").status_code == 200
            assert client.get("/organizations").status_code == 200
            assert client.get("/api/organizations", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert writes == []


def test_a_session_and_a_token_seen_a_while_ago_are_refreshed(app: object, engine: Engine) -> None:
    """Past the refresh interval, the request still works and writes its last sight once."""
    with transaction(engine) as s:
        _, raw = tokens.create_token(s, actor=SYSTEM, user_id=users.get_by_email(s, "officer@x.gov").id, name="r")
    client = browser(app)
    sign_in(client)
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/organizations", headers=headers).status_code == 200
    long_ago = utcnow() - dt.timedelta(minutes=20)
    with transaction(engine) as s:
        s.execute(update(UserSession).values(last_seen_at=long_ago))
        s.execute(update(ApiToken).values(last_used_at=long_ago))
    recent.forget_all()  # twenty minutes have passed
    assert client.get("/organizations").status_code == 200
    assert client.get("/api/organizations", headers=headers).status_code == 200
    with Session(engine) as s:
        seen = s.scalars(select(UserSession.last_seen_at)).one()
        used = s.scalars(select(ApiToken.last_used_at)).one()
    for value in (seen, used):
        assert value is not None and (value if value.tzinfo else value.replace(tzinfo=dt.UTC)) > long_ago


def test_password_rules_name_the_field(app: object, engine: Engine) -> None:
    client = browser(app)
    sign_in(client)
    token = page_token(client)
    for new, reason in [("aaaaaaaaaa", "different characters"), ("qwertyuiop", "most common"),
                        ("Password123", "most common"), ("ravi-kumar-2026", "your name or e-mail"),
                        ("officer-at-desk", "your name or e-mail"), ("short", "at least 10")]:
        res = client.post("/account/password", data={"csrf_token": token, "current": PASSWORD, "new": new,
                                                      "confirm": new})
        assert res.status_code == 422 and 'id="new-error"' in res.text and reason in res.text, (new, res.text[-600:])
    with Session(engine) as s, pytest.raises(Exception, match="password: this is one of the most common"):
        users.create_user(s, actor=SYSTEM, data=UserCreate(email="p@x.gov", role=Role.viewer,
                                                          password="1234567890"))


def test_behind_a_trusted_proxy_the_cookie_is_secure(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as s:
        users.create_user(s, actor=SYSTEM, data=UserCreate(email="officer@x.gov", role=Role.officer,
                                                          password=PASSWORD))
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    for allow, secure in ((None, False), ("*", True)):
        app = create_app(Settings(data_dir=tmp_path, secret_key=KEY, forwarded_allow_ips=allow), engine=engine)
        client = TestClient(app, follow_redirects=False, headers=https, base_url="http://desk.example")
        page = client.get("/login")
        assert ("; secure" in page.headers["set-cookie"].lower()) is secure
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        # The test client, on http, would not send back a Secure cookie: it is sent by hand, as the proxy would.
        res = client.post("/login", data={"email": "officer@x.gov", "password": PASSWORD, "csrf_token": token},
                          headers={"Origin": "https://desk.example" if secure else "http://desk.example",
                                   "Cookie": f"investdesk_login={page.cookies['investdesk_login']}"})
        assert res.status_code == 303 and res.headers["location"] == "/", res.text
        session_cookie = next(c for c in res.headers.get_list("set-cookie") if c.startswith(COOKIE))
        assert ("; secure" in session_cookie.lower()) is secure


def test_api_description_needs_sign_in_in_production(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as s:
        user, _ = users.create_user(s, actor=SYSTEM, data=UserCreate(email="v@x.gov", role=Role.viewer,
                                                                    password=PASSWORD))
        _, raw = tokens.create_token(s, actor=SYSTEM, user_id=user.id, name="docs")
    app = create_app(Settings(data_dir=tmp_path, secret_key=KEY, environment="production"), engine=engine)
    client = TestClient(app, follow_redirects=False)
    assert client.get("/openapi.json").status_code == 401
    assert client.get("/docs").status_code in (303, 401)
    assert client.get("/redoc").status_code in (303, 401, 404)
    assert client.get("/openapi.json", headers={"Authorization": f"Bearer {raw}"}).json()["info"]["title"]
    assert client.get("/docs", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    development = TestClient(create_app(Settings(data_dir=tmp_path, secret_key=KEY), engine=engine))
    assert development.get("/openapi.json").status_code == 200


def test_an_identity_is_remembered_for_a_bounded_time_and_forgotten_at_once_on_revocation(
        app: object, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A session or token ended behind this process's back (by another server process) still opens the door until
    what this process remembered runs out (recent.REMEMBER seconds), and no longer; one ended through the services
    is refused at once."""
    clock = [1000.0]
    monkeypatch.setattr(recent.time, "monotonic", lambda: clock[0])
    with transaction(engine) as s:
        _, raw = tokens.create_token(s, actor=SYSTEM, user_id=users.get_by_email(s, "officer@x.gov").id, name="r")
    client = browser(app)
    sign_in(client)
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/organizations").status_code == 200
    assert client.get("/api/organizations", headers=headers).status_code == 200
    with transaction(engine) as s:  # as another process would: no word to this one
        s.execute(update(UserSession).values(ended_at=utcnow()))
        s.execute(update(ApiToken).values(revoked_at=utcnow()))
    clock[0] += recent.REMEMBER - 0.1
    assert client.get("/api/organizations").status_code == 200  # still remembered
    assert client.get("/api/organizations", headers=headers).status_code == 200
    clock[0] += 0.1
    assert client.get("/api/organizations").status_code == 401
    assert client.get("/api/organizations", headers=headers).status_code == 401
    again = browser(app, "10.0.0.9")
    sign_in(again)
    assert again.get("/api/organizations").status_code == 200
    with transaction(engine) as s:
        users.disable(s, actor=SYSTEM, email="officer@x.gov")
    assert again.get("/api/organizations").status_code == 401  # through the services: at once
