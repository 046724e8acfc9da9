"""The charts of the home and reports pages, drawn from the reports service's figures.

Each builder returns the JSON that static/js/app.js hands to Plotly (read from a data attribute: no inline script)."""

from __future__ import annotations

from typing import Any

from investdesk.followups.schemas import AgendaItem
from investdesk.formatting import country, crore, label, record_url
from investdesk.i18n import _
from investdesk.reports import districts, mapsvg
from investdesk.reports.schemas import ConversionRow, DistrictMap, FunnelRow, GroupTotal, MapMetric, PipelineGroup


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
    """Engagements by the counterpart's country, most at the top of a horizontal bar chart (long names fit)."""
    rows = list(reversed(rows))
    return {"kind": "hbar", "labels": [country(r.key) for r in rows], "values": [r.count for r in rows],
            "links": [f"/organizations?country={r.key}" for r in rows], "unit": "engagements", "integer": True}


def pipeline_sector_chart(groups: list[PipelineGroup], limit: int = 12) -> dict[str, Any]:
    """Value of the leads by sector from the reports' pipeline figures (INR crore), largest at the top."""
    top = [g for g in groups if g.value_inr_crore][:limit]
    return sector_chart([GroupTotal(key=g.key, label=g.label, count=g.count,
                                    value_inr_crore=round(g.value_inr_crore, 1)) for g in top])


def pending_chart(rows: list[GroupTotal], limit: int = 15) -> dict[str, Any]:
    """Pending MoUs by district, most at the top."""
    rows = list(reversed(rows[:limit]))
    return {"kind": "hbar", "labels": [r.label for r in rows], "values": [r.count for r in rows],
            "links": [f"/mous?pending=1&district={r.key}" if r.key else "" for r in rows], "unit": "pending MoUs",
            "integer": True}


def conversion_chart(rows: list[ConversionRow]) -> dict[str, Any]:
    """MoUs signed and grounded by signing year, side by side."""
    return {"kind": "grouped", "labels": [r.label for r in rows], "series": [
        {"name": _("Signed"), "values": [r.signed for r in rows]},
        {"name": _("Grounded"), "values": [r.grounded for r in rows]}],
        "values": [r.signed for r in rows], "unit": "MoUs", "integer": True}


def agenda_rows(items: list[AgendaItem]) -> list[dict[str, Any]]:
    return [{"title": i.title, "due": i.due, "url": record_url(i.kind, i.record_id), "sub": i.sub,
             "state": i.state} for i in items]


def district_map_view(m: DistrictMap, *, title: str) -> dict[str, Any]:
    """The district map's SVG, legend and the lists beside it, for ``_partials/district_map.html``."""
    return {"map": m, "svg": mapsvg.svg(m, money=crore, title=title), "legend": mapsvg.legend(m, money=crore),
            "metrics": [(metric, _(districts.LABELS[metric])) for metric in MapMetric], "title": title,
            "value": lambda v: mapsvg.value_text(m.metric, v, crore)}
