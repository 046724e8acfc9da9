"""The monthly review papers: the MoU review pack for a window of signing dates (optionally one district or
department) and the monthly pipeline report. Every figure comes from the reports service with the same window,
so the pack and the reports page never disagree; the caller's scope narrows both alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from investdesk import i18n, places
from investdesk.errors import ValidationFailed
from investdesk.i18n import _
from investdesk.models.enums import OpportunityStage
from investdesk.papers.schemas import MouPack, PipelineMonthly
from investdesk.papers.service import meta
from investdesk.permissions import Actor, Perm, require
from investdesk.reports import districts as district_maps
from investdesk.reports import periods, review
from investdesk.reports import service as reports
from investdesk.reports.schemas import (
    BlockerDimension,
    ConversionDimension,
    MapMetric,
    MouWindow,
    PendingDimension,
    PipelineDimension,
)

# Status changes listed in the workbook (the PDF shows the most recent 40 of them).
CHANGES_LISTED = 5000


def window_of(*, signed_from: dt.date | None, signed_to: dt.date | None, district: str | None,
              department: str | None) -> MouWindow:
    """A checked window: the district named as listed, the dates in order."""
    if signed_from and signed_to and signed_from > signed_to:
        raise ValidationFailed(_('to: %(signed_to)s is before from: %(signed_from)s', signed_to=signed_to,
                                 signed_from=signed_from), field="to")
    return MouWindow(signed_from=signed_from, signed_to=signed_to, district=places.district(district),
                     department=(department or "").strip() or None)


def _describe(window: MouWindow) -> str:
    fy = periods.of_range(window.signed_from, window.signed_to)
    span = (_('signed in %(period)s', period=periods.label(fy)) if fy is not None else
            _('signed %(day)s to %(day2)s', day=i18n.date(window.signed_from), day2=i18n.date(window.signed_to))
            if window.signed_from and window.signed_to else
            _('signed from %(day)s', day=i18n.date(window.signed_from)) if window.signed_from else
            _('signed up to %(day)s', day=i18n.date(window.signed_to)) if window.signed_to else _("all MoUs"))
    where = [_('district %(district)s', district=window.district) if window.district else "",
             _('department %(department)s', department=window.department) if window.department else ""]
    return "; ".join([span, *[w for w in where if w]])


def mou_pack(session: Session, *, actor: Actor, window: MouWindow, since: dt.date | None = None,
             progress: Callable[[str], None] | None = None) -> MouPack:
    """The MoU review pack: headline figures, conversion, pending MoUs, blockers, what changed since the last
    pack (``since``, by default the start of the window) and the district table. ``progress`` is told the name
    of each table once it is read."""
    require(actor, Perm.read)
    tick = progress or (lambda _name: None)
    since_day = since or window.signed_from or dt.date.today().replace(day=1)
    since_at = dt.datetime.combine(since_day, dt.time(), tzinfo=dt.UTC)
    figures = review.mou_figures(session, actor=actor, window=window)
    tick("headline")
    conv_year = reports.conversion(session, actor=actor, by=ConversionDimension.year, window=window)
    conv_sector = reports.conversion(session, actor=actor, by=ConversionDimension.sector, window=window)
    tick("conversion")
    pending_district = reports.pending_mous_by(session, actor=actor, by=PendingDimension.district, window=window)
    pending_officer = reports.pending_mous_by(session, actor=actor, by=PendingDimension.nodal_officer, window=window)
    tick("pending")
    blockers = {by: reports.open_blockers_by(session, actor=actor, by=by, window=window)
                for by in (BlockerDimension.department, BlockerDimension.level, BlockerDimension.age)}
    oldest = review.oldest_blockers(session, actor=actor, window=window)
    tick("blockers")
    changes, changes_total = review.status_changes(session, actor=actor, since=since_at, window=window,
                                                   limit=CHANGES_LISTED)
    tick("changes")
    districts = review.by_district(session, actor=actor, window=window)
    maps = [district_maps.district_map(session, actor=actor, metric=metric, window=window)
            for metric in (MapMetric.signed, MapMetric.pending, MapMetric.blockers)]
    tick("districts")
    scope = "" if actor.has(Perm.read_all_mous) else \
        _("; scope of %(label)s: %(assigned)s", label=actor.label,
          assigned=", ".join([*actor.districts, *actor.departments]) or _("nothing assigned"))
    open_blockers = sum(r.count for r in blockers[BlockerDimension.level])
    pack = MouPack(
        meta=meta(actor, _("MoU review pack"), _describe(window) + scope, [
            f"{figures.signed} MoUs ({_describe(window)})", _('%(open_blockers)s open blockers',
                                                              open_blockers=open_blockers),
            _('%(changes_total)s status changes since %(day)s', changes_total=changes_total,
              day=i18n.date(since_day))]),
        window=window, since=since_day, figures=figures, conversion_year=conv_year, conversion_sector=conv_sector,
        pending_district=pending_district, pending_officer=pending_officer,
        blockers_department=blockers[BlockerDimension.department], blockers_level=blockers[BlockerDimension.level],
        blockers_age=blockers[BlockerDimension.age], oldest_blockers=oldest, changes=changes,
        changes_total=changes_total, districts=districts, maps=maps)
    if figures.signed == 0:
        pack.missing.append(_('No MoUs you may see match this pack (%(window)s): every table below is empty.',
                              window=_describe(window)))
    return pack


def month_bounds(month: str | None, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first day of the month given as YYYY-MM (default: the previous month) and of the one after it."""
    day = today or dt.date.today()
    if month:
        try:
            start = dt.datetime.strptime(month.strip(), "%Y-%m").date()
        except ValueError:
            raise ValidationFailed(_('month: %(month)s is not a month like 2026-11',
                                     month=repr(month)), field="month") from None
    else:
        start = (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    nxt = (start + dt.timedelta(days=32)).replace(day=1)
    return start, nxt


def pipeline_monthly(session: Session, *, actor: Actor, month: str | None = None) -> PipelineMonthly:
    """The funnel now, the month's movement (new leads, stage changes, drops with their reasons), value by
    sector and country, and the ten largest open leads."""
    require(actor, Perm.read)
    start, nxt = month_bounds(month)
    lo = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    hi = dt.datetime.combine(nxt, dt.time(), tzinfo=dt.UTC)
    new, new_total = review.new_leads(session, actor=actor, start=lo, end=hi)
    moves, counts = review.stage_moves(session, actor=actor, start=lo, end=hi)
    funnel = reports.funnel(session, actor=actor)
    report = PipelineMonthly(
        meta=meta(actor, _('Pipeline report, %(start)s',
                           start=format(start, '%B %Y')), _("Leads from first meeting to grounding"), [
            f"{sum(r.count for r in funnel)} leads", _('%(new_total)s recorded in %(start)s', new_total=new_total,
                                                       start=format(start, '%B %Y')),
            _('%(values)s stage changes in %(start)s', values=sum(counts.values()), start=format(start, '%B %Y'))]),
        month=start, funnel=funnel, new_leads=new, new_leads_total=new_total, moves=moves,
        moved_to={s.value: n for s, n in counts.items()},
        drops=[m for m in moves if m.to_stage is OpportunityStage.dropped],
        by_sector=reports.pipeline_by(session, actor=actor, by=PipelineDimension.sector)[:15],
        by_country=reports.pipeline_by(session, actor=actor, by=PipelineDimension.country)[:15],
        largest=review.largest_open_leads(session, actor=actor))
    if not new and not moves:
        report.missing.append(_('No leads were recorded or moved in %(start)s.', start=format(start, '%B %Y')))
    if not report.largest:
        report.missing.append(_("No open leads with a value."))
    return report
