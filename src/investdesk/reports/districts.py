"""The district map: one of four figures per district (lead pipeline value, MoUs signed, pending MoUs, open
blockers), taken from the reports service's own district figures and placed on the district boundaries.

A district created after the boundaries were drawn is counted in its parent's shape and listed beside the map;
a district in the data that is not in the district list (or no district at all) is listed, never dropped, so
the map's total is always the reports' total."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from investdesk import places
from investdesk.i18n import N_
from investdesk.permissions import Actor, Perm, require
from investdesk.reports import geometry, review
from investdesk.reports import service as reports
from investdesk.reports.schemas import (
    DistrictMap,
    MapArea,
    MapMetric,
    MapShape,
    MouWindow,
    PipelineDimension,
    PipelineGroup,
)

NO_DISTRICT = "(no district)"
LABELS = {MapMetric.pipeline: N_("Lead pipeline value (INR crore)"), MapMetric.signed: N_("MoUs signed"),
          MapMetric.pending: N_("Pending MoUs"), MapMetric.blockers: N_("Open blockers")}


def figures(session: Session, *, actor: Actor, metric: MapMetric, window: MouWindow | None = None,
            created_from: dt.date | None = None, created_to: dt.date | None = None,
            pipeline: list[PipelineGroup] | None = None) -> dict[str | None, float]:
    """The metric per district as the reports service gives it (None: no district given). ``pipeline`` is the
    pipeline by district the caller has already read for the same reader and days, counted instead of reading
    it again."""
    require(actor, Perm.read)
    if metric is MapMetric.pipeline:
        if pipeline is None:
            pipeline = reports.pipeline_by(session, actor=actor, by=PipelineDimension.district,
                                           created_from=created_from, created_to=created_to)
        return {g.key: g.value_inr_crore for g in pipeline}
    field = {MapMetric.signed: "signed", MapMetric.pending: "pending", MapMetric.blockers: "open_blockers"}[metric]
    return {None if r.district == NO_DISTRICT else r.district: float(getattr(r, field))
            for r in review.by_district(session, actor=actor, window=window)}


def link(metric: MapMetric, district: str | None, window: MouWindow | None = None) -> str:
    """The list behind a district's figure."""
    if district is None:
        return "/opportunities" if metric is MapMetric.pipeline else "/mous"
    if metric is MapMetric.pipeline:
        return "/opportunities?" + urlencode({"district": district})
    query = {"pending": "1"} if metric is MapMetric.pending else {}
    return "/mous?" + urlencode({**query, "district": district})


def _breaks(values: list[float]) -> list[float]:
    """Upper bounds of up to five colour classes: quantiles of the districts with something to show."""
    found = sorted({v for v in values if v > 0})
    if not found:
        return []
    if len(found) <= 5:
        return found
    return sorted({found[min(len(found) - 1, round(len(found) * k / 5) - 1)] for k in range(1, 6)})


def _step(value: float, breaks: list[float]) -> int:
    if value <= 0:
        return 0
    rank = next((i for i, b in enumerate(breaks) if value <= b), len(breaks) - 1)
    # Spread fewer than five classes over the whole ramp, the largest always the darkest.
    return 5 - (len(breaks) - 1 - rank)


def district_map(session: Session, *, actor: Actor, metric: MapMetric, window: MouWindow | None = None,
                 created_from: dt.date | None = None, created_to: dt.date | None = None,
                 pipeline: list[PipelineGroup] | None = None) -> DistrictMap:
    """The map of one metric, with the districts created since the boundaries and those not on the map
    (``pipeline``: as for ``figures``)."""
    values = figures(session, actor=actor, metric=metric, window=window, created_from=created_from,
                     created_to=created_to, pipeline=pipeline)
    refs = places.district_refs()
    file = places.boundary_file()
    drawn = geometry.outlines(file) if file is not None else geometry.Outlines(width=0, height=0, shapes=())
    by_shape = {o.name: o for o in drawn.shapes}
    hindi = {d.name: d.hindi for d in refs}
    shape_of = {d.name: d.shape for d in refs if d.shape in by_shape}
    children: dict[str, list[str]] = {}
    newer = []
    for d in refs:
        if d.parent and d.parent in shape_of:
            children.setdefault(d.parent, []).append(d.name)
            newer.append(MapArea(district=d.name, hindi=d.hindi, value=values.get(d.name, 0.0),
                                 href=link(metric, d.name, window), parent=d.parent))
    shown = set(shape_of) | {n.district for n in newer}
    totals = {name: values.get(name, 0.0) + sum(values.get(c, 0.0) for c in children.get(name, []))
              for name in shape_of}
    breaks = _breaks(list(totals.values()))
    shapes = [MapShape(district=name, hindi=hindi.get(name), value=totals[name], href=link(metric, name, window),
                       holds=children.get(name, []), path=by_shape[shape].path, centre=by_shape[shape].centre,
                       step=_step(totals[name], breaks))
              for name, shape in shape_of.items()]
    unmapped = [MapArea(district=k or NO_DISTRICT, value=v, href=link(metric, k, window))
                for k, v in sorted(values.items(), key=lambda kv: (-kv[1], kv[0] or "")) if k not in shown and v]
    return DistrictMap(metric=metric, width=drawn.width, height=drawn.height, shapes=shapes, newer=newer,
                       unmapped=unmapped, breaks=breaks, total=sum(values.values()), source=drawn.source)
