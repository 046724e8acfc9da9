"""Daily digests for 2,000 users over 100,000 leads and 50,000 MoUs, and the bell's unread count.

    .venv/bin/python benchmarks/notifications.py [--users 2000] [--opportunities 100000] [--mous 50000]
        [--followups 40000] [--blockers 10000] [--notifications 400000] [--runs 300] [--database-url URL]

Builds the data set with bulk inserts in a fresh SQLite file and, given --database-url, in that PostgreSQL
database (its schema public is dropped and recreated). Then, on each database:
- writes every user's digest to the outbox, as the ``digests`` job does (the queries, the rendering of both
  parts, the outbox rows, one transaction), and times it: goal under 60 s;
- times the bell's count (``notifications.service.unread_count``) for random users, and the same count in
  hand-written SQL on the same connection as the baseline: goal p95 under 20 ms.
Prints the figures and their ratio to the goals; exits 1 when one misses.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from dataset import insert_rows, opportunity_rows, organization_rows, reset_sequences
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from investdesk import places
from investdesk.config import get_settings
from investdesk.db import make_engine
from investdesk.migrate import sector_rows, upgrade
from investdesk.models import Blocker, FollowUp, Mou, Notification, Opportunity, Organization, OutboxMessage, User
from investdesk.models.enums import BlockerCategory, EscalationLevel, MouStatus, Role
from investdesk.models.pipeline import opportunity_sectors
from investdesk.notifications import digest
from investdesk.notifications import service as notifications
from investdesk.permissions import Actor

DIGEST_GOAL_S = 60.0
BELL_P95_GOAL_MS = 20.0
NOW = dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC)  # 08:30 in Asia/Kolkata
TODAY = dt.date(2026, 6, 15)
ROLES = [Role.officer] * 60 + [Role.nodal_officer] * 25 + [Role.manager] * 12 + [Role.admin] * 3
DEPARTMENTS = ("Revenue", "Energy", "Power", "Public Works", "Irrigation", "Labour", "MSME and Export Promotion")


def build(engine: Engine, args: argparse.Namespace, seed: int = 7) -> None:
    rnd = random.Random(seed)
    districts = sorted(places.districts())
    sectors = [r["id"] for r in sector_rows()]
    n_orgs = 5000
    users = [{"id": i, "email": f"user{i}@agency.test", "name": f"Officer {i}", "role": rnd.choice(ROLES).value,
              "districts": [rnd.choice(districts)], "departments": [rnd.choice(DEPARTMENTS)], "is_active": True,
              "must_change_password": False, "created_at": NOW, "updated_at": NOW}
             for i in range(1, args.users + 1)]
    orgs = organization_rows(rnd, n_orgs, NOW)
    opps, links, _history = opportunity_rows(rnd, args.opportunities, n_orgs=n_orgs, n_owners=args.users,
                                             districts=districts, sectors=sectors, now=NOW)
    for o in opps:  # next actions around today, as a live pipeline has them
        o["next_action_due"] = TODAY + dt.timedelta(days=rnd.randint(-60, 120))
        o["next_action"] = "Call back"
    for o in rnd.sample(opps, args.opportunities // 20):  # 5% are enquiries
        o.update(is_enquiry=True, received_at=NOW - dt.timedelta(days=rnd.randint(0, 10)),
                 first_response_due=NOW + dt.timedelta(hours=rnd.randint(-200, 200)))
    statuses = list(MouStatus)
    mous = [{"id": i, "title": f"MoU {i} for {rnd.choice(districts)}", "district": rnd.choice(districts),
             "department": rnd.choice(DEPARTMENTS), "nodal_officer_id": rnd.randint(1, args.users),
             "account_manager_id": rnd.randint(1, args.users) if rnd.random() < 0.2 else None,
             "assignment_overridden": False, "status": rnd.choice(statuses).value,
             "status_updated_at": NOW - dt.timedelta(days=rnd.randint(0, 400)), "notes": "", "version": 1,
             "created_at": NOW, "updated_at": NOW} for i in range(1, args.mous + 1)]
    followups = [{"id": i, "entity_type": "opportunity", "entity_id": rnd.randint(1, args.opportunities),
                  "title": f"Follow up {i}", "owner_id": rnd.randint(1, args.users),
                  "due_date": TODAY + dt.timedelta(days=rnd.randint(-30, 60)),
                  "done_at": NOW if rnd.random() < 0.4 else None, "notes": "", "created_at": NOW, "updated_at": NOW}
                 for i in range(1, args.followups + 1)]
    blockers = [{"id": i, "mou_id": rnd.randint(1, args.mous), "category": rnd.choice(list(BlockerCategory)).value,
                 "department": rnd.choice(DEPARTMENTS), "description": "", "raised_on": TODAY - dt.timedelta(
                     days=rnd.randint(0, 120)), "resolved_on": None if rnd.random() < 0.6 else TODAY,
                 "escalation_level": rnd.choice(list(EscalationLevel)).value, "notes": "", "created_at": NOW,
                 "updated_at": NOW} for i in range(1, args.blockers + 1)]
    notes = [{"id": i, "user_id": rnd.randint(1, args.users), "kind": "mou_pending", "title": f"MoU {i} pending",
              "url": f"/mous/{i}", "dedupe_key": f"bench:{i}", "created_at": NOW,
              "read_at": NOW if rnd.random() < 0.7 else None} for i in range(1, args.notifications + 1)]
    copy = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        for model, rows in ((User, users), (Organization, orgs), (Opportunity, opps), (opportunity_sectors, links),
                            (Mou, mous), (FollowUp, followups), (Blocker, blockers), (Notification, notes)):
            insert_rows(conn, model, rows, copy=copy)
        reset_sequences(conn)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
        else:
            conn.exec_driver_sql("ANALYZE")


def time_digests(engine: Engine) -> tuple[float, float, int]:
    """Wall-clock and this process's CPU seconds of one digest run (the CPU figure hardly depends on what else
    the machine does; on SQLite it is nearly all of the work), and the digests written."""
    start, cpu = time.perf_counter(), time.process_time()
    with Session(engine) as session, session.begin():
        written, _empty = digest.send_digests(session, now=NOW, today=TODAY, local_time="23:59")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == written
    return elapsed, cpu, written


def time_bell(engine: Engine, n_users: int, runs: int) -> tuple[list[float], list[float]]:
    rnd = random.Random(3)
    ours: list[float] = []
    base: list[float] = []
    sql = text("SELECT count(*) FROM notifications WHERE user_id = :u AND read_at IS NULL")
    with Session(engine) as session:
        for _ in range(runs):
            uid = rnd.randint(1, n_users)
            actor = Actor(id=uid, label="bench", role=Role.officer)
            # Each count in a transaction of its own, as a request makes it (the connection taken from the pool
            # included), so the baseline pays what the service pays.
            t0 = time.perf_counter()
            count = notifications.unread_count(session, actor=actor)
            t1 = time.perf_counter()
            session.rollback()
            t2 = time.perf_counter()
            expected = session.execute(sql, {"u": uid}).scalar_one()
            t3 = time.perf_counter()
            session.rollback()
            assert count == expected
            ours.append((t1 - t0) * 1000)
            base.append((t3 - t2) * 1000)
    return ours, base


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def run(engine: Engine, label: str, args: argparse.Namespace) -> bool:
    t0 = time.perf_counter()
    upgrade(engine)
    build(engine, args)
    print(f"{label}: built {args.users:,} users, {args.opportunities:,} leads, {args.mous:,} MoUs, "
          f"{args.followups:,} follow-ups, {args.blockers:,} blockers, {args.notifications:,} notifications "
          f"in {time.perf_counter() - t0:.1f} s")
    elapsed, cpu, written = time_digests(engine)
    print(f"{label}: digests of {args.users:,} users ({written:,} with something to say) written in {elapsed:.1f} s "
          f"({cpu:.1f} s of CPU in this process); goal {DIGEST_GOAL_S:.0f} s, ratio {elapsed / DIGEST_GOAL_S:.2f}")
    ours, base = time_bell(engine, args.users, args.runs)
    print(f"{label}: bell unread count p50 {statistics.median(ours):.2f} ms, p95 {p95(ours):.2f} ms "
          f"(hand-written SQL p95 {p95(base):.2f} ms, ratio {p95(ours) / p95(base):.2f}); "
          f"goal {BELL_P95_GOAL_MS:.0f} ms, ratio {p95(ours) / BELL_P95_GOAL_MS:.2f}")
    return elapsed < DIGEST_GOAL_S and p95(ours) < BELL_P95_GOAL_MS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--mous", type=int, default=50_000)
    parser.add_argument("--followups", type=int, default=40_000)
    parser.add_argument("--blockers", type=int, default=10_000)
    parser.add_argument("--notifications", type=int, default=400_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        get_settings.cache_clear()
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        ok = run(engine, "sqlite", args) and ok
        engine.dispose()
    if args.database_url:
        engine = make_engine(args.database_url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        ok = run(engine, "postgresql", args) and ok
        engine.dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
