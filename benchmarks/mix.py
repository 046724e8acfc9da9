"""CPU per request of each route of the load mix (benchmarks/load.py), in one process, one request at a time.

    .venv/bin/python benchmarks/mix.py [--backend sqlite|postgresql] [--runs 40] [--opportunities 5000]
        [--pg-server postgresql://postgres@127.0.0.1:5432] [--pg-database bench_mix] [--profile ROUTE] [--top 30]

Builds the data set of load.py (one account with a session and an API token), then sends each route of the mix
straight to the ASGI application in this process (no network, no HTTP client: a bare ASGI call) --runs times
after three warm-ups, and prints the process's CPU milliseconds per request (every thread counted) beside the
wall milliseconds, and the mix's weighted mean. CPU time hardly depends on what else the machine is doing, so
two versions of the code compare on a busy machine. With ``--profile ROUTE`` (a route as printed, or ``mix``) it
profiles that route with cProfile, the work the application sends to threads run inline so one profile sees it,
and prints the top functions by cumulative time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
from sqlalchemy import event

from investdesk.config import Settings
from investdesk.db import make_engine
from investdesk.users import recent

sys.path.insert(0, str(Path(__file__).parent))
from dataset import scratch_database  # noqa: E402
from load import READ_API, READ_PAGES, prepare  # noqa: E402

WRITES = ["POST /api/organizations", "POST /organizations/new", "POST /api/followups"]
# Shares of the mix (load.py's Officer.act): 40 % pages, 40 % API reads, then 8 %, 6 % and 6 % writes.
WEIGHTS = {**{r: 0.4 / len(READ_PAGES) for r in READ_PAGES}, **{r: 0.4 / len(READ_API) for r in READ_API},
           WRITES[0]: 0.08, WRITES[1]: 0.06, WRITES[2]: 0.06}


class Caller:
    """Sends one request to the ASGI app and reads the whole response, as a server would, without a server."""

    def __init__(self, app: Any, cookie: str, token: str, csrf: str) -> None:
        self.app, self.cookie, self.token, self.csrf, self.made = app, cookie, token, csrf, 0
        self.cold = False  # forget who is behind the cookie or token before each request: the look-up counted

    async def call(self, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, bytes]:
        raw_path, _, query = path.partition("?")
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
                 "scheme": "http", "path": raw_path, "raw_path": raw_path.encode(), "query_string": query.encode(),
                 "root_path": "", "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000),
                 "headers": [(k.lower().encode(), v.encode()) for k, v in
                             {"host": "127.0.0.1:8000", "content-length": str(len(body)), **headers}.items()]}
        sent = False
        status, chunks = 0, []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(chunks)

    async def route(self, route: str, org: int) -> int:
        self.made += 1
        if self.cold:
            recent.forget_all()
        page = {"cookie": f"investdesk_session={self.cookie}"}
        api = {"authorization": f"Bearer {self.token}"}
        if route == "POST /api/organizations":
            body = json.dumps({"name": f"Mix {self.made} Ltd"}).encode()
            status, _ = await self.call("POST", "/api/organizations", {**api, "content-type": "application/json"}, body)
        elif route == "POST /organizations/new":
            body = urlencode({"name": f"Form {self.made} Pvt", "kind": "company", "csrf_token": self.csrf}).encode()
            status, _ = await self.call("POST", "/organizations/new",
                                        {**page, "content-type": "application/x-www-form-urlencoded"}, body)
        elif route == "POST /api/followups":
            body = json.dumps({"entity_type": "organization", "entity_id": org, "title": f"Call back ({self.made})",
                               "due_date": "2030-01-01"}).encode()
            status, _ = await self.call("POST", "/api/followups", {**api, "content-type": "application/json"}, body)
        else:
            status, _ = await self.call("GET", route.format(org=org), page if not route.startswith("/api") else api)
        return status


async def inline(func: Callable[..., Any], *args: Any, **_kwargs: Any) -> Any:
    return func(*args)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--runs", type=int, default=8, help="Requests per route in a round.")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--opportunities", type=int, default=5000)
    parser.add_argument("--pg-server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--pg-database", default="bench_mix")
    parser.add_argument("--profile", default=None, help="A route as printed, or 'mix' for all of them.")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="investdesk-mix-"))
    try:
        with scratch_database(args.backend, args.pg_server, args.pg_database, scratch) as url:
            return asyncio.run(measure(args, url, scratch))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


async def measure(args: argparse.Namespace, url: str, scratch: Path) -> int:
    import re

    from investdesk.web import app as app_module

    [(_, token, cookie)] = prepare(url, 1, args.opportunities, start_sessions=True)
    n_orgs = max(50, args.opportunities // 50)
    os.environ["INVESTDESK_SECRET_KEY"] = "mix-benchmark-secret-key-" + "x" * 20
    settings = Settings(database_url=url, data_dir=scratch / "data", secret_key=os.environ["INVESTDESK_SECRET_KEY"])
    engine = make_engine(settings.sqlalchemy_url, pool_size=5, max_overflow=settings.db_pool_size)
    app = app_module.create_app(settings, engine)
    caller = Caller(app, cookie, token, "")
    # As `investdesk serve` tunes each process's collector (where the code under test does).
    tune = getattr(app_module, "tune_collector", None)
    if tune is not None:
        tune()
    # Requests go straight to the app here, without its start-up (lifespan), which freezes what is loaded.
    gc.collect()
    gc.freeze()
    print(f"collector {'tuned as by investdesk serve' if tune is not None else 'at its defaults'}")
    _, body = await caller.call("GET", "/organizations", {"cookie": f"investdesk_session={cookie}"})
    found = re.search(rb'data-csrf="([^"]+)"', body)
    assert found, "no page token"
    caller.csrf = found.group(1).decode()
    routes = list(WEIGHTS)
    if args.profile:
        chosen = routes if args.profile == "mix" else [args.profile]
        anyio.to_thread.run_sync = inline  # type: ignore[assignment]
        for route in chosen:
            for i in range(3):
                await caller.route(route, 1 + i % n_orgs)
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(args.runs):
            for route in chosen:
                await caller.route(route, 1 + (i * 7) % n_orgs)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
        return 0
    print(f"{args.backend}, {args.opportunities} opportunities; CPU ms per request, the best of {args.rounds} "
          f"rounds of {args.runs} requests (routes interleaved); load average {os.getloadavg()[0]:.1f}")
    print(f"{'route':32} {'status':>6} {'CPU ms':>8} {'cold id':>8} {'SQL':>5}")
    statements = [0]

    def counted(*_args: Any) -> None:
        statements[0] += 1
    event.listen(engine, "before_cursor_execute", counted)
    for route in routes:
        for i in range(3):
            await caller.route(route, 1 + i % n_orgs)

    collector = {"start": 0.0, "total": 0.0}

    def timed(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            collector["start"] = time.process_time()
        else:
            collector["total"] += time.process_time() - collector["start"]
    gc.callbacks.append(timed)
    best: dict[tuple[str, bool], float] = {}
    statuses: dict[str, set[int]] = {route: set() for route in routes}
    sql: dict[str, float] = {}
    for round_ in range(args.rounds):
        for route in routes:
            for cold in (False, True):
                caller.cold = cold
                cpu, before = time.process_time(), statements[0]
                for i in range(args.runs):
                    statuses[route].add(await caller.route(route, 1 + (round_ * args.runs + i) * 7 % n_orgs))
                ms = (time.process_time() - cpu) * 1000 / args.runs
                best[route, cold] = min(best.get((route, cold), ms), ms)
                if not cold:
                    sql[route] = (statements[0] - before) / args.runs
    caller.cold = False
    for route in routes:
        print(f"{route:32} {','.join(map(str, sorted(statuses[route]))):>6} {best[route, False]:8.1f} "
              f"{best[route, True]:8.1f} {sql[route]:5.1f}")
    mean = sum(WEIGHTS[r] * best[r, False] for r in routes)
    cold_mean = sum(WEIGHTS[r] * best[r, True] for r in routes)
    print(f"{'mix (weighted mean)':32} {'':>6} {mean:8.1f} {cold_mean:8.1f}   (load average {os.getloadavg()[0]:.1f})")
    print(f"the cyclic collector: {collector['total'] * 1000 / (args.rounds * len(routes) * 2 * args.runs):.2f} ms "
          "of CPU per request")
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
