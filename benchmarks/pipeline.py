"""Summary reports over 100,000 leads and 50,000 MoUs, against the same aggregate in hand-written SQL.

    .venv/bin/python benchmarks/pipeline.py [--opportunities 100000] [--mous 50000] [--status-updates 1000000]
        [--blockers 20000] [--runs 30] [--database-url URL] [--explain]

Builds the data set with bulk inserts in a fresh SQLite file and, given --database-url, in that PostgreSQL
database (its schema public is dropped and recreated), then times each summary of investdesk.reports.service
and a hand-written SQL string giving the same figures (checked equal once, count and value per key), interleaved,
and prints p50 and p95 in milliseconds and the ratio of the service's p95 to the SQL's. Goal: every summary's p95
under 200 ms and at most 2 times the hand-written SQL's; the script exits 1 when one misses.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from dataset import (
    TAIL,
    WORDS,
    Row,
    insert_rows,
    opportunity_rows,
    organization_rows,
    reset_sequences,
)
from sqlalchemy import Date, DateTime, Engine, TextClause, bindparam, event, text
from sqlalchemy.orm import Session

from investdesk import places
from investdesk.config import get_settings
from investdesk.db import make_engine
from investdesk.migrate import sector_rows, upgrade
from investdesk.models import (
    Blocker,
    Mou,
    MouStatusChange,
    Opportunity,
    OpportunityStageChange,
    Organization,
    User,
)
from investdesk.models.enums import BlockerCategory, EscalationLevel, MouStatus, OpportunityStage, Role
from investdesk.models.mou import mou_parties
from investdesk.models.pipeline import opportunity_sectors
from investdesk.mous import service as mous
from investdesk.permissions import Actor
from investdesk.reports import service as reports
from investdesk.reports.schemas import BlockerDimension, ConversionDimension, PendingDimension, PipelineDimension

P95_GOAL_MS = 200.0
RATIO_GOAL = 2.0
ACTOR = Actor.system("bench")
N_OFFICERS = 20  # lead owners
N_NODAL = 75  # nodal officers, one per district of the shipped list
DEPARTMENTS = ("Infrastructure and Industrial Development", "MSME and Export Promotion", "IT and Electronics",
               "Energy", "Agriculture", "Housing and Urban Planning", "Revenue", "Environment and Forests",
               "Power", "Public Works", "Irrigation", "Labour")
STATUS_WEIGHTS = {MouStatus.signed: 14, MouStatus.land_identified: 12, MouStatus.land_allotted: 11,
                  MouStatus.approvals: 14, MouStatus.construction: 18, MouStatus.commercial_operation: 14,
                  MouStatus.stalled: 11, MouStatus.withdrawn: 6}
MAIN_LINE = (MouStatus.signed, MouStatus.land_identified, MouStatus.land_allotted, MouStatus.approvals,
             MouStatus.construction, MouStatus.commercial_operation)
CATEGORY_WEIGHTS = {BlockerCategory.land: 30, BlockerCategory.clearance: 22, BlockerCategory.right_of_way: 10,
                    BlockerCategory.power: 12, BlockerCategory.water: 8, BlockerCategory.finance: 10,
                    BlockerCategory.other: 8}
FIRST_SIGNING = dt.date(2019, 1, 1)
LAST_SIGNING = dt.date(2026, 12, 31)

Totals = dict[str | None, tuple[Any, ...]]


# --- the data set --------------------------------------------------------------------------------------------


@dataclass
class Built:
    seconds: float
    analyze_seconds: float
    counts: dict[str, int]
    pending: int
    open_blockers: int


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), dt.UTC)


def user_rows(now: dt.datetime, districts: list[str]) -> list[Row]:
    """Lead owners (officers 1..20) and nodal officers (21..95), each of these with one district."""
    rows: list[Row] = [{"id": i, "email": f"officer{i}@invest.gov", "name": f"Officer {i}", "role": Role.officer.value,
                        "districts": [], "departments": [], "is_active": True, "must_change_password": False,
                        "created_at": now, "updated_at": now} for i in range(1, N_OFFICERS + 1)]
    rows += [{"id": N_OFFICERS + 1 + j, "email": f"nodal{j + 1}@invest.gov", "name": f"Nodal officer {j + 1}",
              "role": Role.nodal_officer.value, "districts": [districts[j % len(districts)]], "departments": [],
              "is_active": True, "must_change_password": False, "created_at": now, "updated_at": now}
             for j in range(N_NODAL)]
    return rows


def leads(rnd: random.Random, n: int, *, n_orgs: int, districts: list[str], sectors: list[str],
          now: dt.datetime) -> tuple[list[Row], list[Row], list[Row]]:
    """The web benchmark's leads, then: a second sector for one in five, and a few with no country, district or
    amount, so the summaries' '(not given)' groups and NULL sums are exercised."""
    opps, links, history = opportunity_rows(rnd, n, n_orgs=n_orgs, n_owners=N_OFFICERS, districts=districts,
                                            sectors=sectors, now=now)
    for opp, link in zip(opps, list(links), strict=True):
        if rnd.random() < 0.2:
            links.append({"opportunity_id": opp["id"],
                          "sector_id": rnd.choice([s for s in sectors if s != link["sector_id"]])})
        r = rnd.random()
        if r < 0.02:
            opp["country"] = None
        elif r < 0.04:
            opp["district"] = None
        elif r < 0.05:
            opp.update(amount_value=None, amount_currency=None, amount_unit=None, amount_inr_crore=None,
                       amount_usd_million=None)
    return opps, links, history


