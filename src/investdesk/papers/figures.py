"""The charts of each paper, from the paper's own data (never a second query)."""

from __future__ import annotations

from markupsafe import Markup

from investdesk.formatting import label
from investdesk.papers import charts
from investdesk.papers.schemas import MouPack, PipelineMonthly


def pack_charts(pack: MouPack) -> dict[str, Markup | None]:
    pending = pack.pending_district[:12]
    return {
        "conversion": charts.bars([r.label for r in pack.conversion_year],
                                  {"signed": [r.signed for r in pack.conversion_year],
                                   "grounded": [r.grounded for r in pack.conversion_year]},
                                  title="MoUs signed and grounded, by year of signing"),
        "pending": charts.bars([r.label for r in pending], {"pending MoUs": [r.count for r in pending]},
                               title="Pending MoUs by district (the twelve with most)", horizontal=True,
                               height=min(3.2, 0.9 + 0.2 * len(pending))),
        "blockers": charts.bars([r.label for r in pack.blockers_age], {"open blockers": [r.count for r in
                                                                                         pack.blockers_age]},
                                title="Open blockers by age", height=1.9),
    }


def pipeline_charts(report: PipelineMonthly) -> dict[str, Markup | None]:
    sectors = report.by_sector[:10]
    return {
        "funnel": charts.bars([label(r.stage) for r in report.funnel], {"leads now": [r.count for r in report.funnel]},
                              title="Leads by stage", horizontal=True, height=2.2),
        "sector": charts.bars([r.label for r in sectors], {"value, ₹ crore": [r.value_inr_crore for r in sectors]},
                              title="Value of leads not dropped, by sector", horizontal=True,
                              height=min(3.2, 0.9 + 0.2 * len(sectors))),
    }
