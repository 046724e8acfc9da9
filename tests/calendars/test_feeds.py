"""iCalendar feeds, parsed back: a user's feed behind a secret address (revoked: 404; re-issued: the old one
stops working) and a mission's itinerary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import Engine

from investdesk.config import Settings
from investdesk.db import transaction
from investdesk.models import FollowUp, Opportunity
from investdesk.models.enums import OpportunityStage, Role
from investdesk.permissions import Actor
from investdesk.web.app import create_app
from investdesk.web.deps import get_actor
from tests.factories import create_engagement, create_mission, create_person

DAY = dt.date(2026, 5, 11)


@pytest.fixture
def client(engine: Engine, users: dict[str, int]) -> Iterator[Callable[[int | None], TestClient]]:
    def as_user(uid: int | None) -> TestClient:
        app = create_app(Settings(), engine=engine)  # one app per client: each its own signed-in user or none
        if uid is not None:
            app.dependency_overrides[get_actor] = lambda: Actor(id=uid, label="asha", role=Role.officer)
        return TestClient(app, raise_server_exceptions=False, follow_redirects=False)

    yield as_user


def events(body: bytes) -> dict[str, tuple[dt.date, dt.date, str]]:
    cal = Calendar.from_ical(body)
    return {str(e["SUMMARY"]): (e.decoded("DTSTART"), e.decoded("DTEND"), str(e.get("URL", "")))
            for e in cal.walk("VEVENT")}


def test_a_users_feed_behind_a_revocable_secret_address(engine: Engine, users: dict[str, int],
                                                         client: Callable[[int | None], TestClient]) -> None:
    officer = users["officer"]
    with transaction(engine) as session:
        session.add_all([
            FollowUp(entity_type="mou", entity_id=4, title="Site visit with the investor", owner_id=officer,
                     due_date=DAY),
            FollowUp(entity_type="mou", entity_id=4, title="Done", owner_id=officer, due_date=DAY,
                     done_at=dt.datetime.now(dt.UTC)),
            FollowUp(entity_type="mou", entity_id=4, title="Someone else's", owner_id=users["manager"], due_date=DAY),
            Opportunity(title="Kyoto Bio plant", owner_id=officer, next_action="Send the incentive note",
                        next_action_due=DAY + dt.timedelta(days=2), stage=OpportunityStage.engaged),
            Opportunity(title="Dropped lead", owner_id=officer, next_action="Nothing", stage=OpportunityStage.dropped,
                        next_action_due=DAY),
        ])
        me = create_person(session, name="Asha Rao", side="home", email="ASHA@agency.test")
        other = create_person(session, name="Ravi Kumar", side="home", email="ravi@agency.test")
        mine = create_mission(session, name="Delegation to Japan", delegate_ids=[me.id],
                              start_date=DAY, end_date=DAY + dt.timedelta(days=4))
        create_mission(session, name="Roadshow in Seoul", delegate_ids=[other.id], start_date=DAY, end_date=DAY)
    web = client(officer)
    assert web.post("/account/calendar/issue").status_code == 303
    url = web.get("/api/account/preferences").json()["calendar_url"]
    secret_path = url[url.index("/calendar/"):]
    anonymous = client(None)
    feed = anonymous.get(secret_path)  # no sign-in: calendar programs cannot sign in
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    got = events(feed.content)
    assert set(got) == {"Follow-up: Site visit with the investor", "Send the incentive note: Kyoto Bio plant",
                        "Mission: Delegation to Japan"}
    assert got["Follow-up: Site visit with the investor"][:2] == (DAY, DAY + dt.timedelta(days=1))
    assert got["Mission: Delegation to Japan"][:2] == (DAY, DAY + dt.timedelta(days=5))
    assert got["Send the incentive note: Kyoto Bio plant"][2].startswith("http://127.0.0.1:8000/opportunities/")
    assert f"/missions/{mine.id}" in got["Mission: Delegation to Japan"][2]

    assert web.post("/account/calendar/issue").status_code == 303  # re-issued: the old address stops working
    assert anonymous.get(secret_path).status_code == 404
    new_url = web.get("/api/account/preferences").json()["calendar_url"]
    assert anonymous.get(new_url[new_url.index("/calendar/"):]).status_code == 200
    assert web.post("/account/calendar/revoke").status_code == 303
    assert anonymous.get(new_url[new_url.index("/calendar/"):]).status_code == 404
    assert anonymous.get("/calendar/.ics").status_code == 404
    assert web.get("/api/account/preferences").json()["calendar_url"] is None


def test_a_missions_itinerary(engine: Engine, users: dict[str, int],
                              client: Callable[[int | None], TestClient]) -> None:
    with transaction(engine) as session:
        mission = create_mission(session, start_date=DAY, end_date=DAY + dt.timedelta(days=3))
        create_engagement(session, mission_id=mission.id, title="Meeting with KPIA", date=DAY + dt.timedelta(days=1),
                          city="Osaka", venue="KPIA office")
        create_engagement(session, mission_id=mission.id, title="Undated call", date=None)
    web = client(users["officer"])
    response = web.get(f"/missions/{mission.id}.ics")
    assert response.status_code == 200
    assert f'filename="mission-{mission.id}.ics"' in response.headers["content-disposition"]
    cal = Calendar.from_ical(response.content)
    assert str(cal["X-WR-CALNAME"]) == "Mission: Uttar Pradesh delegation to Japan"
    vevents = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(vevents) == {"Mission: Uttar Pradesh delegation to Japan", "Meeting with KPIA"}
    meeting = vevents["Meeting with KPIA"]
    assert meeting.decoded("DTSTART") == DAY + dt.timedelta(days=1)
    assert str(meeting["LOCATION"]) == "KPIA office, Osaka"
    assert all(str(e["UID"]).endswith("@investdesk") for e in vevents.values())
    assert web.get("/missions/999.ics").status_code == 404
    assert client(None).get(f"/missions/{mission.id}.ics").status_code in (401, 303)
    page = web.get(f"/missions/{mission.id}")
    assert page.status_code == 200 and f'href="/missions/{mission.id}.ics"' in page.text
