"""Many officers at once against one `investdesk serve` with several workers, over the network on 127.0.0.1.

    .venv/bin/python benchmarks/load.py [--backend postgresql|sqlite] [--users 200] [--duration 300]
        [--workers 4] [--saturation 20] [--opportunities 5000] [--pg-server postgresql://postgres@127.0.0.1:5432]

Builds a scratch database (PostgreSQL: a database `bench_load` created on --pg-server and dropped at the end;
SQLite: a file in a temporary folder) with the data set of benchmarks/web.py and one account and API token per
simulated user, starts `investdesk serve --workers N` on a free port, signs every user in through the sign-in
form, then runs each user at an officer's pace (1 to 3 s between actions) for --duration seconds: 80 % reads
(pages with the session cookie, API with the token), 20 % writes (an organization created by API or by the
page's form, a follow-up added). Then the same mix with no pause for --saturation seconds gives the saturation
throughput. Prints p50/p95/p99 per route for both phases, 5xx and "database is locked" counts, and exits 1 when
a target is missed: zero 5xx, zero "database is locked", p95 under 500 ms in the paced phase.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from investdesk.db import make_engine, transaction
from investdesk.migrate import upgrade
from investdesk.models import User
from investdesk.models.enums import Role
from investdesk.permissions import Actor
from investdesk.users import service as users
from investdesk.users import tokens
from investdesk.users.schemas import UserCreate

sys.path.insert(0, str(Path(__file__).parent))
from web import build  # noqa: E402  (the data set of the page benchmark)

PASSWORD = "Quiet-Harbour-Lantern-2026"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
READ_PAGES = ["/", "/organizations", "/organizations/{org}", "/opportunities", "/mous", "/missions",
              "/mous/pending", "/search?q=Tanaka"]
READ_API = ["/api/organizations", "/api/organizations/{org}", "/api/opportunities", "/api/mous",
            "/api/reports/funnel", "/api/followups"]
TARGET_P95_MS = 500.0


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    server_errors: list[str] = field(default_factory=list)
    transport_errors: list[str] = field(default_factory=list)
    locked: int = 0

    def add(self, route: str, ms: float, status: int, body: str) -> None:
        self.latencies[route].append(ms)
        self.statuses[status] += 1
        if "database is locked" in body:
            self.locked += 1
        if status >= 500:
            self.server_errors.append(f"{route}: {status} {body[:200]}")

    def all(self) -> list[float]:
        return [v for route, values in self.latencies.items() if not route.startswith("baseline") for v in values]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pct(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def prepare(url: str, n_users: int, n_opps: int) -> list[tuple[str, str]]:
    """The data set and one (e-mail, token) per simulated user. The first account goes through the service;
    the others share its password hash (argon2 takes a tenth of a second per hash, by design)."""
    engine = make_engine(url)
    upgrade(engine)
    build(engine, n_opps)
    accounts = []
    with transaction(engine) as session:
        for i in range(n_users):
            email = f"officer{i:04d}@bench.invest.gov"
            if i == 0:
                user, _ = users.create_user(session, actor=Actor.system("load"), data=UserCreate(
                    email=email, name="Bench Officer 0", role=Role.manager, password=PASSWORD))
                password_hash = user.password_hash
            else:
                user = User(email=email, name=f"Bench Officer {i}", role=Role.manager, districts=[],
                            departments=[], password_hash=password_hash)
                session.add(user)
                session.flush()
            _, raw = tokens.create_token(session, actor=Actor.system("load"), user_id=user.id, name="load")
            accounts.append((user.email, raw))
    engine.dispose()
    return accounts


class Officer:
    def __init__(self, base: str, index: int, email: str, token: str, n_orgs: int, rng: random.Random) -> None:
        self.index, self.email, self.rng, self.n_orgs = index, email, rng, n_orgs
        # uvicorn closes a connection idle for 5 s: the client lets go of its own sooner, as browsers do, so a
        # request is never sent on a connection the server is closing.
        limits = httpx.Limits(keepalive_expiry=3.0)
        self.page = httpx.AsyncClient(base_url=base, timeout=120, follow_redirects=False, limits=limits)
        self.api = httpx.AsyncClient(base_url=base, timeout=120, limits=limits,
                                     headers={"Authorization": f"Bearer {token}"})
        self.csrf = ""
        self.made = 0

    async def sign_in(self) -> None:
        form = await self.page.get("/login")
        token = TOKEN.search(form.text)
        assert token, "no sign-in form"
        res = await self.page.post("/login", data={"email": self.email, "password": PASSWORD,
                                                   "csrf_token": token.group(1)})
        if res.status_code != 303:
            raise SystemExit(f"{self.email}: sign-in answered {res.status_code}: {res.text[:200]}")
        home = await self.page.get("/organizations")
        found = re.search(r'data-csrf="([^"]+)"', home.text)
        assert found, "no page token"
        self.csrf = found.group(1)

    async def act(self, tally: Tally) -> None:
        """One action of the mix, timed from request to full response."""
        roll = self.rng.random()
        org = self.rng.randint(1, self.n_orgs)
        self.made += 1
        if roll < 0.4:
            route = self.rng.choice(READ_PAGES)
            call = self.page.get(route.format(org=org))
        elif roll < 0.8:
            route = self.rng.choice(READ_API)
            call = self.api.get(route.format(org=org))
        elif roll < 0.88:
            route = "POST /api/organizations"
            call = self.api.post("/api/organizations", json={"name": f"Load {self.index}-{self.made} Ltd"})
        elif roll < 0.94:
            route = "POST /organizations/new"
            call = self.page.post("/organizations/new", data={"name": f"Form {self.index}-{self.made} Pvt",
                                                              "kind": "company", "csrf_token": self.csrf})
        else:
            route = "POST /api/followups"
            call = self.api.post("/api/followups", json={
                "entity_type": "organization", "entity_id": org, "title": f"Call back ({self.made})",
                "due_date": "2030-01-01"})
        start = time.perf_counter()
        try:
            res = await call
            body = res.text if res.status_code >= 400 else ""
            tally.add(route, (time.perf_counter() - start) * 1000, res.status_code, body)
        except httpx.HTTPError as exc:
            tally.transport_errors.append(f"{route}: {type(exc).__name__} {exc}")

    async def close(self) -> None:
        await self.page.aclose()
        await self.api.aclose()


async def run_phase(officers: list[Officer], seconds: float, pace: tuple[float, float] | None) -> Tally:
    tally = Tally()
    end = time.monotonic() + seconds

    async def baseline() -> None:
        """/health twice a second through the same server: the machine's own latency in this run."""
        async with httpx.AsyncClient(base_url=officers[0].page.base_url, timeout=120) as client:
            while time.monotonic() < end:
                start = time.perf_counter()
                res = await client.get("/health")
                tally.add("baseline GET /health", (time.perf_counter() - start) * 1000, res.status_code, "")
                await asyncio.sleep(0.5)

    async def loop(officer: Officer) -> None:
        if pace:
            await asyncio.sleep(officer.rng.uniform(0, pace[1]))  # not all at the same instant
        while time.monotonic() < end:
            await officer.act(tally)
            if pace:
                await asyncio.sleep(officer.rng.uniform(*pace))

    await asyncio.gather(baseline(), *(loop(o) for o in officers))
    return tally


