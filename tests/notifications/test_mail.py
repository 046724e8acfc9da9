"""Digests and escalation mail through the outbox to a real SMTP server (aiosmtpd on a free local port):
recipients, subjects, content; a server down then back delivers exactly once; a wrong password, an
unreachable host and an invalid recipient leave the message in the outbox with its error, shown to an admin,
while the app keeps serving."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import joinedload

from investdesk.blockers import service as blockers
from investdesk.blockers.schemas import BlockerCreate
from investdesk.config import Settings
from investdesk.db import transaction
from investdesk.jobs import service as jobs
from investdesk.models import Blocker, FollowUp, Mou, OutboxMessage, User
from investdesk.models.enums import EscalationLevel, Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
from investdesk.notifications.tokens import unsubscribe_token
from investdesk.permissions import Actor
from investdesk.web.app import create_app
from investdesk.web.deps import get_actor
from tests.factories import SYSTEM, add_user, at_ist
from tests.notifications.conftest import REFUSED, SmtpServer, free_port

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
TODAY = dt.datetime.now(dt.UTC).astimezone(at_ist(dt.date.today()).tzinfo).date()


def outbox(engine: Engine) -> list[OutboxMessage]:
    with transaction(engine) as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def send(engine: Engine, now: dt.datetime) -> str:
    result = jobs.run_now(engine, actor=SYSTEM, name="send_mail", now=now)
    assert result.status == "ok", result.result
    return result.result


@pytest.fixture
def digest_world(engine: Engine, users: dict[str, int]) -> dict[str, Any]:
    """Something for the officer (follow-ups), the nodal officer (a pending MoU) and the Revenue manager
    (a blocker at the department head's level); nothing for the admin."""
    today = TODAY
    with transaction(engine) as session:
        session.add_all([
            FollowUp(entity_type="opportunity", entity_id=7, title="Call Tanaka Electric", owner_id=users["officer"],
                     due_date=today - dt.timedelta(days=2)),
            FollowUp(entity_type="mou", entity_id=3, title="Send the land allotment letter",
                     owner_id=users["officer"], due_date=today + dt.timedelta(days=3)),
            FollowUp(entity_type="mou", entity_id=3, title="Next month's review", owner_id=users["officer"],
                     due_date=today + dt.timedelta(days=30)),
        ])
        mou = mous.create(session, actor=SYSTEM, data=MouCreate(title="Agra leather park", district="Agra"))
        mou.nodal_officer_id = users["nodal"]
        session.flush()
        session.get_one(Mou, mou.id).status_updated_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=45)
        b = blockers.add(session, actor=SYSTEM, mou_id=mou.id, data=BlockerCreate(
            category="land", department="Revenue", raised_on=today - dt.timedelta(days=40)))
        session.get_one(Blocker, b.id).escalation_level = EscalationLevel.department_head
    return {"mou_id": mou.id, "now": at_ist(today, 8, 5)}


