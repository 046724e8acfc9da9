"""The home page's charts, drawn from the reports service's figures."""

from __future__ import annotations

from typing import Any

from investdesk.followups.schemas import AgendaItem
from investdesk.reports.schemas import FunnelRow, GroupTotal
from investdesk.web.routes.formatting import country, label, record_url


def funnel_chart(rows: list[FunnelRow]) -> dict[str, Any]:
    """Leads that reached each stage (those now at it or further along the main line)."""
    main = [r for r in rows if r.reached is not None]
    return {"kind": "funnel", "labels": [label(r.stage) for r in main], "values": [r.reached for r in main],
            "now": [r.count for r in main], "links": [f"/opportunities?stage={r.stage.value}" for r in main]}


def sector_chart(rows: list[GroupTotal]) -> dict[str, Any]:
    """Value of open and signed leads by sector (INR crore), largest at the top of a horizontal bar chart."""
    rows = list(reversed(rows))
    return {"kind": "hbar", "labels": [r.label for r in rows], "values": [r.value_inr_crore for r in rows],
            "links": [f"/opportunities?sector={r.key}" for r in rows], "unit": "INR crore"}


def country_chart(rows: list[GroupTotal]) -> dict[str, Any]:
    return {"kind": "bar", "labels": [country(r.key) for r in rows], "values": [r.count for r in rows],
            "links": [f"/organizations?country={r.key}" for r in rows], "unit": "engagements"}


def agenda_rows(items: list[AgendaItem]) -> list[dict[str, Any]]:
    return [{"title": i.title, "due": i.due, "url": record_url(i.kind, i.record_id), "sub": i.sub,
             "state": i.state} for i in items]