def report(title: str, tally: Tally, seconds: float) -> float:
    every = tally.all()
    print(f"\n{title}: {len(every)} requests in {seconds:.0f} s = {len(every) / seconds:.1f} req/s; "
          f"statuses {dict(sorted(tally.statuses.items()))}; 5xx {len(tally.server_errors)}; "
          f"'database is locked' {tally.locked}; transport errors {len(tally.transport_errors)}")
    print(f"{'route':42} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for route in sorted(tally.latencies):
        values = tally.latencies[route]
        print(f"{route:42} {len(values):6} {pct(values, 50):8.0f} {pct(values, 95):8.0f} {pct(values, 99):8.0f}")
    p95 = pct(every, 95) if every else 0.0
    print(f"{'all (without the baseline)':42} {len(every):6} {pct(every, 50):8.0f} {p95:8.0f} {pct(every, 99):8.0f}")
    health = tally.latencies.get("baseline GET /health")
    if health and pct(health, 95) > 0:
        print(f"p95 ratio all / baseline /health: {p95 / pct(health, 95):.1f}")
    for line in tally.server_errors[:5] + tally.transport_errors[:5]:
        print("  ", line)
    return p95


async def drive(base: str, accounts: list[tuple[str, str]], n_orgs: int, duration: float,
                saturation: float) -> bool:
    rng = random.Random(11)
    officers = [Officer(base, i, email, token, n_orgs, random.Random(rng.random()))
                for i, (email, token) in enumerate(accounts)]
    started = time.monotonic()
    sem = asyncio.Semaphore(8)  # sign-in runs argon2: a few at a time, as a morning's arrivals would

    async def arrive(officer: Officer) -> None:
        async with sem:
            await officer.sign_in()

    await asyncio.gather(*(arrive(o) for o in officers))
    print(f"{len(officers)} users signed in through the form in {time.monotonic() - started:.1f} s")
    paced = await run_phase(officers, duration, (1.0, 3.0))
    p95 = report(f"Officer pace (1-3 s between actions), {len(officers)} users", paced, duration)
    ok = not paced.server_errors and not paced.locked and not paced.transport_errors and p95 < TARGET_P95_MS
    if saturation > 0:
        flat = await run_phase(officers, saturation, None)
        report(f"No pause, {len(officers)} users (saturation throughput)", flat, saturation)
        ok = ok and not flat.server_errors and not flat.locked
    for officer in officers:
        await officer.close()
    print(f"\ntargets (paced: zero 5xx, zero 'database is locked', p95 < {TARGET_P95_MS:.0f} ms"
          f"; no pause: zero 5xx and locks): {'met' if ok else 'MISSED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--users", type=int, default=None, help="Default: 200 on PostgreSQL, 50 on SQLite.")
    parser.add_argument("--duration", type=float, default=300.0, help="Seconds at an officer's pace.")
    parser.add_argument("--saturation", type=float, default=20.0, help="Seconds with no pause (0: skip).")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--opportunities", type=int, default=5000, help="Size of the data set (see web.py).")
    parser.add_argument("--pg-server", default="postgresql://postgres@127.0.0.1:5432",
                        help="A PostgreSQL server where the scratch database bench_load is created and dropped.")
    args = parser.parse_args()
    n_users = args.users or (200 if args.backend == "postgresql" else 50)
    scratch = Path(tempfile.mkdtemp(prefix="investdesk-load-"))
    admin = None
    if args.backend == "postgresql":
        admin = create_engine(args.pg_server.replace("postgresql://", "postgresql+psycopg://") + "/postgres",
                              isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS bench_load WITH (FORCE)"))
            conn.execute(text("CREATE DATABASE bench_load"))
        url = f"{args.pg_server}/bench_load"
    else:
        url = f"sqlite:///{scratch / 'investdesk.db'}"
    server = None
    try:
        started = time.monotonic()
        accounts = prepare(url, n_users, args.opportunities)
        n_orgs = max(50, args.opportunities // 50)
        print(f"{args.backend}: data set of {args.opportunities} opportunities and {n_users} accounts with tokens "
              f"in {time.monotonic() - started:.1f} s")
        port = free_port()
        env = {**os.environ, "INVESTDESK_DATABASE_URL": url, "INVESTDESK_DATA_DIR": str(scratch / "data"),
               "INVESTDESK_SECRET_KEY": "load-benchmark-secret-key-" + "x" * 20}
        log = open(scratch / "server.log", "wb")  # noqa: SIM115  (a file, never a pipe that fills and blocks)
        server = subprocess.Popen([sys.executable, "-m", "investdesk", "serve", "--port", str(port), "--workers",
                                   str(args.workers)], env=env, stdout=subprocess.DEVNULL, stderr=log)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start: "
                                 + (scratch / "server.log").read_text(errors="replace")[-2000:])
            time.sleep(0.3)
        print(f"investdesk serve --workers {args.workers} on {base}")
        ok = asyncio.run(drive(base, accounts, n_orgs, args.duration, args.saturation))
        return 0 if ok else 1
    finally:
        if server is not None:
            lines = (scratch / "server.log").read_text(errors="replace").splitlines()
            # The last line of each traceback names the exception ("database is locked" shows there, not in a
            # 500's body).
            causes: dict[str, int] = defaultdict(int)
            for i, line in enumerate(lines):
                if line.startswith("Traceback"):
                    end = next((j for j in range(i + 1, len(lines)) if not lines[j].startswith((" ", "\t"))), i)
                    causes[lines[end][:200]] += 1
            print(f"server log: {sum(causes.values())} tracebacks" +
                  "".join(f"\n   {n} x {cause}" for cause, n in sorted(causes.items(), key=lambda c: -c[1])[:5]))
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text("DROP DATABASE IF EXISTS bench_load WITH (FORCE)"))
            admin.dispose()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
