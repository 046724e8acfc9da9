"""`investdesk incentives` and `investdesk match` on the real database."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from investdesk.cli import app
from investdesk.db import transaction
from tests.factories import create_engagement, create_organization

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_incentives_json_and_table(env_db: Engine) -> None:
    code, out = invoke("incentives", "--sector", "semiconductors", "--investment", "5000", "--land", "300",
                       "--district", "Gautam Buddh Nagar", "--jobs", "2000", "--fdi-share", "0.26", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["disclaimer"] == "Indicative, subject to the Letter of Comfort" and data["region"] == "gbn_ghaziabad"
    fdi = next(p for p in data["eligible"] if p["policy_id"] == "fdi_fci_2023")
    cap = next(f for f in fdi["figures"] if f["incentive_id"] == "capital_subsidy")
    # 25% of ₹4,700 crore excluding land = ₹1,175 crore, at most ₹100 crore a year for 7 years.
    assert cap["amount"] == 700.0 and cap["cap_applied"] == "each instalment at most ₹100 crore"
    assert cap["rule"]["sources"][0]["id"] == "S1"
    code, out = invoke("incentives", "--sector", "semiconductors", "--investment", "5000", "--land", "300",
                       "--district", "Gautam Buddh Nagar", "--jobs", "2000", "--fdi-share", "0.26")
    assert code == 0 and "Indicative, subject to the Letter of Comfort" in out and "FDI & FCI Policy 2023" in out


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run([sys.executable, "-m", "investdesk", *args], capture_output=True, text=True, env=env,
                          timeout=60)


@pytest.mark.parametrize("args, message", [
    (["--investment", "-5"], "--investment: -5.0 is negative"),
    (["--investment", "100", "--jobs", "10", "--fdi-share", "1.5"],
     "foreign_share: Input should be less than or equal to 1"),
    (["--investment", "100", "--land", "300"], "--land: 300.0 is more than --investment 100.0"),
    (["--investment", "100", "--district", "Gotham"], "district: 'Gotham' is not a district"),
    (["--investment", "9e12"], "plant_machinery: Input should be less than or equal to 1000000"),
])
def test_bad_input_is_one_line_exit_2(env_db: Engine, args: list[str], message: str) -> None:
    base = {"--sector": "pharmaceuticals", "--district": "Agra"}
    extra = dict(zip(args[::2], args[1::2], strict=True))
    flat = [x for k, v in {**base, **extra}.items() for x in (k, v)]
    proc = _run(["incentives", *flat])
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_match_commands(env_db: Engine) -> None:
    with transaction(env_db) as s:
        org = create_organization(s, name="Kyoto Chips", acronym=None, country="JP", city="Tokyo",
                                  sectors=["semiconductors"])
        create_engagement(s, title="Fab talk", counterpart_ids=[org.id])
    code, out = invoke("match", "offering", "semiconductor_2024", "--format", "json")
    assert code == 0, out
    assert json.loads(out)["matches"][0]["name"] == "Kyoto Chips"
    code, out = invoke("match", "trip", "--country", "JP", "--city", "Tokyo", "--sector", "semiconductors",
                       "--format", "csv")
    assert code == 0 and "Kyoto Chips" in out and "sectors in common" in out
    code, out = invoke("match", "organization", str(org.id), "--format", "csv")
    assert code == 0 and "semiconductor_2024" in out
