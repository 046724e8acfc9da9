"""`investdesk user`: tokens with expiry, listed and revoked; disable and enable; one-time passwords."""

from __future__ import annotations

import json

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from investdesk.cli import app
from investdesk.errors import InvestDeskError
from investdesk.users import service as users
from investdesk.users.tokens import actor_for_token

runner = CliRunner()


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.output


def refused(*args: str, stdin: str | None = None) -> str:
    """The one-line message of a command refused for bad input (`investdesk` prints it and exits 2)."""
    result = runner.invoke(app, list(args), input=stdin)
    assert isinstance(result.exception, InvestDeskError), result.output
    return result.exception.message


def test_tokens_listed_revoked_and_users_disabled_and_enabled(env_db: Engine) -> None:
    assert refused("user", "add", "ravi@x.gov", "--role", "officer", "--name", "Ravi Kumar", "--password-stdin",
                   stdin="aaaaaaaaaa\n") == "password: use at least 5 different characters"
    code, out = invoke("user", "add", "ravi@x.gov", "--role", "officer", "--name", "Ravi Kumar", "--password-stdin",
                       stdin="Quiet-Harbour-Lantern-7\n")
    assert code == 0, out
    code, raw = invoke("user", "token", "ravi@x.gov", "--name", "nightly import", "--expires-days", "30")
    assert code == 0 and raw.strip().startswith("idk_")
    code, out = invoke("user", "tokens", "ravi@x.gov", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and [(r["name"], r["user"], r["live"]) for r in rows] == [("nightly import", "ravi@x.gov", True)]
    assert rows[0]["expires_at"] and raw.strip() not in out
    with Session(env_db) as s:
        assert actor_for_token(s, raw.strip()) is not None
    code, out = invoke("user", "token-revoke", str(rows[0]["id"]))
    assert code == 0 and "revoked token" in out
    with Session(env_db) as s:
        assert actor_for_token(s, raw.strip()) is None
    assert json.loads(invoke("user", "tokens", "--format", "json")[1])[0]["live"] is False
    assert refused("user", "token-revoke", "999") == "token 999 not found"
    assert invoke("user", "disable", "ravi@x.gov")[0] == 0
    code, out = invoke("user", "enable", "ravi@x.gov")
    assert code == 0 and "enabled ravi@x.gov" in out
    assert refused("user", "enable", "ravi@x.gov") == "email: ravi@x.gov is not disabled"
    with Session(env_db) as s:
        assert users.get_by_email(s, "ravi@x.gov").is_active
    code, out = invoke("user", "passwd", "ravi@x.gov")
    assert code == 0 and "one-time password" in out
    with Session(env_db) as s:
        user = users.get_by_email(s, "ravi@x.gov")
        assert user.must_change_password and user.otp_expires_at is not None
