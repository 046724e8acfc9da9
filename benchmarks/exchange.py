"""MoU import throughput beside a bare openpyxl read of the same workbook, in the same run.

    .venv/bin/python benchmarks/exchange.py [--rows 50000] [--database-url postgresql://USER@HOST:PORT/DB]

Writes a ``--rows`` MoU workbook (default 50,000) with the headers an agency's sheet has ("S. No.",
"Project Name", "Investor Name", "MoU Value (Rs Cr)", "Employment", "Date of Signing" ...; 5,000 investors,
every district and sector, dates as Excel dates, a caption above the header) in a temporary folder. Then:

1. a bare read: ``openpyxl.load_workbook(read_only=True, data_only=True)`` and every row's values;
2. ``investdesk mou import`` of the same file (through the service, in one transaction) into a fresh SQLite
   file, and, with ``--database-url`` or INVESTDESK_TEST_DATABASE_URL, into a scratch PostgreSQL database
   created on that server and dropped afterwards (the database the URL names is not touched).

Prints rows per second for each, the share of the import spent reading, checking, writing the MoU rows and
the rest (history, parties, audit row, commit), and the ratio import / bare read: the import's speed as a
share of the speed of merely reading the file, so 1.0 would mean checks and database writes cost nothing
(the target is 0.5). The bare read is timed again before each further database's import. The same ratio by
this process's CPU time follows, steadier on a busy machine (on PostgreSQL it leaves out the server's work).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tempfile
import time
import uuid
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.engine import make_url

from investdesk import places
from investdesk.db import make_engine, transaction
from investdesk.exchange import service as exchange
from investdesk.migrate import sector_rows, upgrade
from investdesk.models import Mou, MouStatusChange, Organization, User
from investdesk.models.enums import Role
from investdesk.permissions import Actor

HEADER = ["S. No.", "Project Name", "Investor Name", "MoU Value (Rs Cr)", "Employment", "District", "Sector",
          "Department", "Date of Signing", "Status", "MoU No."]
WORDS = ("Tanaka Sakura Hokuto Daehan Hanbit Seojin Kansai Minato Nagoya Keller Bergmann Orion Vega Lumen Atlas "
         "Nova Zenith Kestrel Aurora Meridian Helix Quanta Vertex Cobalt Indigo Saffron Banyan Lotus").split()
TAIL = ("Electric", "Motors", "Materials", "Robotics", "Pharma", "Semiconductors", "Batteries", "Textiles", "Foods")
STATUSES = ("Signed", "Land Identified", "land_allotted", "Approvals", "Under Construction", "Commercial Operation",
            "Stalled")
TARGET = 0.5  # an import at no less than half the speed of merely reading the file
DEPARTMENTS = ("Infrastructure & Industrial Development", "MSME", "IT & Electronics", "Food Processing", None)


def make_workbook(path: Path, n: int, seed: int = 11) -> None:
    rnd = random.Random(seed)
    districts = places.districts()
    sectors = [r["name"] for r in sector_rows()]
    investors = [f"{rnd.choice(WORDS)} {rnd.choice(WORDS)} {rnd.choice(TAIL)} {i} Pvt Ltd" for i in range(5000)]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("MoUs")
    ws.append(["MoUs signed at the Global Investors Summit"])
    ws.append([])
    ws.append(HEADER)
    start = dt.datetime(2023, 2, 10)
    for i in range(1, n + 1):
        ws.append([i, f"Project {i} of {rnd.choice(WORDS)}", rnd.choice(investors),
                   round(rnd.lognormvariate(3.5, 1.4), 2), rnd.randint(10, 5000), rnd.choice(districts),
                   rnd.choice(sectors), rnd.choice(DEPARTMENTS), start + dt.timedelta(days=rnd.randint(0, 700)),
                   rnd.choice(STATUSES), f"GIS-2023/{i:06d}"])
    wb.save(path)


def bare_read(path: Path) -> tuple[float, int, float]:
    """(seconds, rows, this process's CPU seconds)."""
    start, cpu = time.perf_counter(), time.process_time()
    wb = load_workbook(path, read_only=True, data_only=True)
    ws = wb.active
    assert ws is not None
    n = sum(1 for _ in ws.iter_rows(values_only=True))
    wb.close()
    return time.perf_counter() - start, n, time.process_time() - cpu


def add_officers(engine: Engine) -> None:
    """Managers and district nodal officers, so that the import assigns every MoU."""
    now = dt.datetime.now(dt.UTC)
    users = [{"email": f"manager{i}@bench.gov", "name": f"Manager {i}", "role": Role.manager, "districts": [],
              "departments": [], "created_at": now, "updated_at": now} for i in range(5)]
    users += [{"email": f"nodal-{d.lower().replace(' ', '-')}@bench.gov", "name": f"Nodal {d}",
               "role": Role.nodal_officer, "districts": [d], "departments": [], "created_at": now, "updated_at": now}
              for d in places.districts()]
    with engine.begin() as conn:
        conn.execute(insert(User), users)


def backend_cpu(pid: int | None) -> float | None:
    """CPU seconds of a PostgreSQL server process so far, when the server runs on this machine (else None)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_import(url: str, path: Path) -> tuple[float, dict[str, float], str, float, float | None]:
    engine = make_engine(url)
    upgrade(engine)
    add_officers(engine)
    seen: dict[str, float] = {}

    def progress(step: str, _done: int, _total: int | None) -> None:
        seen[step] = time.perf_counter()

    server: float | None = None
    start, cpu = time.perf_counter(), time.process_time()
    with transaction(engine) as session:
        pid = session.scalar(text("SELECT pg_backend_pid()")) if engine.dialect.name == "postgresql" else None
        server = backend_cpu(pid)
        report = exchange.import_mous(session, actor=Actor.system("bench"), source=exchange.Source.from_path(path),
                                      progress=progress)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    end = backend_cpu(pid)  # after the commit, the connection back in the pool
    server = None if server is None or end is None else end - server
    # Each step reports until it ends; the next one starts where the previous one last reported. "write" is
    # the MoU rows (with their organizations and look-ups); "rest" their history and parties, audit, commit. On
    # PostgreSQL "write" ends when the last MoU rows are handed to the COPY thread: the server's work on them,
    # and on the rest, shows under "rest".
    phases: dict[str, float] = {}
    before = start
    for step in ("read", "check", "write"):
        if step in seen:
            phases[step] = seen[step] - before
            before = seen[step]
    phases["rest"] = start + seconds - before
    with engine.connect() as conn:
        sizes = {m.__tablename__: conn.scalar(select(func.count()).select_from(m))
                 for m in (Mou, MouStatusChange, Organization)}
    engine.dispose()
    if report.created != sizes["mous"]:
        raise SystemExit(f"imported {report.created} but the table holds {sizes['mous']}")
    return seconds, phases, ", ".join(f"{v} {k}" for k, v in sizes.items()), cpu, server


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--database-url", default=os.environ.get("INVESTDESK_TEST_DATABASE_URL") or None,
                        help="a PostgreSQL server (default: INVESTDESK_TEST_DATABASE_URL); a scratch database is "
                             "created beside the one named and dropped at the end")
    args = parser.parse_args()
    run(args.rows, args.database_url)


def run(rows: int, database_url: str | None) -> None:
    """The whole measurement: the workbook, the bare read, the import into each database."""
    with tempfile.TemporaryDirectory(prefix="investdesk-bench-") as tmp:
        base = Path(tmp)
        path = base / "mous.xlsx"
        start = time.perf_counter()
        make_workbook(path, rows)
        print(f"{rows} MoU rows in {path.name} ({path.stat().st_size / 2**20:.1f} MB, written in "
              f"{time.perf_counter() - start:.1f} s)")
        read_seconds, read_rows, read_cpu = bare_read(path)
        read_rate = rows / read_seconds
        print(f"bare openpyxl read   : {read_rate:9.0f} rows/s  ({read_seconds:.1f} s, CPU {read_cpu:.1f} s, "
              f"{read_rows} rows incl. header)")
        targets: list[tuple[str, str]] = [("SQLite", f"sqlite:///{base / 'bench.db'}")]
        admin: Engine | None = None
        scratch = f"investdesk_bench_{uuid.uuid4().hex[:8]}"
        if database_url:
            # named after the database of the URL too (bench_..._test_x beside test_x), so whose it is shows
            scratch += f"_{make_url(database_url).database or 'postgres'}"
            admin = make_engine(database_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{scratch}"'))
            pg_url = make_url(database_url.replace("postgresql://", "postgresql+psycopg://", 1)).set(
                database=scratch)
            targets.append(("PostgreSQL", pg_url.render_as_string(hide_password=False)))
        try:
            for n, (label, url) in enumerate(targets):
                if n:  # the baseline again, just before this import: a shared machine's load drifts
                    read_seconds, _, read_cpu = bare_read(path)
                    read_rate = rows / read_seconds
                    print(f"bare openpyxl read   : {read_rate:9.0f} rows/s  ({read_seconds:.1f} s, "
                          f"CPU {read_cpu:.1f} s)")
                seconds, phases, sizes, cpu, server = timed_import(url, path)
                rate = rows / seconds
                split = ", ".join(f"{k} {v / seconds:.0%}" for k, v in phases.items())
                served = "" if server is None else f", the server's CPU {server:.1f} s"
                print(f"import ({label:10s}): {rate:9.0f} rows/s  ({seconds:.1f} s, CPU {cpu:.1f} s{served}: {split}; "
                      f"{sizes})")
                ratio = rate / read_rate
                print(f"ratio import/read    : {ratio:.2f} ({'meets' if ratio >= TARGET else 'below'} the "
                      f"{TARGET} target); by this process's CPU time {read_cpu / cpu:.2f}"
                      + (" (the server's work not counted)" if n else "")
                      + ("" if server is None else f"; by both processes' CPU time {read_cpu / (cpu + server):.2f}"))
        finally:
            if admin is not None:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
                admin.dispose()


if __name__ == "__main__":
    main()
