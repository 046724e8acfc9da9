"""The REST API of the foundation areas, over the real app and database."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk.models import AuditEvent, Organization
from investdesk.models.enums import Role

Api = Callable[..., TestClient]


def test_health_and_docs(api: Api) -> None:
    client = api()
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/docs").status_code == 200
    schema = client.get("/openapi.json").json()
    assert "/api/organizations" in schema["paths"] and "/api/engagements" in schema["paths"]
    kinds = schema["components"]["schemas"]["OrgKind"]["enum"]
    assert "investment_promotion_agency" in kinds


def test_organization_round_trip(api: Api) -> None:
    client = api()
    created = client.post("/api/organizations", json={"name": "Tanaka Electric Co. Ltd.", "kind": "company",
                                                      "country": "jp", "sectors": ["critical_minerals"]})
    assert created.status_code == 201, created.text
    org = created.json()
    assert org["country"] == "JP" and org["version"] == 1
    patched = client.patch(f"/api/organizations/{org['id']}", json={"city": "Tokyo", "version": 1})
    assert patched.json()["city"] == "Tokyo" and patched.json()["version"] == 2
    stale = client.patch(f"/api/organizations/{org['id']}", json={"city": "Kyoto", "version": 1})
    assert stale.status_code == 409 and "changed by someone else" in stale.json()["detail"]
    listing = client.get("/api/organizations", params={"q": "tanaka", "country": "JP"}).json()
    assert listing["total"] == 1 and listing["items"][0]["city"] == "Tokyo"


def test_bad_input_names_the_field_and_writes_nothing(api: Api, engine: Engine) -> None:
    client = api()
    bad_enum = client.post("/api/organizations", json={"name": "X", "kind": "multinational"})
    assert bad_enum.status_code == 422
    assert bad_enum.json()["errors"][0]["field"] == "kind"
    missing = client.post("/api/organizations", json={"kind": "company"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "name"
    unknown = client.get("/api/organizations/9999")
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"
    bad_sector = client.post("/api/organizations", json={"name": "X", "sectors": ["space tourism"]})
    assert bad_sector.status_code == 422 and bad_sector.json()["field"] == "sectors"
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Organization)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_viewer_reads_but_cannot_write(api: Api, engine: Engine) -> None:
    assert api(Role.admin).post("/api/organizations", json={"name": "Link-J"}).status_code == 201
    viewer = api(Role.viewer)
    assert viewer.get("/api/organizations").json()["total"] == 1
    assert viewer.post("/api/organizations", json={"name": "Asahi Intecc"}).status_code == 403
    assert viewer.patch("/api/organizations/1", json={"city": "Nagoya"}).status_code == 403
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Organization)) == 1


def test_engagement_with_links_over_api(api: Api) -> None:
    client = api()
    org = client.post("/api/organizations", json={"name": "Kansai Pharmaceutical Industries Association",
                                                  "acronym": "KPIA", "country": "JP"}).json()
    person = client.post("/api/people", json={"name": "Hayashi Yoshikazu", "honorific": "Dr.",
                                              "organization_id": org["id"], "side": "counterpart"}).json()
    mission = client.post("/api/missions", json={"name": "UP delegation to Japan", "countries": ["JP"],
                                                 "delegate_ids": []}).json()
    eng = client.post("/api/engagements", json={
        "mission_id": mission["id"], "city": "Osaka", "country": "JP", "counterpart_ids": [org["id"]],
        "participant_ids": [person["id"]], "sectors": ["pharmaceuticals"], "date": "2025-07-08"})
    assert eng.status_code == 201, eng.text
    got = client.get("/api/engagements", params={"organization_id": org["id"]}).json()
    assert got["total"] == 1 and got["items"][0]["participants"][0]["name"] == "Hayashi Yoshikazu"
    bad_side = client.post("/api/people", json={"name": "X", "side": "enemy"})
    assert bad_side.status_code == 422 and bad_side.json()["errors"][0]["field"] == "side"


def test_api_docs_are_served_offline(api: Api) -> None:
    client = api()
    page = client.get("/docs").text
    assert "cdn" not in page.lower() and "http://" not in page and "https://" not in page
    for asset in ("/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/vendor/swagger-ui/swagger-ui.css",
                  "/static/js/api-docs.js"):
        assert asset in page
        assert client.get(asset).status_code == 200


def test_audit_trail_over_the_api(api: Api) -> None:
    client = api()
    org = client.post("/api/organizations", json={"name": "Audited Ltd"}).json()
    client.patch(f"/api/organizations/{org['id']}", json={"city": "Pune", "version": org["version"]})
    trail = client.get("/api/audit", params={"entity_type": "organization", "entity_id": org["id"]}).json()
    assert [e["action"] for e in trail["items"]] == ["update", "create"]
    assert trail["items"][0]["before"]["city"] is None and trail["items"][0]["after"]["city"] == "Pune"
    methods = client.get("/openapi.json").json()["paths"]["/api/audit"]
    assert set(methods) == {"get"}