def mou_rows(rnd: random.Random, n: int, *, n_opps: int, n_orgs: int, districts: list[str], sectors: list[str],
             now: dt.datetime) -> tuple[list[Row], list[Row]]:
    """MoUs signed from 2019 to today, about 45% of the open ones without an update for over 30 days."""
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    nodal_of = {d: N_OFFICERS + 1 + j for j, d in enumerate(districts[:N_NODAL])}
    last_day = min(LAST_SIGNING, now.date())
    span = (last_day - FIRST_SIGNING).days
    rows: list[Row] = []
    parties: list[Row] = []
    for i in range(1, n + 1):
        signed = FIRST_SIGNING + dt.timedelta(days=rnd.randint(0, span))
        signed_at = _at(signed)
        status = rnd.choices(statuses, weights)[0]
        # 55% updated in the last 30 days, the rest 31 days to 2.5 years ago; never before the signing.
        age = dt.timedelta(days=rnd.uniform(0, 29.5) if rnd.random() < 0.55 else rnd.uniform(31, 900))
        updated = now - age
        if updated <= signed_at:
            updated = signed_at + (now - signed_at) * rnd.random()
        district = rnd.choice(districts) if rnd.random() > 0.02 else None
        r = rnd.random()
        nodal = (nodal_of.get(district or "") if r < 0.88 else
                 rnd.randint(N_OFFICERS + 1, N_OFFICERS + N_NODAL) if r < 0.97 else None)
        value = round(min(20000.0, rnd.lognormvariate(4.5, 1.4)), 1) if rnd.random() > 0.02 else None
        rows.append({"id": i, "reference": f"MOU/{signed.year}/{i:06d}",
                     "title": f"MoU {i} {rnd.choice(WORDS)} {rnd.choice(TAIL)}",
                     "opportunity_id": rnd.randint(1, n_opps) if n_opps and rnd.random() < 0.6 else None,
                     "signed_date": signed if rnd.random() > 0.01 else None, "jobs": rnd.randint(10, 5000),
                     "sector_id": rnd.choice(sectors) if rnd.random() > 0.02 else None, "district": district,
                     "department": rnd.choice(DEPARTMENTS), "nodal_officer_id": nodal, "account_manager_id": None,
                     "assignment_overridden": False, "status": status.value, "status_updated_at": updated,
                     "amount_value": value, "amount_currency": "INR" if value else None,
                     "amount_unit": "crore" if value else None, "amount_inr_crore": value,
                     "amount_usd_million": round(value * 0.12, 2) if value else None,
                     "notes": "", "version": 1, "created_at": signed_at, "updated_at": updated})
        parties.append({"mou_id": i, "organization_id": rnd.randint(1, n_orgs)})
    return rows, parties


