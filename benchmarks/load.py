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
import datetime as dt
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

import aiohttp
import httpx
import psutil

from investdesk.db import make_engine, transaction
from investdesk.migrate import upgrade
from investdesk.models import User
from investdesk.models.enums import Role
from investdesk.permissions import Actor
from investdesk.users import service as users
from investdesk.users import sessions, tokens
from investdesk.users.schemas import UserCreate

sys.path.insert(0, str(Path(__file__).parent))
from dataset import scratch_database  # noqa: E402

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


def prepare(url: str, n_users: int, n_opps: int, *, start_sessions: bool) -> list[tuple[str, str, str]]:
    """The data set and one (e-mail, token, session cookie or "") per simulated user. The first account goes
    through the service; the others share its password hash (argon2 takes a tenth of a second per hash, by
    design). With ``start_sessions`` each user's browser session is started here through the sessions service,
    as a sign-in would, so repeated runs skip 200 password checks."""
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
            cookie = sessions.start(session, user=user, one_time=False, address="127.0.0.1", lifetime=sessions.Lifetime(
                idle=dt.timedelta(hours=1), absolute=dt.timedelta(hours=12))) if start_sessions else ""
            accounts.append((user.email, raw, cookie))
    engine.dispose()
    return accounts


class Officer:
    """One simulated user: its own keep-alive connections (aiohttp, cheap enough that the generator does not eat
    the server's CPU), its session cookie for pages and its API token for the API, sent as headers."""

    def __init__(self, base: str, index: int, email: str, token: str, n_orgs: int, rng: random.Random) -> None:
        self.base, self.index, self.email, self.rng, self.n_orgs = base, index, email, rng, n_orgs
        self.token = token
        self.http: aiohttp.ClientSession | None = None
        self.cookie = ""
        self.csrf = ""
        self.made = 0

    def client(self) -> aiohttp.ClientSession:
        if self.http is None:
            # uvicorn closes a connection idle for 5 s: the client lets go of its own sooner, as browsers do, so a
            # request is never sent on a connection the server is closing.
            connector = aiohttp.TCPConnector(limit=4, keepalive_timeout=2.0)
            self.http = aiohttp.ClientSession(self.base, connector=connector, cookie_jar=aiohttp.DummyCookieJar(),
                                              timeout=aiohttp.ClientTimeout(total=120))
        return self.http

    async def sign_in(self, cookie: str) -> None:
        http = self.client()
        if cookie:
            self.cookie = f"investdesk_session={cookie}"
            await self.page_token()
            return
        async with http.get("/login") as form:
            token = TOKEN.search(await form.text())
            login_cookie = form.cookies["investdesk_login"].value
        assert token, "no sign-in form"
        async with http.post("/login", data={"email": self.email, "password": PASSWORD,
                                             "csrf_token": token.group(1)},
                             headers={"Cookie": f"investdesk_login={login_cookie}"},
                             allow_redirects=False) as res:
            if res.status != 303:
                raise SystemExit(f"{self.email}: sign-in answered {res.status}: {(await res.text())[:200]}")
            self.cookie = f"investdesk_session={res.cookies['investdesk_session'].value}"
        await self.page_token()

    async def page_token(self) -> None:
        async with self.client().get("/organizations", headers={"Cookie": self.cookie}) as home:
            found = re.search(r'data-csrf="([^"]+)"', await home.text())
        assert found, "no page token"
        self.csrf = found.group(1)

    async def act(self, tally: Tally) -> None:
        """One action of the mix, timed from request to full response."""
        roll = self.rng.random()
        org = self.rng.randint(1, self.n_orgs)
        self.made += 1
        page = {"Cookie": self.cookie}
        api = {"Authorization": f"Bearer {self.token}"}
        kwargs: dict[str, object]
        if roll < 0.4:
            route = self.rng.choice(READ_PAGES)
            method, url, kwargs = "GET", route.format(org=org), {"headers": page}
        elif roll < 0.8:
            route = self.rng.choice(READ_API)
            method, url, kwargs = "GET", route.format(org=org), {"headers": api}
        elif roll < 0.88:
            route = "POST /api/organizations"
            method, url = "POST", "/api/organizations"
            kwargs = {"headers": api, "json": {"name": f"Load {self.index}-{self.made} Ltd"}}
        elif roll < 0.94:
            route = "POST /organizations/new"
            method, url = "POST", "/organizations/new"
            kwargs = {"headers": page, "data": {"name": f"Form {self.index}-{self.made} Pvt", "kind": "company",
                                                "csrf_token": self.csrf}}
        else:
            route = "POST /api/followups"
            method, url = "POST", "/api/followups"
            kwargs = {"headers": api, "json": {"entity_type": "organization", "entity_id": org,
                                               "title": f"Call back ({self.made})", "due_date": "2030-01-01"}}
        start = time.perf_counter()
        try:
            async with self.client().request(method, url, allow_redirects=False, **kwargs) as res:  # type: ignore[arg-type]
                raw = await res.read()
                body = raw.decode(errors="replace") if res.status >= 400 else ""
                tally.add(route, (time.perf_counter() - start) * 1000, res.status, body)
        except (TimeoutError, aiohttp.ClientError) as exc:
            tally.transport_errors.append(f"{route}: {type(exc).__name__} {exc}")

    async def close(self) -> None:
        if self.http is not None:
            await self.http.close()


