"""/api/offerings and /api/policies with the role of the caller."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from investdesk.models.enums import Role

Client = Callable[..., TestClient]


def test_offerings_through_the_api(api: Client) -> None:
    # The fixture's role holds for the app until the next call: each step asks for its client.
    made = api(Role.officer).post("/api/offerings", json={"name": "Bio-Innovation Cluster", "kind": "cluster",
                                                "district": "Lucknow"})
    assert made.status_code == 201 and made.json()["kind"] == "cluster"
    again = api(Role.officer).post("/api/offerings", json={"name": "bio-innovation cluster"})
    assert again.json()["id"] == made.json()["id"]
    assert [o["name"] for o in api(Role.viewer).get("/api/offerings").json()] == ["Bio-Innovation Cluster"]
    assert api(Role.viewer).post("/api/offerings", json={"name": "Another park"}).status_code == 403
    bad = api(Role.officer).post("/api/offerings", json={"name": "Park", "kind": "castle"})
    assert bad.status_code == 422 and "kind" in bad.text


def test_policies_through_the_api(api: Client) -> None:
    manager = api(Role.manager)
    assert manager.post("/api/policies", json={"name": "GCC Policy", "year": 2024}).status_code == 201
    assert [p["year"] for p in api(Role.viewer).get("/api/policies").json()] == [2024]
    assert manager.post("/api/policies", json={"name": "GCC Policy", "year": "soon"}).status_code == 422
