"""Pages of the records: organizations, people, missions, meetings, search; lists, forms, CSV, escaping."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk.models import AuditEvent, Organization, Person
from investdesk.models.enums import Role
from tests import factories

Pages = Callable[..., TestClient]
HOSTILE = '<script>alert("x")</script> & Co'


def seed(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        kpia = factories.create_organization(s)
        tanaka = factories.create_organization(s, name="Tanaka Electric Co. Ltd.", acronym=None, kind="company",
                                               country="JP", city="Tokyo", sectors=["critical_minerals"],
                                               aliases=["Tanaka Denki"])
        factories.create_organization(s, name="Daehan Display Materials", acronym=None, kind="company",
                                      country="KR", sectors=[])
        hayashi = factories.create_person(s, organization_id=kpia.id)
        asha = factories.create_person(s, name="Asha Verma", honorific=None, titles=["CEO"], side="home")
        mission = factories.create_mission(s, delegate_ids=[asha.id], start_date="2025-07-07",
                                           end_date="2025-07-11")
        factories.create_engagement(s, title="Pharma round table", mission_id=mission.id, date="2025-07-07",
                                    counterpart_ids=[kpia.id], participant_ids=[hayashi.id], city="Osaka")
        factories.create_engagement(s, title="Magnet plant visit", mission_id=mission.id, date="2025-07-10",
                                    counterpart_ids=[tanaka.id], city="Tokyo")
        s.commit()
        return {"kpia": kpia.id, "tanaka": tanaka.id, "hayashi": hayashi.id, "asha": asha.id, "mission": mission.id}


def test_every_record_page_renders_with_its_content(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    client = pages()
    expect = {
        "/organizations": ["Kansai Pharmaceutical Industries Association", "Tanaka Electric", "also Tanaka Denki"],
        f"/organizations/{ids['kpia']}": ["Timeline", "Pharma round table", "Hayashi Yoshikazu",
                                          "Industry association", '<span class="tag">Pharmaceuticals</span>'],
        "/organizations/new": ['name="name"', 'name="csrf_token"'],
        f"/organizations/{ids['tanaka']}/edit": ['value="Tanaka Electric Co. Ltd."', 'name="version" value="1"'],
        "/people": ["Hayashi Yoshikazu", "Director General", "Asha Verma"],
        f"/people/{ids['hayashi']}": ["Pharma round table", "Kansai Pharmaceutical Industries Association"],
        "/people/new": ['name="honorific"'],
        "/missions": ["Uttar Pradesh delegation to Japan", "Osaka → Tokyo"],
        f"/missions/{ids['mission']}": ["Itinerary", "7 Jul 2025", "Magnet plant visit", "Asha Verma", "<svg"],
        "/search?q=tanaka": ["Tanaka Electric Co. Ltd.", "Magnet plant visit"],
    }
    for url, needles in expect.items():
        page = client.get(url)
        assert page.status_code == 200, (url, page.text[:500])
        for needle in needles:
            assert needle in page.text, (url, needle)


def test_mission_itinerary_is_in_date_order_and_route_follows_the_visits(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    html = pages().get(f"/missions/{ids['mission']}").text
    assert html.index("7 Jul 2025") < html.index("10 Jul 2025")
    assert html.index("1. Osaka") < html.index("2. Tokyo")


def test_missions_list_counts_each_missions_delegates(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    with Session(engine) as s:
        second = factories.create_person(s, name="Ravi Kumar", honorific=None, side="home")
        factories.create_mission(s, name="Delegation to Korea", delegate_ids=[ids["asha"], second.id, ids["hayashi"]],
                                 countries=["KR"], cities=["Seoul"], start_date="2025-09-01")
        factories.create_mission(s, name="Delegation to Germany", countries=["DE"], cities=["Berlin"],
                                 start_date="2025-10-01")
        s.commit()
    html = pages().get("/missions").text
    rows = {name: html[html.index(name):].split("</tr>", 1)[0] for name in
            ("Uttar Pradesh delegation to Japan", "Delegation to Korea", "Delegation to Germany")}
    assert rows["Uttar Pradesh delegation to Japan"].endswith('<td class="num">1</td>\n      ')
    assert rows["Delegation to Korea"].endswith('<td class="num">3</td>\n      ')
    assert rows["Delegation to Germany"].endswith('<td class="num">0</td>\n      ')


def test_meetings_list_filters_by_record_and_dates(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    client = pages()
    by_org = client.get("/engagements", params={"organization_id": ids["tanaka"]}).text
    assert "Magnet plant visit" in by_org and "Pharma round table" not in by_org
    dated = client.get("/engagements", params={"date_from": "2025-07-08", "date_to": "not a date"}).text
    assert "Magnet plant visit" in dated and "Pharma round table" not in dated
    by_person = client.get("/engagements", params={"person_id": ids["hayashi"], "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(by_person.content.decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ["Pharma round table"] and rows[0]["participants"] == "Hayashi Yoshikazu"


def test_list_sorts_filters_and_pages_in_sql(pages: Pages, engine: Engine) -> None:
    with Session(engine) as s:
        for n in range(1, 31):
            factories.create_organization(s, name=f"Firm {n:02d}", acronym=None, country="JP" if n % 2 else "DE")
        s.commit()
    client = pages()
    first = client.get("/organizations", params={"per_page": 10})
    assert "1–10 of <strong>30</strong>" in first.text and "Firm 01" in first.text and "Firm 11" not in first.text
    second = client.get("/organizations", params={"per_page": 10, "page": 2})
    assert "11–20 of" in second.text and "Firm 11" in second.text and "Firm 10" not in second.text
    desc = client.get("/organizations", params={"sort": "-name", "per_page": 5}).text
    assert desc.index("Firm 30") < desc.index("Firm 29") and "Firm 01" not in desc
    germany = client.get("/organizations", params={"country": "DE"}).text
    assert "of <strong>15</strong>" in germany and "Firm 01" not in germany
    # Nonsense parameters fall back to defaults instead of failing the page.
    odd = client.get("/organizations", params={"sort": "password", "page": "x", "kind": "spaceship"})
    assert odd.status_code == 200 and "of <strong>30</strong>" in odd.text
    past_end = client.get("/organizations", params={"per_page": 10, "page": 99})
    assert "21–30 of" in past_end.text


def test_live_filter_returns_only_the_results_fragment(pages: Pages, engine: Engine) -> None:
    seed(engine)
    part = pages().get("/organizations", params={"q": "tanaka"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert part.status_code == 200
    assert part.text.lstrip().startswith('<section id="results"') and "<html" not in part.text
    assert "Tanaka Electric" in part.text and "Kansai" not in part.text


def test_csv_export_is_the_whole_filtered_list(pages: Pages, engine: Engine) -> None:
    seed(engine)
    with Session(engine) as s:
        factories.create_organization(s, name="=HYPERLINK(\"http://evil\")", acronym=None, country="JP")
        s.commit()
    res = pages().get("/organizations", params={"country": "JP", "format": "csv", "per_page": 1})
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/csv")
    assert 'filename="organizations.csv"' in res.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(res.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "name", "acronym"]
    names = sorted(r[1] for r in rows[1:])
    assert names == sorted(["'=HYPERLINK(\"http://evil\")", "Kansai Pharmaceutical Industries Association",
                            "Tanaka Electric Co. Ltd."])  # all of them, not one page; the formula defused
    people = pages().get("/people", params={"format": "csv"}).content.decode("utf-8-sig")
    assert "Hayashi Yoshikazu" in people and "Kansai Pharmaceutical Industries Association" in people
    missions = pages().get("/missions", params={"format": "csv"}).content.decode("utf-8-sig")
    assert "Osaka; Tokyo" in missions


def test_create_form_shows_messages_beside_fields_and_writes_nothing(pages: Pages, engine: Engine) -> None:
    client = pages()
    bad = client.post("/organizations/new", data={"name": "", "country": "Japan", "kind": "company",
                                                  "website": "x" * 400})
    assert bad.status_code == 422
    assert 'id="name-error"' in bad.text and 'aria-invalid="true" aria-describedby="name-error"' in bad.text
    assert 'id="country-error">must be an ISO 3166-1 alpha-2 code such as IN or JP' in bad.text
    assert 'id="website-error"' in bad.text
    unknown_sector = client.post("/organizations/new", data={"name": "Link-J", "sectors": "space_tourism"})
    assert unknown_sector.status_code == 422 and 'id="sectors-error"' in unknown_sector.text
    assert "unknown sector" in unknown_sector.text and 'value="Link-J"' in unknown_sector.text
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Organization)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 0
    ok = client.post("/organizations/new", data={"name": "Link-J", "kind": "platform_network", "country": "jp",
                                                 "aliases": "LINK-J, Linkj"})
    assert ok.status_code == 303
    shown = client.get(ok.headers["location"])
    assert "Organization “Link-J” created." in shown.text and "LINK-J, Linkj" in shown.text
    assert "created." not in client.get(ok.headers["location"]).text  # the notice is shown once


def test_edit_form_keeps_versions(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    client = pages()
    url = f"/organizations/{ids['tanaka']}/edit"
    saved = client.post(url, data={"name": "Tanaka Electric Co. Ltd.", "city": "Kyoto", "kind": "company",
                                   "version": "1"})
    assert saved.status_code == 303
    stale = client.post(url, data={"name": "Tanaka Electric Co. Ltd.", "city": "Nagoya", "kind": "company",
                                   "version": "1"})
    assert stale.status_code == 422 and "changed by someone else" in stale.text
    with Session(engine) as s:
        assert s.get(Organization, ids["tanaka"]).city == "Kyoto"
    person = client.post(f"/people/{ids['hayashi']}/edit", data={"name": "Hayashi Yoshikazu", "side": "enemy",
                                                                "version": "1"})
    assert person.status_code == 422 and 'id="side-error"' in person.text


def test_person_form_names_an_unknown_organization(pages: Pages, engine: Engine) -> None:
    res = pages().post("/people/new", data={"name": "Kim Min-jun", "organization_id": "999", "side": "counterpart"})
    assert res.status_code == 422 and 'id="organization_id-error"' in res.text and "999" in res.text
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 0


def test_hostile_names_are_escaped_everywhere(pages: Pages, engine: Engine) -> None:
    with Session(engine) as s:
        org = factories.create_organization(s, name=HOSTILE, acronym="<b>", aliases=['"><img src=x>'])
        factories.create_person(s, name=HOSTILE, organization_id=org.id)
        factories.create_engagement(s, title=HOSTILE, counterpart_ids=[org.id])
        s.commit()
        org_id = org.id
    client = pages()
    for url in ("/organizations", f"/organizations/{org_id}", "/people", "/search?q=alert",
                "/search/suggest?q=alert", f"/organizations/{org_id}/edit"):
        html = client.get(url).text
        assert "<script>alert" not in html and "<img src=x>" not in html and "<b>" not in html, url
        assert "&lt;script&gt;" in html, url


def test_viewer_reads_but_is_refused_writes(pages: Pages, engine: Engine) -> None:
    ids = seed(engine)
    viewer = pages(Role.viewer)
    listing = viewer.get("/organizations").text
    assert "Tanaka" in listing and "New organization" not in listing
    assert "/edit" not in viewer.get(f"/organizations/{ids['kpia']}").text
    refused = viewer.post("/organizations/new", data={"name": "Asahi Intecc"})
    assert refused.status_code == 403 and "may not write records" in refused.text and "<html" in refused.text
    assert viewer.get("/organizations/new").status_code == 403


def test_errors_are_pages_for_people_and_json_for_the_api(pages: Pages) -> None:
    client = pages()
    missing = client.get("/organizations/4040")
    assert missing.status_code == 404 and "organization 4040 not found" in missing.text and "<html" in missing.text
    assert client.get("/organizations/abc").status_code == 404
    assert client.get("/no-such-page").status_code == 404 and "<html" in client.get("/no-such-page").text
    assert client.get("/api/organizations/4040").json()["error"] == "not_found"


def test_signed_out_visitors_are_sent_to_sign_in(engine: Engine, tmp_path: object) -> None:
    from investdesk.config import Settings
    from investdesk.web.app import create_app

    app = create_app(Settings(data_dir=tmp_path), engine=engine)  # type: ignore[arg-type]
    client = TestClient(app, follow_redirects=False)
    res = client.get("/organizations?country=JP")
    assert res.status_code in (302, 303, 307) and res.headers["location"].startswith("/login")
    assert "country%3DJP" in res.headers["location"] or "country=JP" in res.headers["location"]
    htmx = client.get("/organizations", headers={"HX-Request": "true"})
    assert htmx.headers.get("HX-Redirect", "").startswith("/login") or htmx.status_code in (302, 303, 307)
    assert client.get("/api/organizations").status_code == 401