class CpuMeter:
    """CPU seconds spent by the server's processes, the database's (PostgreSQL backends of the scratch database)
    and this load generator over a phase: CPU per request does not depend on what else the machine is doing."""

    def __init__(self, server_pid: int, database: str | None) -> None:
        self.server = psutil.Process(server_pid)
        self.database = database
        self.me = psutil.Process()

    def _sample(self) -> tuple[float, dict[int, float], float, float, float]:
        def cpu(proc: psutil.Process) -> float:
            try:
                times = proc.cpu_times()
                return float(times.user + times.system)
            except psutil.Error:
                return 0.0

        server = cpu(self.server) + sum(cpu(p) for p in self.server.children(recursive=True))
        db: dict[int, float] = {}
        postmaster = None
        if self.database:
            for proc in psutil.process_iter(["cmdline", "ppid"]):
                cmd = " ".join(proc.info.get("cmdline") or ())
                if cmd.startswith("postgres:") and f" {self.database} " in f"{cmd} ":
                    db[proc.pid] = cpu(proc)
                    postmaster = postmaster or proc.info.get("ppid")
        # Backends that exited (a connection closed by the pool) take their CPU with them; the postmaster has it,
        # reaped, among its children's times (with any other database's exited connections).
        exited = 0.0
        if postmaster:
            try:
                times = psutil.Process(postmaster).cpu_times()
                exited = float(times.children_user + times.children_system)
            except psutil.Error:
                pass
        return server, db, cpu(self.me), time.monotonic(), exited

    def start(self) -> None:
        self.first = self._sample()
        self.load = os.getloadavg()[0]

    def report(self, requests: int) -> None:
        last = self._sample()
        server, client, wall = (last[i] - self.first[i] for i in (0, 2, 3))  # type: ignore[operator]
        # Each backend's own increase (a connection opened during the phase counts whole; one closed is lost).
        db = sum(value - self.first[1].get(pid, 0.0) for pid, value in last[1].items())
        exited = last[4] - self.first[4] if last[4] and self.first[4] else 0.0
        per = max(requests, 1)
        print(f"CPU over the phase ({wall:.0f} s, load average {self.load:.1f} -> {os.getloadavg()[0]:.1f}): "
              f"server {server:.1f} s = {server * 1000 / per:.1f} ms/request, database {db:.1f} s = "
              f"{db * 1000 / per:.1f} ms/request ({len(last[1])} connections) and {exited:.1f} s = "
              f"{exited * 1000 / per:.1f} ms/request in exited backends (of any database), load generator "
              f"{client:.1f} s = {client * 1000 / per:.1f} ms/request")


async def run_phase(officers: list[Officer], seconds: float, pace: tuple[float, float] | None) -> Tally:
    tally = Tally()
    end = time.monotonic() + seconds

    async def baseline() -> None:
        """/health twice a second through the same server: the machine's own latency in this run."""
        async with aiohttp.ClientSession(officers[0].base) as client:
            while time.monotonic() < end:
                start = time.perf_counter()
                async with client.get("/health") as res:
                    await res.read()
                    tally.add("baseline GET /health", (time.perf_counter() - start) * 1000, res.status, "")
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


