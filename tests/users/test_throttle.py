"""Sign-in throttling: parallel guesses cannot outrun the limit, a stranger cannot lock the rightful user out, and
an office behind one address is not locked out by a few mistakes."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk.config import Settings
from investdesk.db import transaction
from investdesk.models import LoginAttempt
from investdesk.models.enums import Role
from investdesk.users import service as users
from investdesk.users import throttle
from investdesk.users.schemas import UserCreate
from investdesk.web.app import create_app
from tests.factories import SYSTEM
from tests.web.live import serve

PASSWORD = "Quiet-Harbour-Lantern-7"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(engine: Engine, tmp_path: Path) -> Iterator[object]:
    with transaction(engine) as s:
        users.create_user(s, actor=SYSTEM, data=UserCreate(email="officer@x.gov", role=Role.officer,
                                                          password=PASSWORD))
    yield create_app(Settings(data_dir=tmp_path, secret_key="test-secret-key"), engine=engine)


def attempt(app: object, address: str, password: str, email: str = "officer@x.gov") -> int:
    client = TestClient(app, follow_redirects=False, client=(address, 40000))  # type: ignore[arg-type]
    token = TOKEN.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token}).status_code


def _evaluated(engine: Engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(LoginAttempt)) or 0


def test_thirty_parallel_guesses_get_five_evaluated(app: object, engine: Engine) -> None:
    with serve(app) as base:  # type: ignore[arg-type]
        clients = [httpx.Client(base_url=base, timeout=60) for _ in range(30)]
        tokens = [TOKEN.search(c.get("/login").text).group(1) for c in clients]  # type: ignore[union-attr]
        start = threading.Barrier(30)

        def guess(i: int) -> int:
            start.wait()
            return clients[i].post("/login", data={"email": "officer@x.gov", "password": f"guess-number-{i:04d}",
                                                   "csrf_token": tokens[i]}).status_code

        with ThreadPoolExecutor(30) as pool:
            statuses = list(pool.map(guess, range(30)))
        for c in clients:
            c.close()
    assert statuses.count(401) == throttle.PAIR_LIMIT and statuses.count(429) == 30 - throttle.PAIR_LIMIT
    assert _evaluated(engine) == throttle.PAIR_LIMIT


def test_a_stranger_cannot_lock_out_the_rightful_user(app: object) -> None:
    for _ in range(throttle.PAIR_LIMIT):
        assert attempt(app, "198.51.100.7", "not-the-password") == 401
    assert attempt(app, "198.51.100.7", PASSWORD) == 429  # the guesser's own address is stopped
    assert attempt(app, "10.1.1.1", PASSWORD) == 303  # the officer, from the office, signs in


def test_many_failures_spread_over_addresses_slow_the_account_but_do_not_lock_it(
        app: object, monkeypatch: pytest.MonkeyPatch) -> None:
    waited: list[float] = []

    async def no_sleep(delay: float) -> None:
        waited.append(delay)

    monkeypatch.setattr("investdesk.web.routes.auth.anyio.sleep", no_sleep)
    for n in range(throttle.ACCOUNT_SOFT + 2):
        assert attempt(app, f"203.0.113.{n}", "not-the-password") == 401
    assert attempt(app, "10.1.1.1", PASSWORD) == 303
    assert waited and waited[-1] == 3.0  # back-off grows with the failures, capped at MAX_DELAY


def test_colleagues_behind_one_address_are_not_locked_out_by_each_others_mistakes(app: object,
                                                                                  engine: Engine) -> None:
    with transaction(engine) as s:
        for n in range(25):
            users.create_user(s, actor=SYSTEM, data=UserCreate(email=f"staff{n}@x.gov", role=Role.viewer,
                                                              password=f"Granite-Pebble-{n:03d}-Ridge"))
    for n in range(25):  # one mistake each, all from the office's one public address
        assert attempt(app, "192.0.2.1", "mistyped-password", email=f"staff{n}@x.gov") == 401
    assert attempt(app, "192.0.2.1", PASSWORD) == 303
    assert attempt(app, "192.0.2.1", "Granite-Pebble-000-Ridge", email="staff0@x.gov") == 303
