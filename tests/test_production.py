"""INVESTDESK_ENVIRONMENT=production: no demo accounts, no guessable secret key, no password in the server
log; and in every environment the data directory, the SQLite file and its journal are private."""

from __future__ import annotations

import os
import secrets
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from investdesk.config import Settings
from investdesk.db import make_engine
from investdesk.errors import ValidationFailed
from investdesk.migrate import upgrade
from investdesk.models import User
from investdesk.users import security


def _env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INVESTDESK_")}
    return {**env, "INVESTDESK_DATA_DIR": str(data), "PYTHONUNBUFFERED": "1", **extra}


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "investdesk", *args], capture_output=True, text=True, env=env,
                          timeout=120, stdin=subprocess.DEVNULL)


def _users(data: Path) -> int:
    engine = make_engine(f"sqlite:///{data / 'investdesk.db'}")
    try:
        with Session(engine) as s:
            return s.scalar(select(func.count()).select_from(User)) or 0
    finally:
        engine.dispose()


def test_demo_is_refused_in_production(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = _cli(["demo"], _env(data, INVESTDESK_ENVIRONMENT="production"))
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr
    assert "INVESTDESK_ENVIRONMENT=production" in lines[0] and "demo" in lines[0]
    assert _users(data) == 0 and "demo-admin" not in proc.stdout


@pytest.mark.parametrize("key, why", [
    ("x", "is 1 characters long, shorter than 32"),
    ("changeme-changeme-changeme-changeme", "looks like a placeholder"),
    ("my-production-secret-key-2025-invest-up", "looks like a placeholder"),
    ("a" * 48, "has only 1 distinct characters"),
    ("0123456789abcdef" * 3, "repeats itself"),
])
def test_a_weak_secret_key_is_refused_in_production(tmp_path: Path, key: str, why: str) -> None:
    with pytest.raises(ValidationFailed, match="INVESTDESK_SECRET_KEY") as refused:
        Settings(data_dir=tmp_path, environment="production", secret_key=key).resolved_secret_key()
    assert why in refused.value.message
    assert Settings(data_dir=tmp_path, secret_key=key).resolved_secret_key() == key  # development: as given


def test_a_random_or_generated_key_is_accepted_in_production(tmp_path: Path) -> None:
    for key in (secrets.token_urlsafe(32), secrets.token_urlsafe(48)):
        assert Settings(data_dir=tmp_path, environment="production", secret_key=key).resolved_secret_key() == key
    generated = Settings(data_dir=tmp_path / "d", environment="production").resolved_secret_key()
    assert len(generated) >= 32 and stat.S_IMODE((tmp_path / "d" / "secret_key").stat().st_mode) == 0o600


def test_serve_stops_on_a_weak_key_before_writing_anything(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = _cli(["serve", "--port", "1"], _env(data, INVESTDESK_ENVIRONMENT="production",
                                               INVESTDESK_SECRET_KEY="x"))
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert proc.returncode == 2 and len(lines) == 1 and "INVESTDESK_SECRET_KEY" in lines[0], proc.stderr
    assert not (data / "investdesk.db").exists() or _users(data) == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _first_start(data: Path, **extra: str) -> str:
    """Start the server on an empty database, return what it printed up to listening, stop it."""
    proc = subprocess.Popen([sys.executable, "-m", "investdesk", "serve", "--port", str(_free_port())],
                            env=_env(data, **extra), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out: list[str] = []
    try:
        deadline = time.monotonic() + 120
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            out.append(line)
            if "InvestDesk on http://" in line:
                break
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert any("InvestDesk on http://" in ln for ln in out), "".join(out)
    return "".join(out)


def test_the_first_admins_password_goes_to_a_private_file_in_production(tmp_path: Path) -> None:
    data = tmp_path / "data"
    printed = _first_start(data, INVESTDESK_ENVIRONMENT="production")
    file = data / "first-admin-password.txt"
    assert str(file) in printed.replace("\n", "") or file.name in printed, printed
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    email, password = file.read_text(encoding="utf-8").split()
    assert email == "admin@localhost" and password not in printed
    engine = make_engine(f"sqlite:///{data / 'investdesk.db'}")
    with Session(engine) as s:
        user = s.scalar(select(User).where(User.email == email))
        assert user is not None and security.verify_password(user.password_hash, password)
    engine.dispose()


def test_data_directory_and_database_are_private_in_every_environment(tmp_path: Path) -> None:
    data = Settings(data_dir=tmp_path / "fresh" / "data").ensure_data_dir()
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    engine = make_engine(f"sqlite:///{data / 'investdesk.db'}")
    upgrade(engine)
    for name in ("investdesk.db", "investdesk.db-wal"):
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name
    engine.dispose()