async def drive(base: str, accounts: list[tuple[str, str, str]], n_orgs: int, duration: float,
                saturation: float, meter: CpuMeter) -> bool:
    rng = random.Random(11)
    officers = [Officer(base, i, email, token, n_orgs, random.Random(rng.random()))
                for i, (email, token, _) in enumerate(accounts)]
    cookies = {officer.email: cookie for officer, (_, _, cookie) in zip(officers, accounts, strict=True)}
    started = time.monotonic()
    sem = asyncio.Semaphore(8)  # sign-in runs argon2: a few at a time, as a morning's arrivals would

    async def arrive(officer: Officer) -> None:
        async with sem:
            await officer.sign_in(cookies[officer.email])

    await asyncio.gather(*(arrive(o) for o in officers))
    how = "with sessions started beforehand" if any(cookies.values()) else "through the form"
    print(f"{len(officers)} users signed in {how} in {time.monotonic() - started:.1f} s")
    meter.start()
    paced = await run_phase(officers, duration, (1.0, 3.0))
    p95 = report(f"Officer pace (1-3 s between actions), {len(officers)} users", paced, duration)
    meter.report(len(paced.all()))
    ok = not paced.server_errors and not paced.locked and not paced.transport_errors and p95 < TARGET_P95_MS
    if saturation > 0:
        meter.start()
        flat = await run_phase(officers, saturation, None)
        report(f"No pause, {len(officers)} users (saturation throughput)", flat, saturation)
        meter.report(len(flat.all()))
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
    parser.add_argument("--workers", type=int, default=2, help="Server processes (one per core).")
    parser.add_argument("--sign-in", choices=["form", "service"], default="form",
                        help="form: each user signs in through the sign-in form (200 password checks before the "
                             "phases); service: their sessions are started beforehand by the sessions service.")
    parser.add_argument("--opportunities", type=int, default=5000, help="Size of the data set (see web.py).")
    parser.add_argument("--pg-server", default="postgresql://postgres@127.0.0.1:5432",
                        help="A PostgreSQL server where the scratch database is created and dropped.")
    parser.add_argument("--pg-database", default="bench_load", help="Name of that scratch database.")
    args = parser.parse_args()
    n_users = args.users or (200 if args.backend == "postgresql" else 50)
    scratch = Path(tempfile.mkdtemp(prefix="investdesk-load-"))
    try:
        with scratch_database(args.backend, args.pg_server, args.pg_database, scratch) as url:
            return run(args, url, scratch, n_users)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(args: argparse.Namespace, url: str, scratch: Path, n_users: int) -> int:
    """Start the server on the scratch database, drive the users, and read the server's log."""
    server = None
    try:
        started = time.monotonic()
        accounts = prepare(url, n_users, args.opportunities, start_sessions=args.sign_in == "service")
        n_orgs = max(50, args.opportunities // 50)
        print(f"{args.backend}: data set of {args.opportunities} opportunities and {n_users} accounts with tokens "
              f"in {time.monotonic() - started:.1f} s")
        port = free_port()
        env = {**os.environ, "INVESTDESK_DATABASE_URL": url, "INVESTDESK_DATA_DIR": str(scratch / "data"),
               "INVESTDESK_SECRET_KEY": "load-benchmark-secret-key-" + "x" * 20}
        log = open(scratch / "server.log", "wb")  # noqa: SIM115  (a file, never a pipe that fills and blocks)
        server = subprocess.Popen([sys.executable, "-m", "investdesk", "serve", "--port", str(port), "--workers",
                                   str(args.workers), "--no-access-log"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=log)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180  # workers import the app: slow on a busy machine
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
        meter = CpuMeter(server.pid, args.pg_database if args.backend == "postgresql" else None)
        ok = asyncio.run(drive(base, accounts, n_orgs, args.duration, args.saturation, meter))
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


if __name__ == "__main__":
    sys.exit(main())