def status_change_rows(rnd: random.Random, mou_list: list[Row], total: int) -> Iterator[Row]:
    """``total`` status updates, about total/len(mou_list) an MoU (half to one and a half times that), along the
    main line: the first one dated on the signing, the last one the MoU's status at its last update."""
    n = len(mou_list)
    base, extra = divmod(total, n) if n else (0, 0)
    counts = [base + (1 if i < extra else 0) for i in range(n)]
    for i in range(0, n - 1, 2):  # move some updates between neighbours: the total stays exact
        d = rnd.randint(0, max(0, min(counts[i + 1] - 1, base // 2)))
        counts[i] += d
        counts[i + 1] -= d
    next_id = 1
    for mou, k in zip(mou_list, counts, strict=True):
        if k == 0:
            continue
        final = MouStatus(mou["status"])
        top = MAIN_LINE.index(final) if final in MAIN_LINE else rnd.randint(0, 4)
        start: dt.datetime = mou["created_at"]
        end: dt.datetime = mou["status_updated_at"]
        fractions = sorted(rnd.random() for _ in range(k - 1))
        previous: str | None = None
        for j in range(k):
            to = final.value if j == k - 1 else MAIN_LINE[j * (top + 1) // k].value
            yield {"id": next_id, "mou_id": mou["id"], "from_status": previous, "to_status": to,
                   "note": None if j % 3 else "Reviewed with the investor",
                   "changed_at": end if j == k - 1 else start if j == 0 else start + (end - start) * fractions[j],
                   "changed_by_id": mou["nodal_officer_id"]}
            previous = to
            next_id += 1


def blocker_rows(rnd: random.Random, n: int, *, n_mous: int, now: dt.datetime) -> list[Row]:
    """Blockers raised over the last two years (more of them recent), about 60% still open."""
    today = now.date()
    categories, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    levels = list(EscalationLevel)
    rows: list[Row] = []
    for i in range(1, n + 1):
        age = int(rnd.triangular(0, 730, 0))
        raised = today - dt.timedelta(days=age)
        resolved = raised + dt.timedelta(days=rnd.randint(0, age)) if rnd.random() < 0.4 else None
        level = levels[0] if age < 30 else rnd.choices(levels, (45, 38, 17))[0]
        category = rnd.choices(categories, weights)[0]
        rows.append({"id": i, "mou_id": rnd.randint(1, n_mous), "category": category.value,
                     "department": rnd.choice(DEPARTMENTS) if rnd.random() > 0.04 else None,
                     "description": f"{category.value.replace('_', ' ')} issue {i}", "raised_on": raised,
                     "resolved_on": resolved, "escalation_level": level.value,
                     "escalated_on": raised + dt.timedelta(days=30) if level is not levels[0] else None,
                     "notes": "", "created_at": _at(raised), "updated_at": now})
    return rows


def build(engine: Engine, *, n_opps: int, n_mous: int, n_updates: int, n_blockers: int, seed: int = 11) -> Built:
    """The data set, with bulk inserts (COPY on PostgreSQL) in one transaction, then ANALYZE."""
    t0 = time.perf_counter()
    rnd = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    districts = places.districts()
    sectors = [r["id"] for r in sector_rows()]
    n_orgs = max(50, n_opps // 50)
    users = user_rows(now, districts)
    orgs = organization_rows(rnd, n_orgs, now)
    opps, links, history = leads(rnd, n_opps, n_orgs=n_orgs, districts=districts, sectors=sectors, now=now)
    mou_list, parties = mou_rows(rnd, n_mous, n_opps=n_opps, n_orgs=n_orgs, districts=districts, sectors=sectors,
                                 now=now)
    blockers = blocker_rows(rnd, n_blockers, n_mous=n_mous, now=now) if n_mous else []
    cutoff = mous.pending_cutoff(now)
    closed = {s.value for s in mous.CLOSED}
    pending = sum(1 for m in mou_list if m["status"] not in closed and m["status_updated_at"] < cutoff)
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        for model, rows in ((User, users), (Organization, orgs), (Opportunity, opps), (opportunity_sectors, links),
                            (OpportunityStageChange, history), (Mou, mou_list), (mou_parties, parties),
                            (MouStatusChange, status_change_rows(rnd, mou_list, n_updates)), (Blocker, blockers)):
            counts[getattr(model, "__tablename__", None) or model.name] = insert_rows(conn, model, rows, size=10_000,
                                                                                     copy=True)
        reset_sequences(conn)
    seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    if engine.dialect.name == "postgresql":  # VACUUM sets the visibility map (index-only scans), as autovacuum would
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return Built(seconds=seconds, analyze_seconds=time.perf_counter() - t1, counts=counts, pending=pending,
                 open_blockers=sum(1 for b in blockers if b["resolved_on"] is None))


# --- the summaries and their hand-written SQL ------------------------------------------------------------------


def _quoted(values: Sequence[Any]) -> str:
    return ", ".join(f"'{v.value if hasattr(v, 'value') else v}'" for v in values)


CLOSED_SQL = _quoted(mous.CLOSED)
GROUNDED_SQL = _quoted(reports.GROUNDED)
DROPPED = OpportunityStage.dropped.value


@dataclass
class Summary:
    name: str
    service: Callable[[Session, dt.datetime], Any]
    service_totals: Callable[[Any], Totals]
    sql: Callable[[str], TextClause]
    params: Callable[[dt.datetime], dict[str, Any]] = field(default=lambda now: {})
    sql_totals: Callable[[Sequence[Any]], Totals] = field(default=lambda rows: {r[0]: tuple(r[1:]) for r in rows})


def _plain(rows: Any) -> Totals:
    return {r.key: (r.count, r.value_inr_crore) for r in rows}


def _pipeline_service(rows: Any) -> Totals:
    return {r.key: (r.count, r.value_inr_crore, tuple(sorted((s.value, n) for s, n in r.stages.items())))
            for r in rows}


def _pipeline_sql(rows: Sequence[Any]) -> Totals:
    groups: dict[str | None, list[Any]] = {}
    for key, stage, n, value in rows:
        g = groups.setdefault(key, [0, 0.0, []])
        g[0] += n
        g[1] += float(value)
        g[2].append((stage, n))
    return {k: (n, v, tuple(sorted(stages))) for k, (n, v, stages) in groups.items()}


def _conversion_service(rows: Any) -> Totals:
    return {r.key: (r.signed, r.grounded, r.value_signed_inr_crore, r.value_grounded_inr_crore) for r in rows}


def _conversion_sql(rows: Sequence[Any]) -> Totals:
    return {None if k is None else str(int(k)) if not isinstance(k, str) else k: (s, g, float(v), float(vg))
            for k, s, g, v, vg in rows}


def _pending_params(now: dt.datetime) -> dict[str, Any]:
    return {"cutoff": mous.pending_cutoff(now)}


def _age_params(now: dt.datetime) -> dict[str, Any]:
    today = now.date()
    return {f"d{limit}": today - dt.timedelta(days=limit) for limit, _ in reports.AGE_BANDS if limit is not None}


def _text(sql: str, **types: Any) -> TextClause:
    return text(sql).bindparams(*(bindparam(name, type_=t) for name, t in types.items()))


def _pipeline_sql_text(key: str) -> Callable[[str], TextClause]:
    if key == "sector":
        sql = ("SELECT os.sector_id, o.stage, COUNT(*), COALESCE(SUM(o.amount_inr_crore), 0) "
               "FROM opportunity_sectors os JOIN opportunities o ON o.id = os.opportunity_id "
               f"WHERE o.stage <> '{DROPPED}' GROUP BY os.sector_id, o.stage")
    else:
        sql = (f"SELECT {key}, stage, COUNT(*), COALESCE(SUM(amount_inr_crore), 0) FROM opportunities "
               f"WHERE stage <> '{DROPPED}' GROUP BY {key}, stage")
    return lambda dialect: text(sql)


def _pending_sql_text(by: PendingDimension) -> Callable[[str], TextClause]:
    if by is PendingDimension.district:
        sql = ("SELECT district, COUNT(*), COALESCE(SUM(amount_inr_crore), 0) FROM mous "
               f"WHERE status NOT IN ({CLOSED_SQL}) AND status_updated_at < :cutoff "
               "GROUP BY district ORDER BY 2 DESC, 3 DESC")
    else:
        sql = ("SELECT u.email, COUNT(*), COALESCE(SUM(m.amount_inr_crore), 0) FROM mous m "
               "LEFT JOIN users u ON u.id = m.nodal_officer_id "
               f"WHERE m.status NOT IN ({CLOSED_SQL}) AND m.status_updated_at < :cutoff "
               "GROUP BY u.email ORDER BY 2 DESC, 3 DESC")
    return lambda dialect: _text(sql, cutoff=DateTime(timezone=True))


def _blocker_sql_text(by: BlockerDimension) -> Callable[[str], TextClause]:
    if by is BlockerDimension.age:
        bands = [(limit, label) for limit, label in reports.AGE_BANDS if limit is not None]
        key = ("CASE " + " ".join(f"WHEN b.raised_on >= :d{limit} THEN '{label}'" for limit, label in bands)
               + f" ELSE '{reports.AGE_BANDS[-1][1]}' END")
        types = {f"d{limit}": Date() for limit, _ in bands}
    else:
        key = {BlockerDimension.category: "b.category", BlockerDimension.department: "b.department",
               BlockerDimension.level: "b.escalation_level"}[by]
        types = {}
    sql = (f"SELECT {key}, COUNT(*), COALESCE(SUM(m.amount_inr_crore), 0) FROM blockers b "
           "JOIN mous m ON m.id = b.mou_id WHERE b.resolved_on IS NULL GROUP BY 1")
    return lambda dialect: _text(sql, **types)


def _conversion_sql_text(by: ConversionDimension) -> Callable[[str], TextClause]:
    def make(dialect: str) -> TextClause:
        if by is ConversionDimension.sector:
            key = "sector_id"
        else:
            key = "CAST(STRFTIME('%Y', signed_date) AS INTEGER)" if dialect == "sqlite" else \
                "EXTRACT(YEAR FROM signed_date)"
        return text(f"SELECT {key}, COUNT(*), COUNT(*) FILTER (WHERE status IN ({GROUNDED_SQL})), "
                    "COALESCE(SUM(amount_inr_crore), 0), "
                    f"COALESCE(SUM(amount_inr_crore) FILTER (WHERE status IN ({GROUNDED_SQL})), 0) "
                    "FROM mous GROUP BY 1 ORDER BY 1")
    return make


SUMMARIES: list[Summary] = [
    Summary("funnel", lambda s, now: reports.funnel(s, actor=ACTOR),
            lambda rows: {r.stage.value: (r.count, r.value_inr_crore) for r in rows if r.count},
            lambda dialect: text("SELECT stage, COUNT(*), COALESCE(SUM(amount_inr_crore), 0) FROM opportunities "
                                 "GROUP BY stage")),
    *[Summary(f"pipeline_by {by.value}", lambda s, now, by=by: reports.pipeline_by(s, actor=ACTOR, by=by),
              _pipeline_service, _pipeline_sql_text(by.value), sql_totals=_pipeline_sql)
      for by in PipelineDimension],
    *[Summary(f"pending_mous_by {by.value}",
              lambda s, now, by=by: reports.pending_mous_by(s, actor=ACTOR, by=by, now=now),
              _plain, _pending_sql_text(by), params=_pending_params)
      for by in PendingDimension],
    *[Summary(f"open_blockers_by {by.value}",
              lambda s, now, by=by: reports.open_blockers_by(s, actor=ACTOR, by=by, today=now.date()),
              lambda rows: {r.key: (r.count, r.value_inr_crore) for r in rows if r.count}, _blocker_sql_text(by),
              params=_age_params if by is BlockerDimension.age else lambda now: {})
      for by in BlockerDimension],
    *[Summary(f"conversion by {by.value}", lambda s, now, by=by: reports.conversion(s, actor=ACTOR, by=by),
              _conversion_service, _conversion_sql_text(by), sql_totals=_conversion_sql)
      for by in ConversionDimension],
]


# --- checking and timing ---------------------------------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)
    return bool(a == b)


def check(engine: Engine, summary: Summary, now: dt.datetime) -> int:
    """The service's figures equal the SQL's, key by key; the number of groups. Exits the script when not."""
    with Session(engine) as session:
        service = summary.service_totals(summary.service(session, now))
        sql = summary.sql_totals(session.execute(summary.sql(engine.dialect.name), summary.params(now)).all())
    sql = {k: tuple(float(x) if isinstance(x, Decimal) else x for x in v) for k, v in sql.items()}
    wrong = [(k, service.get(k), sql.get(k)) for k in sorted(set(service) | set(sql), key=str)
             if k not in service or k not in sql or not _same(service[k], sql[k])]
    if wrong:
        lines = "\n".join(f"  {k!r}: service {s!r}, SQL {q!r}" for k, s, q in wrong[:20])
        raise SystemExit(f"{summary.name} on {engine.dialect.name}: the service and the hand-written SQL disagree "
                         f"on {len(wrong)} of {len(set(service) | set(sql))} keys:\n{lines}")
    return len(service)


def measure(engine: Engine, summary: Summary, runs: int, now: dt.datetime) -> tuple[list[float], list[float]]:
    """Service and SQL times in ms, interleaved (alternating which goes first) after two warm-ups of each."""
    stmt = summary.sql(engine.dialect.name)
    params = summary.params(now)

    def service_once() -> float:
        with Session(engine) as session:
            start = time.perf_counter()
            summary.service(session, now)
            return (time.perf_counter() - start) * 1000

    def sql_once() -> float:
        with Session(engine) as session:
            start = time.perf_counter()
            session.execute(stmt, params).all()
            return (time.perf_counter() - start) * 1000

    for _ in range(2):
        service_once()
        sql_once()
    service_ms: list[float] = []
    sql_ms: list[float] = []
    for i in range(runs):
        if i % 2:
            sql_ms.append(sql_once())
            service_ms.append(service_once())
        else:
            service_ms.append(service_once())
            sql_ms.append(sql_once())
    return service_ms, sql_ms


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


def explain(engine: Engine, summary: Summary, now: dt.datetime) -> None:
    """The plans of the statements the service runs, and of the hand-written SQL."""
    captured: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if not statement.lstrip().upper().startswith("EXPLAIN"):
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        with Session(engine) as session:
            summary.service(session, now)
            session.execute(summary.sql(engine.dialect.name), summary.params(now)).all()
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    labels = ["service"] * (len(captured) - 1) + ["hand-written SQL"]
    with engine.connect() as conn:
        for label, (statement, parameters) in zip(labels, captured, strict=True):
            print(f"\n-- {summary.name}, {label} ({engine.dialect.name}):\n{statement}\n-- parameters: {parameters!r}")
            depth: dict[int, int] = {0: 0}
            for row in conn.exec_driver_sql(prefix + statement, parameters):
                if engine.dialect.name == "sqlite":  # (id, parent, notused, detail): indent under the parent
                    depth[row[0]] = depth.get(row[1], 0) + 1
                    print("   " + "  " * depth[row[0]] + row[-1])
                else:
                    print("   " + row[0])


def run_backend(engine: Engine, args: argparse.Namespace) -> list[str]:
    """Build, check and time every summary on one database; the names of the summaries that miss a goal."""
    upgrade(engine)
    built = build(engine, n_opps=args.opportunities, n_mous=args.mous, n_updates=args.status_updates,
                  n_blockers=args.blockers)
    c = built.counts
    print(f"data set on {engine.dialect.name}: {c['opportunities']:,} opportunities "
          f"({c['opportunity_sectors']:,} sector links, {c['opportunity_stage_changes']:,} stage changes), "
          f"{c['mous']:,} MoUs ({built.pending / max(1, c['mous']):.0%} pending), "
          f"{c['mou_status_changes']:,} status changes, {c['blockers']:,} blockers "
          f"({built.open_blockers / max(1, c['blockers']):.0%} open), {c['users']:,} users")
    print(f"generated and written in {built.seconds:.1f} s, "
          f"{'VACUUM ANALYZE' if engine.dialect.name == 'postgresql' else 'ANALYZE'} {built.analyze_seconds:.1f} s")
    now = dt.datetime.now(dt.UTC)
    print(f"{'summary':28} {'groups':>6} {'svc p50':>8} {'svc p95':>8} {'sql p50':>8} {'sql p95':>8} "
          f"{'p95 ratio':>9}  goal (p95 < {P95_GOAL_MS:.0f} ms, ratio <= {RATIO_GOAL:.0f})")
    missed: list[str] = []
    for summary in SUMMARIES:
        groups = check(engine, summary, now)
        service_ms, sql_ms = measure(engine, summary, args.runs, now)
        s50, s95, q50, q95 = pct(service_ms, 50), pct(service_ms, 95), pct(sql_ms, 50), pct(sql_ms, 95)
        ratio = s95 / q95 if q95 else math.inf
        why = [w for w, bad in ((f"p95 over {P95_GOAL_MS:.0f} ms", s95 >= P95_GOAL_MS),
                                (f"over {RATIO_GOAL:.0f}x SQL", ratio > RATIO_GOAL)) if bad]
        if why:
            missed.append(summary.name)
        print(f"{summary.name:28} {groups:6} {s50:8.1f} {s95:8.1f} {q50:8.1f} {q95:8.1f} {ratio:9.2f}  "
              + ("MISS: " + ", ".join(why) if why else "PASS"), flush=True)
    print(f"{engine.dialect.name}: {len(SUMMARIES) - len(missed)} of {len(SUMMARIES)} summaries meet the goals")
    if args.explain or missed:
        for summary in SUMMARIES:
            if args.explain or summary.name in missed:
                explain(engine, summary, now)
    return missed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--opportunities", type=int, default=100_000)
    ap.add_argument("--mous", type=int, default=50_000)
    ap.add_argument("--status-updates", type=int, default=1_000_000)
    ap.add_argument("--blockers", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--database-url", default=None,
                    help="A PostgreSQL database to run on as well; its schema public is dropped and recreated.")
    ap.add_argument("--explain", action="store_true", help="Print every summary's plans, not only the misses'.")
    ap.add_argument("--import-rows", type=int, default=50_000,
                    help="Rows of the MoU workbook imported at the end (benchmarks/exchange.py); 0 skips it.")
    args = ap.parse_args()
    if args.mous < 1 or args.runs < 1:
        ap.error("--mous and --runs must be at least 1")
    print(f"pending after {get_settings().pending_after_days} days without a status update; "
          f"{args.runs} runs of each summary after 2 warm-ups; {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f} (other processes inflate p95)")
    missed: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="investdesk-pipeline-bench-"))
    try:
        engine = make_engine(f"sqlite:///{tmp / 'bench.db'}")
        missed += [f"sqlite: {m}" for m in run_backend(engine, args)]
        engine.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.database_url:
        engine = make_engine(args.database_url)
        print(f"\ndropping and recreating schema public in {engine.url.render_as_string(hide_password=True)}")
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        missed += [f"postgresql: {m}" for m in run_backend(engine, args)]
        engine.dispose()
    if args.import_rows:
        import exchange  # benchmarks/exchange.py, beside this script

        print(f"\nimport of a {args.import_rows:,}-row MoU workbook (benchmarks/exchange.py)")
        exchange.run(args.import_rows, args.database_url)
    print("\nall summaries meet the goals" if not missed else "\nmissed: " + "; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
