"""The charts of each paper, from the paper's own data (never a second query)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from investdesk.formatting import crore, label
from investdesk.i18n import _
from investdesk.papers import charts
from investdesk.papers.schemas import MouPack, PipelineMonthly
from investdesk.reports import districts, mapsvg


def pack_charts(pack: MouPack) -> dict[str, Markup | None]:
    pending = pack.pending_district[:12]
    return {
        "conversion": charts.bars([r.label for r in pack.conversion_year],
                                  {"signed": [r.signed for r in pack.conversion_year],
                                   "grounded": [r.grounded for r in pack.conversion_year]},
                                  title=_("MoUs signed and grounded, by year of signing")),
        "pending": charts.bars([r.label for r in pending], {"pending MoUs": [r.count for r in pending]},
                               title=_("Pending MoUs by district (the twelve with most)"), horizontal=True,
                               height=min(3.2, 0.9 + 0.2 * len(pending))),
        "blockers": charts.bars([r.label for r in pack.blockers_age], {"open blockers": [r.count for r in
                                                                                         pack.blockers_age]},
                                title=_("Open blockers by age"), height=1.9),
    }


def pack_maps(pack: MouPack) -> list[dict[str, Any]]:
    """The pack's district maps: the drawing (no links on paper), its legend and the districts with most."""
    out = []
    for m in pack.maps:
        title = _(districts.LABELS[m.metric])
        top = sorted((s for s in m.shapes if s.value), key=lambda s: (-s.value, s.district))[:6]
        out.append({"title": title, "svg": mapsvg.svg(m, money=crore, links=False, title=title),
                    "legend": mapsvg.legend(m, money=crore), "top": top, "map": m,
                    "value": lambda v, m=m: mapsvg.value_text(m.metric, v, crore)})
    return out


def pipeline_charts(report: PipelineMonthly) -> dict[str, Markup | None]:
    sectors = report.by_sector[:10]
    return {
        "funnel": charts.bars([label(r.stage) for r in report.funnel],
                              {_("leads now"): [r.count for r in report.funnel]},
                              title=_("Leads by stage"), horizontal=True, height=2.2),
        "sector": charts.bars([r.label for r in sectors], {_("value, ₹ crore"): [r.value_inr_crore for r in sectors]},
                              title=_("Value of leads not dropped, by sector"), horizontal=True,
                              height=min(3.2, 0.9 + 0.2 * len(sectors))),
    }
