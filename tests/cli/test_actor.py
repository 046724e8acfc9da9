"""The command line acts as a named user, with that user's role and scope, as the web and the API do."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from investdesk.cli import app
from investdesk.db import transaction
from investdesk.errors import InvestDeskError
from investdesk.models import User
from investdesk.models.enums import Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
from tests.factories import SYSTEM

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    """Exit code and output; a user error comes back as ``investdesk``'s entry point prints it (exit 2)."""
    result = runner.invoke(app, list(args))
    if isinstance(result.exception, InvestDeskError):
        return 2, result.exception.message
    return result.exit_code, result.output


@pytest.fixture
def people(env_db: Engine) -> dict[str, str]:
    """One user per role; the nodal officer looks after Jhansi only."""
    emails = {role: f"{role.value}@cli.test" for role in Role}
    with transaction(env_db) as s:
        for role, email in emails.items():
            s.add(User(email=email, role=role, districts=["Jhansi"] if role is Role.nodal_officer else []))
        s.add(User(email="gone@cli.test", role=Role.admin, is_active=False))
        mous.create(s, actor=SYSTEM, data=MouCreate(title="Bulk drug plant", district="Jhansi"))
        mous.create(s, actor=SYSTEM, data=MouCreate(title="Solar glass", district="Kanpur Nagar"))
    return {role.value: email for role, email in emails.items()}


def test_viewer_reads_but_may_not_write(people: dict[str, str]) -> None:
    code, out = invoke("--as", people["viewer"], "org", "list", "--format", "json")
    assert code == 0, out
    code, out = invoke("--as", people["viewer"], "org", "add", "Kansai Pharma")
    assert code != 0 and "viewer" in out
    assert json.loads(invoke("--as", people["admin"], "org", "list", "--format", "json")[1]) == []


def test_officer_writes_records_but_not_mous(people: dict[str, str]) -> None:
    code, out = invoke("--as", people["officer"], "org", "add", "Kansai Pharma", "--format", "json")
    assert code == 0, out
    assert json.loads(out)["name"] == "Kansai Pharma"
    code, out = invoke("--as", people["officer"], "mou", "status", "1", "land_identified")
    assert code != 0 and "officer" in out


def test_nodal_officer_sees_and_updates_only_their_districts(people: dict[str, str]) -> None:
    code, out = invoke("--as", people["nodal_officer"], "mou", "list", "--format", "json")
    assert code == 0, out
    assert [m["district"] for m in json.loads(out)] == ["Jhansi"]
    code, out = invoke("--as", people["manager"], "mou", "list", "--format", "json")
    assert sorted(m["district"] for m in json.loads(out)) == ["Jhansi", "Kanpur Nagar"]
    others = [m["id"] for m in json.loads(out) if m["district"] == "Kanpur Nagar"]
    assert invoke("--as", people["nodal_officer"], "mou", "status", str(others[0]), "land_identified")[0] != 0


def test_manager_and_admin_update_mous(people: dict[str, str]) -> None:
    for role in ("manager", "admin"):
        code, out = invoke("--as", people[role], "mou", "list", "--format", "json")
        mou = json.loads(out)[0]
        code, out = invoke("--as", people[role], "mou", "status", str(mou["id"]), "land_identified" if role ==
                           "manager" else "land_allotted", "--version", str(mou["version"]))
        assert code == 0, out


def test_the_user_comes_from_the_setting_when_no_option_is_given(people: dict[str, str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from investdesk.config import get_settings

    monkeypatch.setenv("INVESTDESK_USER", people["viewer"])
    get_settings.cache_clear()
    code, out = invoke("org", "add", "Kansai Pharma")
    assert code != 0 and "viewer" in out
    assert invoke("--as", people["officer"], "org", "add", "Kansai Pharma")[0] == 0  # --as wins


def test_no_unknown_or_disabled_user_is_refused_in_one_line(people: dict[str, str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from investdesk.config import get_settings

    monkeypatch.delenv("INVESTDESK_USER")
    get_settings.cache_clear()
    code, out = invoke("org", "list")
    assert code != 0 and "--as" in out and "INVESTDESK_USER" in out
    code, out = invoke("--as", "nobody@cli.test", "org", "list")
    assert code != 0 and "nobody@cli.test" in out
    code, out = invoke("--as", "gone@cli.test", "org", "list")
    assert code != 0 and "disabled" in out


def test_administrative_commands_need_no_user(people: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from investdesk.config import get_settings

    monkeypatch.delenv("INVESTDESK_USER")
    get_settings.cache_clear()
    code, out = invoke("blocker", "escalate", "--format", "json")
    assert code == 0, out
    code, out = invoke("user", "list", "--format", "json")
    assert code == 0, out
