"""The incentives and matchmaking API: calculation, policies, edits by role, a bad policy folder."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from investdesk.config import get_settings
from investdesk.models import AuditEvent
from investdesk.models.enums import Role

Api = Callable[..., TestClient]
FORM = {"sector": "pharmaceuticals", "district": "Lalitpur", "land": 10, "building": 100, "plant_machinery": 400}


def test_calculate_and_policies(api: Api) -> None:
    client = api(Role.viewer)
    res = client.post("/api/incentives/calculate", json=FORM)
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["disclaimer"] == "Indicative, subject to the Letter of Comfort" and body["policy_data_date"]
    pharma = next(p for p in body["eligible"] if p["policy_id"] == "pharma_2023")
    assert pharma["total"] == 30.0 and pharma["category"] == "Mega (above ₹100 crore)"
    bad = client.post("/api/incentives/calculate", json={**FORM, "building": -1})
    assert bad.status_code == 422 and "building" in bad.json()["detail"]
    bad = client.post("/api/incentives/calculate", json={**FORM, "district": "Springfield"})
    assert bad.status_code == 422 and bad.json()["field"] == "district"
    policies = client.get("/api/incentives/policies").json()
    assert {p["id"] for p in policies} >= {"fdi_fci_2023", "gcc_2024"}
    iiepp = next(p for p in policies if p["id"] == "iiepp_2022")
    assert iiepp["unknown_rules"] == 6
    one = client.get("/api/incentives/policies/gcc_2024").json()
    assert one["document"].startswith("# Built from") and one["versions"] == []
    assert client.get("/api/incentives/policies/nothing").status_code == 404


def test_edit_by_role_and_audit(api: Api, engine: Engine) -> None:
    document = api(Role.viewer).get("/api/incentives/policies/pharma_2023").json()["document"]
    body = {"document": document.replace("    rate: 15\n", "    rate: 10\n"), "effective_from": str(dt.date.today())}
    assert api(Role.officer).put("/api/incentives/policies/pharma_2023", json=body).status_code == 403
    res = api(Role.admin).put("/api/incentives/policies/pharma_2023", json=body)
    assert res.status_code == 200, res.text and len(res.json()["versions"]) == 1
    after = api(Role.viewer).post("/api/incentives/calculate", json=FORM).json()
    pharma = next(p for p in after["eligible"] if p["policy_id"] == "pharma_2023")
    cap = next(f for f in pharma["figures"] if f["incentive_id"] == "capital_subsidy")
    assert [r["amount"] for r in cap["readings"]] == [50.0, 30.0]
    broken = api(Role.admin).put("/api/incentives/policies/pharma_2023", json={**body, "document": "id: [unclosed"})
    assert broken.status_code == 422 and "not valid YAML" in broken.json()["detail"]
    with Session(engine) as s:
        assert len(s.scalars(select(AuditEvent).where(AuditEvent.entity_type == "incentive_policy")).all()) == 1


def test_a_bad_policy_file_is_refused_whole_naming_file_and_line(api: Api, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "policies"
    shutil.copytree(Path(str(resources.files("investdesk").joinpath("incentives/data"))), folder)
    path = folder / "gcc_2024.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("short_name:", "shortname:"), encoding="utf-8")
    monkeypatch.setenv("INVESTDESK_INCENTIVE_POLICIES_DIR", str(folder))
    get_settings.cache_clear()
    try:
        res = api(Role.viewer).get("/api/incentives/policies")
        assert res.status_code == 422
        assert res.json()["detail"] == "gcc_2024.yaml line 2: short_name: Field required (and 1 more)"
    finally:
        get_settings.cache_clear()


def test_match_api(api: Api) -> None:
    client = api(Role.viewer)
    assert client.get("/api/match/policies/gcc_2024").json()["target"]["sectors"] == ["it_services",
                                                                                     "financial_services"]
    assert client.get("/api/match/trip", params={"country": "JP", "city": ["Tokyo"]}).status_code == 200
    assert client.get("/api/match/trip", params={"country": "JPN"}).status_code == 422
    assert client.get("/api/match/offerings/12345").status_code == 404
    assert client.get("/api/match/organizations/12345").status_code == 404
