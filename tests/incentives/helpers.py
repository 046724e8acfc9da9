"""Run one policy of the shipped data on a project, without a database."""

from __future__ import annotations

import datetime as dt
from typing import Any

from investdesk.incentives import calculator, loader
from investdesk.incentives.rules import PolicyDoc
from investdesk.incentives.schemas import PolicyResult, ProjectIn

TODAY = dt.date(2026, 12, 1)


def run(policy: str | PolicyDoc, *, sector: str, district: str, as_of: dt.date = TODAY,
        **fields: Any) -> PolicyResult:
    data = loader.policy_data()
    doc = data.policies[policy] if isinstance(policy, str) else policy
    project = ProjectIn(sector=sector, district=district, as_of=as_of, **fields)
    p = calculator.Project(data=project, region=data.district_region[doc.region_map][district], as_of=as_of)
    return calculator.evaluate(doc, p, calculator.Refs(data), sector, "test")


def fig(result: PolicyResult, incentive_id: str) -> Any:
    return next(f for f in result.figures if f.incentive_id == incentive_id)