def test_digests_reach_their_readers_once(engine: Engine, users: dict[str, int], digest_world: dict[str, Any],
                                          smtp_server: SmtpServer, mail_settings: Callable[..., None]) -> None:
    mail_settings(smtp_server.url())
    now = digest_world["now"]
    early = jobs.run_now(engine, actor=SYSTEM, name="digests", now=at_ist(TODAY, 7, 45))
    assert early.result.startswith("0 digest(s)")  # before the default 08:00
    assert jobs.run_now(engine, actor=SYSTEM, name="digests", now=now).result.startswith("3 digest(s)")
    assert jobs.run_now(engine, actor=SYSTEM, name="digests", now=now + dt.timedelta(hours=2)).result \
        .startswith("0 digest(s)")
    clock = dt.datetime.now(dt.UTC)  # outbox rows are due from when they were written
    assert send(engine, clock) == "sent 3, failed 0"
    assert send(engine, clock + dt.timedelta(minutes=5)) == "sent 0, failed 0"
    got = {tuple(rcpt): msg for rcpt, msg in smtp_server.inbox.messages}
    assert set(got) == {("asha@agency.test",), ("vikram@agency.test",), ("meera@agency.test",)}
    officer = got[("asha@agency.test",)]
    assert officer["Subject"] == f"[InvestDesk] Your day: 2 items ({TODAY.day} {TODAY:%b %Y})"
    assert officer["From"] == "InvestDesk <desk@agency.test>" and officer["To"] == "asha@agency.test"
    text = officer.get_body(preferencelist=("plain",)).get_content()
    html = officer.get_body(preferencelist=("html",)).get_content()
    assert "Overdue (1)" in text and "Call Tanaka Electric" in text
    assert "https://desk.agency.test/opportunities/7" in text
    assert "Due this week (1)" in text and "Send the land allotment letter" in text
    assert "Next month's review" not in text and "Pending MoUs" not in text
    assert '<a href="https://desk.agency.test/mous/3">Send the land allotment letter</a>' in html
    token = unsubscribe_token("test-secret-key-for-links", users["officer"], "digest")
    assert f"https://desk.agency.test/unsubscribe/{token}" in text
    nodal = got[("vikram@agency.test",)].get_body(preferencelist=("plain",)).get_content()
    assert "Pending MoUs (1)" in nodal and "Agra leather park" in nodal
    assert "Blockers at your level" not in nodal  # the blocker has gone up to the department head
    manager = got[("meera@agency.test",)].get_body(preferencelist=("plain",)).get_content()
    assert "Blockers at your level (1)" in manager and "land on Agra leather park" in manager
    rows = {r.to_addr: r for r in outbox(engine)}
    assert all(r.state == "sent" and r.attempts == 1 for r in rows.values())
    assert officer["Message-ID"] == rows["asha@agency.test"].message_id


def test_a_digest_is_written_in_its_readers_language(engine: Engine, users: dict[str, int],
                                                     digest_world: dict[str, Any], smtp_server: SmtpServer,
                                                     mail_settings: Callable[..., None]) -> None:
    mail_settings(smtp_server.url())
    with transaction(engine) as session:
        session.get_one(User, users["officer"]).language = "hi"
    assert jobs.run_now(engine, actor=SYSTEM, name="digests", now=digest_world["now"]).result.startswith("3 digest")
    send(engine, dt.datetime.now(dt.UTC))
    got = {tuple(rcpt): msg for rcpt, msg in smtp_server.inbox.messages}
    hindi = got[("asha@agency.test",)]
    assert hindi["Subject"].startswith("[InvestDesk] आपका दिन: 2 प्रविष्टियाँ (") and "2026" in hindi["Subject"]
    text = hindi.get_body(preferencelist=("plain",)).get_content()
    assert "सुप्रभात Asha Rao," in text and "समय-सीमा पार (1)" in text and "इस सप्ताह नियत (1)" in text
    assert "Call Tanaka Electric" in text  # names stay as written
    assert "दैनिक डाइजेस्ट बंद करें:" in text
    english = got[("vikram@agency.test",)].get_body(preferencelist=("plain",)).get_content()
    assert "Good morning Vikram Singh," in english and "Pending MoUs (1)" in english  # each reader their own


def test_a_server_down_then_back_delivers_exactly_once(engine: Engine, users: dict[str, int],
                                                       digest_world: dict[str, Any], smtp_server: SmtpServer,
                                                       mail_settings: Callable[..., None]) -> None:
    mail_settings(smtp_server.url())
    with transaction(engine) as session:  # one escalation mail: written with its event
        from investdesk.notifications import events

        b = session.scalars(select(Blocker).options(joinedload(Blocker.mou))).one()
        b.escalation_level = EscalationLevel.chief_secretary
        assert events.escalated_blockers(session, [b]) == 2  # the admin and the nodal officer
    now = dt.datetime.now(dt.UTC)
    smtp_server.stop()
    result = send(engine, now)
    assert result.startswith("sent 0, failed 1: ConnectionRefusedError")
    first = outbox(engine)
    assert [r.state for r in first] == ["pending", "pending"] and [r.attempts for r in first] == [1, 0]
    assert "ConnectionRefusedError" in first[0].last_error
    assert first[0].next_attempt_at.replace(tzinfo=dt.UTC) == now + dt.timedelta(minutes=1)
    assert send(engine, now + dt.timedelta(seconds=30)).startswith("sent 0, failed 1")  # the second, still down
    smtp_server.start()
    assert send(engine, now + dt.timedelta(seconds=50)) == "sent 0, failed 0"  # both wait for their back-off
    assert send(engine, now + dt.timedelta(minutes=2)) == "sent 2, failed 0"
    assert send(engine, now + dt.timedelta(minutes=30)) == "sent 0, failed 0"
    assert sorted(r[0] for r, _ in smtp_server.inbox.messages) == ["chief@agency.test", "vikram@agency.test"]
    subject = smtp_server.inbox.messages[0][1]["Subject"].strip()  # a long subject is folded
    assert subject == "[InvestDesk] Blocker escalated to chief secretary: land on Agra leather park"
    assert [r.state for r in outbox(engine)] == ["sent", "sent"]


