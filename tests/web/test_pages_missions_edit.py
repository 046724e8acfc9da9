"""Missions and meetings are edited in the browser: version-checked, audited, offered only to who may edit;
their pages carry the follow-ups box; the route diagram follows the meetings' dates."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from investdesk.models import AuditEvent, Engagement, Mission
from investdesk.models.enums import Role
from tests import factories

Pages = Callable[..., TestClient]


def seed(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        tanaka = factories.create_organization(s, name="Tanaka Electric", acronym=None, kind="company", country="JP")
        mission = factories.create_mission(s, cities=["Osaka", "Tokyo", "Nagoya"])  # no dates
        undated = factories.create_engagement(s, title="Magnet plant visit", mission_id=mission.id, city="Tokyo",
                                              counterpart_ids=[tanaka.id])
        factories.create_engagement(s, title="Round table", mission_id=mission.id, city="Osaka", date="2025-07-08")
        s.commit()
        return {"mission": mission.id, "meeting": undated.id, "tanaka": tanaka.id}


def _version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)  # type: ignore[union-attr]


def test_an_officer_fills_a_missing_date_and_the_change_is_audited(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    officer = pages(Role.officer, user_id=None)
    page = officer.get(f"/missions/{ids['mission']}")
    assert "Dates not recorded" in page.text and f'href="/missions/{ids["mission"]}/edit"' in page.text
    form = officer.get(f"/missions/{ids['mission']}/edit").text
    saved = officer.post(f"/missions/{ids['mission']}/edit", data={
        "name": "Uttar Pradesh delegation to Japan", "countries": ["JP"], "cities": "Osaka, Tokyo, Nagoya",
        "start_date": "2025-07-07", "end_date": "2025-07-11", "version": _version(form)})
    assert saved.status_code == 303, saved.text[:500]
    assert "7 Jul 2025" in officer.get(f"/missions/{ids['mission']}").text
    # The same version again is stale: the form says so and keeps what was typed.
    stale = officer.post(f"/missions/{ids['mission']}/edit", data={
        "name": "Renamed", "start_date": "2025-07-06", "version": _version(form)})
    assert stale.status_code == 422 and "Renamed" in stale.text and "changed" in stale.text.lower()
    bad = officer.post(f"/missions/{ids['mission']}/edit", data={
        "name": "Uttar Pradesh delegation to Japan", "start_date": "2025-07-12", "end_date": "2025-07-11",
        "version": _version(officer.get(f"/missions/{ids['mission']}/edit").text)})
    assert bad.status_code == 422 and "is before start_date 2025-07-12" in bad.text
    with Session(engine) as s:
        m = s.get(Mission, ids["mission"])
        assert m is not None and str(m.start_date) == "2025-07-07" and m.cities == ["Osaka", "Tokyo", "Nagoya"]
        assert s.scalars(select(AuditEvent.action).where(AuditEvent.entity_type == "mission",
                                                         AuditEvent.entity_id == m.id)).all() == ["create", "update"]


def test_a_meeting_is_edited_and_the_route_follows_its_new_date(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    officer = pages(Role.officer)
    url = f"/engagements/{ids['meeting']}/edit"
    before = officer.get(f"/missions/{ids['mission']}").text
    # Dated Osaka first, then the undated Tokyo meeting's city, then the mission's other cities.
    assert before.index("1. Osaka") < before.index("2. Tokyo") < before.index("3. Nagoya")
    form = officer.get(url).text
    assert "Date not recorded" in officer.get(f"/engagements/{ids['meeting']}").text
    saved = officer.post(url, data={"title": "Magnet plant visit", "date": "2025-07-06", "city": "Tokyo",
                                    "country": "JP", "mission_id": str(ids["mission"]),
                                    "counterpart_ids": [str(ids["tanaka"])], "version": _version(form)})
    assert saved.status_code == 303, saved.text[:500]
    after = officer.get(f"/missions/{ids['mission']}").text
    assert after.index("1. Tokyo") < after.index("2. Osaka") < after.index("3. Nagoya")
    with Session(engine) as s:
        e = s.get(Engagement, ids["meeting"])
        assert e is not None and str(e.date) == "2025-07-06" and e.mission_id == ids["mission"]
    bad = officer.post(url, data={"title": "x", "date": "7 July", "version": "2"})
    assert bad.status_code == 422 and 'value="7 July"' in bad.text


def test_a_city_left_and_come_back_to_is_a_stop_again(pages: Pages, engine: Engine) -> None:
    with Session(engine) as s:
        mission = factories.create_mission(s, cities=["Osaka", "Tokyo"])
        for day, city in (("2025-07-07", "Osaka"), ("2025-07-08", "Tokyo"), ("2025-07-09", "Osaka")):
            factories.create_engagement(s, title=f"In {city}", mission_id=mission.id, city=city, date=day)
        s.commit()
        mid = mission.id
    html = pages(Role.viewer).get(f"/missions/{mid}").text
    assert html.index("1. Osaka") < html.index("2. Tokyo") < html.index("3. Osaka")


def test_record_pages_carry_follow_ups_and_viewers_are_offered_no_edit(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    urls = (f"/missions/{ids['mission']}", f"/engagements/{ids['meeting']}")
    officer = pages(Role.officer)  # one role at a time: the client acts as the role last asked for
    for url in urls:
        mine = officer.get(url).text
        assert 'id="followups"' in mine and "Add follow-up" in mine and f'{url}/edit"' in mine
    added = officer.post("/followups", data={"entity_type": "engagement", "entity_id": str(ids["meeting"]),
                                             "title": "Send the land bank options",
                                             "next": f"/engagements/{ids['meeting']}#followups"})
    assert added.status_code == 303
    viewer = pages(Role.viewer)
    for url in urls:
        theirs = viewer.get(url).text
        assert 'id="followups"' in theirs and "Add follow-up" not in theirs and f'{url}/edit"' not in theirs
        assert viewer.get(f"{url}/edit").status_code == 403
        assert viewer.post(f"{url}/edit", data={"name": "x", "title": "x"}).status_code == 403
    assert "Send the land bank options" in viewer.get(f"/engagements/{ids['meeting']}").text
