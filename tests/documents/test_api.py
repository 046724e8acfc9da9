"""The documents REST API: upload with size and type limits, pending list, review endpoints."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk.config import Settings
from investdesk.models import Document, Organization
from investdesk.models.enums import Role
from investdesk.permissions import Actor
from investdesk.web.app import create_app
from investdesk.web.deps import get_actor

Api = Callable[..., TestClient]
REPORT = (Path(__file__).parents[1] / "extraction" / "corpus" / "tune" / "ohio-germany-mission.txt").read_bytes()


@pytest.fixture
def client(engine: Engine, tmp_path: Path) -> Iterator[Api]:
    """The real app with a 1 MB upload limit, acting as a user of the given role."""
    app = create_app(Settings(data_dir=tmp_path, max_upload_mb=1), engine=engine)

    def as_role(role: Role = Role.officer) -> TestClient:
        app.dependency_overrides[get_actor] = lambda: Actor(id=None, label=f"{role.value}@test", role=role)
        return TestClient(app, raise_server_exceptions=False)

    yield as_role
    app.dependency_overrides.clear()


def _upload(client: TestClient, data: bytes, name: str = "ohio.txt", **params: str) -> object:
    return client.post("/api/documents", files={"file": (name, data, "application/octet-stream")}, params=params)


def test_upload_review_and_reupload(client: Api, engine: Engine, tmp_path: Path) -> None:
    api = client()
    created = _upload(api, REPORT)
    assert created.status_code == 201, created.text  # type: ignore[attr-defined]
    body = created.json()  # type: ignore[attr-defined]
    assert body["created"] and body["document"]["review_state"] == "pending"
    doc_id = body["document"]["id"]
    assert (tmp_path / "documents").is_dir()

    pending = api.get("/api/documents", params={"state": "pending"}).json()
    assert pending["total"] == 1 and pending["items"][0]["items_pending"] == body["document"]["items_total"]
    assert api.get("/api/documents", params={"state": "accepted"}).json()["total"] == 0

    detail = api.get(f"/api/documents/{doc_id}").json()
    assert detail["text"].startswith("Governor leads Ohio trade mission")
    orgs = [i for i in detail["items"] if i["field"] == "organizations"]
    assert any(i["payload"]["name"] == "Keller Robotics AG" for i in orgs)
    for item in detail["items"]:
        if item["evidence_start"] is not None:
            assert detail["text"][item["evidence_start"]:item["evidence_end"]] == item["payload"]["evidence"]
    assert api.get(f"/api/documents/{doc_id}/original").content == REPORT

    keller = next(i for i in orgs if i["payload"]["name"] == "Keller Robotics AG")
    edited = api.post(f"/api/documents/{doc_id}/items/{keller['id']}/accept",
                      json={"payload": {"name": "Keller Robotics"}})
    assert edited.status_code == 200, edited.text
    assert edited.json()["state"] == "edited" and edited.json()["record_type"] == "organization"
    bad = api.post(f"/api/documents/{doc_id}/items/{orgs[0]['id']}/accept", json={"payload": {"kind": "giant"}})
    assert bad.status_code == 422 and bad.json()["field"] == "kind"
    rejected = api.post(f"/api/documents/{doc_id}/items/{orgs[0]['id']}/reject")
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    again = api.post(f"/api/documents/{doc_id}/items/{orgs[0]['id']}/reject")
    assert again.status_code == 422 and "already rejected" in again.json()["detail"]

    done = api.post(f"/api/documents/{doc_id}/accept")
    assert done.status_code == 200, done.text
    assert done.json()["document"]["review_state"] == "accepted" and done.json()["document"]["items_pending"] == 0
    names = {o["name"] for o in api.get("/api/organizations").json()["items"]}
    assert "Keller Robotics" in names and orgs[0]["payload"]["name"] not in names

    reupload = _upload(api, REPORT, name="same-bytes-other-name.txt")
    assert reupload.status_code == 200  # type: ignore[attr-defined]
    assert reupload.json()["created"] is False and "nothing changed" in reupload.json()["message"]  # type: ignore
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 1


def test_upload_limits_are_checked_by_size_and_content(client: Api, engine: Engine) -> None:
    api = client()
    big = _upload(api, b"a" * (1024 * 1024 + 10), name="big.txt")
    assert big.status_code == 413  # type: ignore[attr-defined]
    assert "1 MB upload limit" in big.json()["detail"]  # type: ignore[attr-defined]
    binary = _upload(api, bytes(range(256)) * 40, name="report.txt")  # a .txt name does not make it text
    assert binary.status_code == 415 and "report.txt" in binary.json()["detail"]  # type: ignore[attr-defined]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.txt", "hello")
    zipped = _upload(api, archive.getvalue(), name="report.docx")
    assert zipped.status_code == 415  # type: ignore[attr-defined]
    missing = api.post("/api/documents")
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "file"
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 0


def test_roles_and_unknown_ids(client: Api, engine: Engine) -> None:
    # One app: each call of client(role) sets who the next requests act as.
    assert _upload(client(Role.viewer), REPORT).status_code == 403  # type: ignore[attr-defined]
    officer = client(Role.officer)
    doc_id = _upload(officer, REPORT, auto_accept="true").json()["document"]["id"]  # type: ignore[attr-defined]
    assert officer.get("/api/documents/999").status_code == 404
    assert officer.post("/api/documents/999/accept").json()["error"] == "not_found"
    assert officer.post(f"/api/documents/{doc_id}/items/999/accept").status_code == 404
    assert officer.get("/api/documents", params={"state": "maybe"}).status_code == 422
    viewer = client(Role.viewer)
    assert viewer.get(f"/api/documents/{doc_id}").json()["review_state"] == "accepted"
    assert viewer.post(f"/api/documents/{doc_id}/reject").status_code == 403
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Organization)) >= 3


def test_the_api_accepts_an_item_into_the_record_the_reviewer_names(client: Api, engine: Engine,
                                                                    tmp_path: Path) -> None:
    from tests.documents.helpers import store
    from tests.factories import create_organization

    with Session(engine) as s:
        other = create_organization(s, name="Kansai Pharma Traders", acronym=None, country="JP")
        doc = store(s, tmp_path).document
        kpia = next(i.id for i in doc.items if i.payload.get("name") == "Kansai Pharmaceutical Industries Association")
        s.commit()
        doc_id, other_id = doc.id, other.id
    api = client()
    gone = api.post(f"/api/documents/{doc_id}/items/{kpia}/accept", json={"merge_into": 999999})
    assert gone.status_code == 422 and "no longer exists" in gone.text
    res = api.post(f"/api/documents/{doc_id}/items/{kpia}/accept", json={"merge_into": other_id})
    assert res.status_code == 200 and res.json()["record_id"] == other_id