@pytest.fixture
def admin_pages(engine: Engine, users: dict[str, int]) -> Iterator[Callable[[Role], TestClient]]:
    app = create_app(Settings(), engine=engine)

    def as_role(role: Role) -> TestClient:
        uid = users["admin"] if role is Role.admin else users["officer"]
        app.dependency_overrides[get_actor] = lambda: Actor(id=uid, label="someone", role=role)
        return TestClient(app, raise_server_exceptions=False, follow_redirects=False)

    yield as_role
    app.dependency_overrides.clear()


def test_bad_mail_settings_and_addresses_stay_in_the_outbox_with_their_error(
        engine: Engine, users: dict[str, int], smtp_server: SmtpServer, mail_settings: Callable[..., None],
        admin_pages: Callable[[Role], TestClient]) -> None:
    with transaction(engine) as session:
        bad = add_user(session, "not an address", Role.officer)
        refused = add_user(session, REFUSED, Role.officer)
        good = session.get_one(User, users["officer"])
        from investdesk.notifications import outbox as mail

        for user in (bad, refused, good):
            mail.enqueue_event(session, user=user, kind="blocker_escalated", title=f"Escalated for {user.email}",
                               url="/mous/1", dedupe_key=f"t:{user.id}")
    now = dt.datetime.now(dt.UTC)
    mail_settings(smtp_server.url(password="wrong-password"))
    # The bad address fails at once (never sent); the wrong password stops the batch, the rest wait.
    assert send(engine, now).startswith("sent 0, failed 2: SMTPAuthenticationError: 535")
    mail_settings(f"smtp://127.0.0.1:{free_port()}")  # nothing listens there
    assert "ConnectionRefusedError" in send(engine, now + dt.timedelta(hours=1))
    assert "ConnectionRefusedError" in {r.to_addr: r for r in outbox(engine)}[REFUSED].last_error
    mail_settings(smtp_server.url())
    assert send(engine, now + dt.timedelta(hours=2)) == "sent 1, failed 1"
    rows = {r.to_addr: r for r in outbox(engine)}
    assert rows["not an address"].state == "failed"
    assert rows["not an address"].last_error == "invalid recipient address 'not an address'"
    assert rows[REFUSED].state == "failed"
    assert rows[REFUSED].last_error == f"recipient refused: {REFUSED}: 550 5.1.1 no such mailbox here"
    assert rows["asha@agency.test"].state == "sent"
    assert [r[0] for r, _ in smtp_server.inbox.messages] == ["asha@agency.test"]

    page = admin_pages(Role.admin).get("/admin/outbox?state=failed")
    assert page.status_code == 200, page.text
    assert "invalid recipient address" in page.text and "550 5.1.1 no such mailbox here" in page.text
    assert admin_pages(Role.officer).get("/admin/outbox").status_code == 403
    assert admin_pages(Role.officer).get("/health").status_code == 200
    retried = admin_pages(Role.admin).post(f"/admin/outbox/{rows[REFUSED].id}/retry")
    assert retried.status_code == 303
    assert {r.to_addr: r.state for r in outbox(engine)}[REFUSED] == "pending"


def test_without_smtp_the_outbox_waits(engine: Engine, users: dict[str, int], digest_world: dict[str, Any],
                                       mail_settings: Callable[..., None]) -> None:
    mail_settings(None)
    jobs.run_now(engine, actor=SYSTEM, name="digests", now=digest_world["now"])
    assert send(engine, dt.datetime.now(dt.UTC)) == "SMTP not configured (INVESTDESK_SMTP_URL): 3 message(s) waiting"
    assert {r.state for r in outbox(engine)} == {"pending"}
