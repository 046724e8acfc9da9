"""The bell, the notifications page, preferences, the outbox page and unsubscribe links."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from investdesk.db import transaction
from investdesk.models import NotificationPreference, User
from investdesk.models.enums import Role
from investdesk.notifications import service
from investdesk.notifications.tokens import unsubscribe_token

Pages = Callable[..., TestClient]


def _user(engine: Engine, email: str = "asha@agency.test", role: Role = Role.officer) -> int:
    with transaction(engine) as session:
        user = User(email=email, name="Asha Rao", role=role)
        session.add(user)
        session.flush()
        for i in range(3):
            service.notify(session, user_ids=[user.id], kind="mou_pending", title=f"MoU pending: Plant {i}",
                           url=f"/mous/{i + 1}", dedupe_key=f"p{i}")
        return user.id


def test_bell_list_open_and_read_all(engine: Engine, pages: Pages) -> None:
    uid = _user(engine)
    web = pages(Role.officer, user_id=uid)
    home = web.get("/")
    assert 'hx-get="/notifications/bell"' in home.text and 'href="/account/preferences"' in home.text
    assert '<span class="bell-count" aria-label="3 unread">3</span>' in web.get("/notifications/bell").text
    page = web.get("/notifications")
    assert page.status_code == 200 and page.text.count('class="notification unread"') == 3
    assert "MoU pending: Plant 0" in page.text and "An MoU of mine turning pending" in page.text
    with transaction(engine) as session:
        first = service.list_notifications(session, actor=_actor(uid))[0][-1]
    opened = web.get(f"/notifications/{first.id}/open")
    assert opened.status_code == 303 and opened.headers["location"] == "/mous/1"
    assert 'aria-label="2 unread"' in web.get("/notifications/bell").text
    assert web.post(f"/notifications/{first.id}/read").status_code == 303  # already read: no harm
    assert web.post("/notifications/read-all").status_code == 303
    assert "bell-count" not in web.get("/notifications/bell").text
    assert "Nothing unread." in web.get("/notifications?show=unread").text
    assert pages(Role.manager, user_id=uid + 100).get(f"/notifications/{first.id}/open").status_code == 404


def _actor(uid: int) -> object:
    from investdesk.permissions import Actor

    return Actor(id=uid, label="asha", role=Role.officer)


def test_preferences_form(engine: Engine, pages: Pages) -> None:
    uid = _user(engine)
    web = pages(Role.officer, user_id=uid)
    page = web.get("/account/preferences")
    assert page.status_code == 200 and 'name="digest_time"' in page.text and "Create my calendar address" in page.text
    saved = web.post("/account/preferences", data={"digest_time": "07:30", "mail_digest": "1",
                                                   "app_lead_assigned": "1", "mail_blocker_escalated": ""})
    assert saved.status_code == 303
    with transaction(engine) as session:
        pref = session.get_one(NotificationPreference, uid)
        assert pref.digest_time == "07:30" and pref.digest_enabled
        assert "mou_pending" in pref.app_off and "lead_assigned" not in pref.app_off
        assert "blocker_escalated" in pref.mail_off
    bad = web.post("/account/preferences", data={"digest_time": "25:99"})
    assert bad.status_code == 422 and "HH:MM" in bad.text
    assert web.post("/api/account/calendar").json()["calendar_url"].endswith(".ics")
    assert web.put("/api/account/preferences", json={"digest_time": "9:05", "app_off": ["nope"]}).status_code == 422
    assert web.put("/api/account/preferences", json={"digest_time": "9:05"}).json()["digest_time"] == "09:05"


def test_unsubscribe_without_signing_in(engine: Engine, pages: Pages) -> None:
    uid = _user(engine)
    web = pages(Role.viewer)
    web.app.dependency_overrides.clear()  # nobody signed in
    token = unsubscribe_token(web.app.state.secret_key, uid, "blocker_escalated")  # type: ignore[attr-defined]
    page = web.get(f"/unsubscribe/{token}")
    assert page.status_code == 200 and "A blocker escalated to my level" in page.text
    assert web.post(f"/unsubscribe/{token}").status_code == 200
    digest = unsubscribe_token(web.app.state.secret_key, uid, "digest")  # type: ignore[attr-defined]
    assert web.post(f"/unsubscribe/{digest}").status_code == 200
    with transaction(engine) as session:
        pref = session.get_one(NotificationPreference, uid)
        assert pref.mail_off == ["blocker_escalated"] and pref.digest_enabled is False
    assert web.get(f"/unsubscribe/{token[:-2]}xx").status_code == 404
    assert web.get("/unsubscribe/garbage").status_code == 404


def test_outbox_page_is_for_admins(engine: Engine, pages: Pages) -> None:
    uid = _user(engine, "chief@agency.test", Role.admin)
    admin = pages(Role.admin, user_id=uid)
    page = admin.get("/admin/outbox")
    assert page.status_code == 200 and "Scheduled jobs" in page.text and "escalate_blockers" in page.text
    assert "No mail server is configured" in page.text
    assert pages(Role.manager, user_id=uid).get("/admin/outbox").status_code == 403
    assert pages(Role.manager, user_id=uid).get("/api/outbox").status_code == 403
    assert admin.get("/api/jobs").json()[0]["name"] == "digests"
