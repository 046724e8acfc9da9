"""Pages behind the real sign-in: session cookie, CSRF token in every form and HTMX request, roles."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk.config import Settings
from investdesk.models import Organization
from investdesk.users import service as users
from investdesk.web.app import create_app

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def signed_in(engine: Engine, tmp_path: Path, email: str) -> tuple[TestClient, str]:
    with Session(engine) as s:
        passwords = dict(users.ensure_demo_users(s))
        s.commit()
    password = passwords.get(email) or next(p for e, _, _, p, _, _ in users.DEMO_USERS if e == email)
    client = TestClient(create_app(Settings(data_dir=tmp_path), engine=engine), follow_redirects=False)
    login = client.get("/login", params={"next": "/organizations"})
    token = TOKEN.search(login.text).group(1)  # type: ignore[union-attr]
    res = client.post("/login", data={"email": email, "password": password, "csrf_token": token,
                                      "next": "/organizations"})
    assert res.status_code == 303 and res.headers["location"] == "/organizations", res.text
    return client, TOKEN.search(client.get("/organizations").text).group(1)  # type: ignore[union-attr]


def test_forms_need_the_page_token(engine: Engine, tmp_path: Path) -> None:
    client, token = signed_in(engine, tmp_path, "admin@demo.investdesk")
    page = client.get("/organizations/new")
    assert page.status_code == 200 and "admin@demo.investdesk" in page.text
    assert f'hx-headers=\'{{"X-CSRF-Token": "{token}"}}\'' in page.text and f'data-csrf="{token}"' in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    forged = client.post("/organizations/new", data={"name": "Link-J"})
    assert forged.status_code == 403
    by_form = client.post("/organizations/new", data={"name": "Link-J", "csrf_token": token})
    assert by_form.status_code == 303
    by_header = client.post("/organizations/new", data={"name": "Asahi Intecc"}, headers={"X-CSRF-Token": token,
                                                                                          "HX-Request": "true"})
    assert by_header.status_code == 204 and by_header.headers["HX-Redirect"].startswith("/organizations/")
    with Session(engine) as s:
        assert sorted(s.scalars(select(Organization.name))) == ["Asahi Intecc", "Link-J"]


def test_every_page_works_for_a_signed_in_manager(engine: Engine, tmp_path: Path) -> None:
    client, _ = signed_in(engine, tmp_path, "manager@demo.investdesk")
    for url in ("/", "/organizations", "/people", "/missions", "/documents", "/documents/upload", "/opportunities",
                "/opportunities/board", "/opportunities/new", "/mous", "/mous/new", "/mous/pending",
                "/search?q=demo"):
        res = client.get(url)
        assert res.status_code == 200, (url, res.text[:300])
        assert "manager@demo.investdesk" in res.text and 'name="csrf_token"' in res.text  # sign-out form at least


def test_a_viewer_signed_in_sees_no_write_actions(engine: Engine, tmp_path: Path) -> None:
    client, token = signed_in(engine, tmp_path, "viewer@demo.investdesk")
    listing = client.get("/organizations").text
    assert "New organization" not in listing
    refused = client.post("/organizations/new", data={"name": "Link-J", "csrf_token": token})
    assert refused.status_code == 403
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Organization)) == 0


def test_signing_out_closes_the_pages(engine: Engine, tmp_path: Path) -> None:
    client, token = signed_in(engine, tmp_path, "officer@demo.investdesk")
    out = client.post("/logout", data={"csrf_token": token})
    assert out.status_code == 303
    again = client.get("/opportunities")
    assert again.status_code == 303 and again.headers["location"].startswith("/login?next=")
