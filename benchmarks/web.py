"""Server time of every page over 100,000 opportunities, against a bare /health in the same run.

    .venv/bin/python benchmarks/web.py [--opportunities 100000] [--runs 30] [--database-url URL [--reuse]]

Builds the data set with bulk inserts (a fresh SQLite file by default; an empty PostgreSQL database by URL),
then requests each page through the ASGI app in this process (no network in the figure) and prints p50 and p95
in milliseconds, the CPU milliseconds per request, and the ratio of each page's p95 to /health's (timing.py).
Goal: p95 under 300 ms for every page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from dataset import COUNTRIES, TAIL, WORDS, insert_rows, opportunity_rows, organization_rows, reset_sequences
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from timing import Timings, measure

from investdesk import places
from investdesk.config import Settings
from investdesk.db import make_engine
from investdesk.migrate import sector_rows, upgrade
from investdesk.models import (
    Document,
    Engagement,
    Mission,
    Mou,
    MouStatusChange,
    Opportunity,
    OpportunityStageChange,
    Organization,
    Person,
    User,
)
from investdesk.models.engagement import engagement_counterparts
from investdesk.models.enums import MouStatus, Role
from investdesk.models.mou import mou_parties
from investdesk.models.pipeline import opportunity_sectors
from investdesk.permissions import Actor
from investdesk.search.index import rebuild
from investdesk.web.app import create_app
from investdesk.web.deps import get_actor


def build(engine: Engine, n_opps: int, seed: int = 7) -> None:
    """The data set, with bulk inserts in one transaction: orgs, people, missions, meetings, leads, MoUs."""
    rnd = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    districts = places.districts()
    sectors = [r["id"] for r in sector_rows()]
    n_orgs, n_people, n_eng, n_mous = max(50, n_opps // 50), max(50, n_opps // 20), max(100, n_opps // 5), n_opps // 10
    orgs = organization_rows(rnd, n_orgs, now)
    users = [{"id": i, "email": f"user{i}@invest.gov", "name": f"Officer {i}", "role": Role.officer.value,
              "districts": [], "departments": [], "is_active": True, "must_change_password": False,
              "created_at": now, "updated_at": now} for i in range(1, 21)]
    people = [{"id": i, "name": f"Person {i}", "normalized_name": f"person {i}", "titles": ["Director"],
               "organization_id": rnd.randint(1, n_orgs), "side": "counterpart", "notes": "", "version": 1,
               "created_at": now, "updated_at": now} for i in range(1, n_people + 1)]
    missions = [{"id": i, "name": f"Delegation {i}", "countries": [rnd.choice(COUNTRIES)], "cities": ["Osaka", "Tokyo"],
                 "start_date": dt.date(2024, 1, 1) + dt.timedelta(days=i * 7), "notes": "", "version": 1,
                 "created_at": now, "updated_at": now} for i in range(1, 101)]
    engs = [{"id": i, "mission_id": rnd.randint(1, 100), "title": f"Meeting {i}", "country": rnd.choice(COUNTRIES),
             "city": "Tokyo", "date": dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randint(0, 700)), "topics": [],
             "summary": "", "version": 1, "created_at": now, "updated_at": now} for i in range(1, n_eng + 1)]
    eng_orgs = [{"engagement_id": e["id"], "organization_id": rnd.randint(1, n_orgs)} for e in engs]
    opps, opp_sectors, history = opportunity_rows(rnd, n_opps, n_orgs=n_orgs, n_owners=20, districts=districts,
                                                  sectors=sectors, now=now)
    mous, parties, mou_history = [], [], []
    for i in range(1, n_mous + 1):
        status = rnd.choice(list(MouStatus))
        value = round(rnd.uniform(5, 3000), 1)
        mous.append({"id": i, "title": f"MoU {i} {rnd.choice(WORDS)} {rnd.choice(TAIL)}", "opportunity_id": i * 10,
                     "signed_date": dt.date(2023, 1, 1) + dt.timedelta(days=rnd.randint(0, 900)),
                     "jobs": rnd.randint(10, 5000), "sector_id": rnd.choice(sectors), "district": rnd.choice(districts),
                     "department": "Industrial Development", "nodal_officer_id": rnd.randint(1, 20),
                     "assignment_overridden": False, "status": status.value,
                     "status_updated_at": now - dt.timedelta(days=rnd.randint(0, 200)),
                     "amount_value": value, "amount_currency": "INR", "amount_unit": "crore",
                     "amount_inr_crore": value, "notes": "", "version": 1, "created_at": now, "updated_at": now})
        parties.append({"mou_id": i, "organization_id": rnd.randint(1, n_orgs)})
        mou_history.append({"mou_id": i, "from_status": None, "to_status": status.value, "changed_at": now})
    docs = [{"id": i, "sha256": f"{i:064x}", "filename": f"report-{i}.txt", "media_type": "text/plain", "size": 2048,
             "title": f"Trip report {i}", "text": "A delegation met investors. " * 50, "review_state": "pending",
             "ingested_at": now - dt.timedelta(hours=i)} for i in range(1, 501)]
    with engine.begin() as conn:
        for table, rows in ((User, users), (Organization, orgs), (Person, people), (Mission, missions),
                            (Document, docs), (Engagement, engs), (engagement_counterparts, eng_orgs),
                            (Opportunity, opps), (opportunity_sectors, opp_sectors),
                            (OpportunityStageChange, history), (Mou, mous), (mou_parties, parties),
                            (MouStatusChange, mou_history)):
            insert_rows(conn, table, rows)
        reset_sequences(conn)
        # Bulk inserts pass by the ORM's flush, which keeps the search index: write it once here.
        rebuild(conn)
        if engine.dialect.name != "postgresql":
            conn.execute(text("ANALYZE"))
    if engine.dialect.name == "postgresql":  # VACUUM sets the visibility map (index-only scans), as autovacuum would
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--opportunities", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--database-url", default=None, help="An empty PostgreSQL database (default: a SQLite file).")
    ap.add_argument("--reuse", action="store_true",
                    help="The database at --database-url holds this data set from an earlier run: measure only.")
    args = ap.parse_args()
    if args.reuse and not args.database_url:
        ap.error("--reuse needs --database-url")
    tmp = Path(tempfile.mkdtemp(prefix="investdesk-web-bench-"))
    engine = make_engine(args.database_url or f"sqlite:///{tmp / 'bench.db'}")
    upgrade(engine)
    if args.reuse:
        print(f"data set: reused on {engine.dialect.name}")
    else:
        t0 = time.perf_counter()
        build(engine, args.opportunities)
        print(f"data set: {args.opportunities:,} opportunities on {engine.dialect.name}, "
              f"built in {time.perf_counter() - t0:.1f} s")
    # No periodic jobs in the measurement; the app's start-up (lifespan) runs as in a server.
    app = create_app(Settings(data_dir=tmp, scheduler=False), engine=engine)
    app.dependency_overrides[get_actor] = lambda: Actor(id=1, label="Officer 1", role=Role.admin)
    with TestClient(app) as client:  # start-up and shut-down run, as in a server
        pages = ["/", "/organizations", "/organizations?q=tanaka&sort=-country", "/organizations/7", "/people",
                 "/people/7", "/missions", "/missions/3", "/engagements", "/engagements?country=JP&sort=title",
                 "/engagements/5", "/documents", "/documents/3",
                 "/opportunities", "/opportunities?sort=-amount", "/opportunities?q=robotics&stage=engaged",
                 "/opportunities?district=Jhansi&page=20", "/opportunities/board", "/opportunities/77", "/mous",
                 "/mous?sort=-amount&status=stalled", "/mous/pending", "/mous/9", "/mous/9/edit",
                 "/opportunities/77/edit", "/followups?who=", "/reports", "/reports?by=district&blockers=category",
                 "/search?q=tanaka", "/search?q=rare+earth", "/search?q=Jhansi", "/search/suggest?q=hokuto"]
        timings = Timings(client, args.runs, goal_ms=300)
        for url in pages:
            timings.row(url)
        timings.close()
        print(f"slowest page p95: {timings.worst:.1f} ms (goal: under 300 ms)")
        exports = (("/opportunities?format=csv", args.opportunities), ("/mous?format=csv", args.opportunities // 10))
        for url, rows in exports:
            times, _cpu = measure(client, url, 3)
            print(f"export {url}: {rows:,} rows in {statistics.median(times) / 1000:.2f} s "
                  f"({statistics.median(times) * 1000 / max(rows, 1):.1f} µs a row)")
    engine.dispose()
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if timings.missed else 0


if __name__ == "__main__":
    sys.exit(main())
