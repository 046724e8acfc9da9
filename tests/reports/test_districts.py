"""The district map: its figures are the reports service's, placed on the 2011 boundaries; districts created since
are drawn in their parent, and a district that is not on the map is listed, never dropped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from investdesk import places
from investdesk.blockers import service as blockers
from investdesk.blockers.schemas import BlockerCreate
from investdesk.config import get_settings
from investdesk.demo import service as demo
from investdesk.models import Mou, Opportunity
from investdesk.models.enums import Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate, StatusUpdate
from investdesk.permissions import Actor
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import AmountIn, OpportunityCreate
from investdesk.reports import districts, geometry, review
from investdesk.reports import service as reports
from investdesk.reports.schemas import (
    BlockerDimension,
    DistrictMap,
    MapMetric,
    MouWindow,
    PendingDimension,
    PipelineDimension,
)
from tests.factories import SYSTEM

LONG_AGO = dt.datetime.now(dt.UTC) - dt.timedelta(days=90)


def _reports_total(session: Session, actor: Actor, metric: MapMetric, window: MouWindow | None = None) -> float:
    """The same figure summed from the reports service's own tables (not the map's code path)."""
    if metric is MapMetric.pipeline:
        return sum(g.value_inr_crore for g in reports.pipeline_by(session, actor=actor, by=PipelineDimension.district))
    if metric is MapMetric.signed:
        return review.mou_figures(session, actor=actor, window=window).signed
    if metric is MapMetric.pending:
        return sum(r.count for r in reports.pending_mous_by(session, actor=actor, by=PendingDimension.district,
                                                            window=window))
    return sum(r.count for r in reports.open_blockers_by(session, actor=actor, by=BlockerDimension.level,
                                                         window=window))


def _drawn_total(m: DistrictMap) -> float:
    return sum(s.value for s in m.shapes) + sum(u.value for u in m.unmapped)


@pytest.mark.parametrize("metric", list(MapMetric))
def test_the_demo_map_totals_are_the_reports_totals(session: Session, metric: MapMetric) -> None:
    demo.load(session, actor=SYSTEM)
    session.flush()
    m = districts.district_map(session, actor=SYSTEM, metric=metric)
    expected = _reports_total(session, SYSTEM, metric)
    assert expected > 0, "the demo data has something to show for every figure"
    assert m.total == pytest.approx(expected)
    assert _drawn_total(m) == pytest.approx(expected)
    assert len(m.shapes) == 71 and {n.district for n in m.newer} == {"Amethi", "Hapur", "Sambhal", "Shamli"}
    coloured = [s for s in m.shapes if s.value]
    assert coloured and all(s.step > 0 for s in coloured) and max(s.step for s in coloured) == 5
    assert all(s.step == 0 for s in m.shapes if not s.value)


def _lead(session: Session, title: str, district: str | None, crore: float) -> None:
    pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(
        title=title, stage="engaged", district=district, amount=AmountIn(value=crore, currency="INR", unit="crore")))


def _mou(session: Session, title: str, district: str | None, *, pending: bool = False, blocked: int = 0) -> Mou:
    m = mous.create(session, actor=SYSTEM, data=MouCreate(title=title, signed_date=dt.date(2025, 5, 1),
                                                          district=district))
    if pending:
        mous.update_status(session, actor=SYSTEM, mou_id=m.id, at=LONG_AGO,
                           data=StatusUpdate(status="approvals", version=m.version))
    for _ in range(blocked):
        blockers.add(session, actor=SYSTEM, mou_id=m.id, data=BlockerCreate(category="land"))
    return m


def test_a_district_created_since_2011_is_drawn_in_its_parent_and_listed(session: Session) -> None:
    _lead(session, "Hapur plant", "Hapur", 300)
    _lead(session, "Ghaziabad plant", "Ghaziabad", 100)
    _lead(session, "Prayagraj plant", "Allahabad", 50)  # a former name: stored as Prayagraj, drawn as Allahabad
    session.flush()
    m = districts.district_map(session, actor=SYSTEM, metric=MapMetric.pipeline)
    shape = {s.district: s for s in m.shapes}
    assert shape["Ghaziabad"].value == 400 and shape["Ghaziabad"].holds == ["Hapur"]
    assert shape["Prayagraj"].value == 50 and "Hapur" not in shape
    hapur = next(n for n in m.newer if n.district == "Hapur")
    assert (hapur.value, hapur.parent, hapur.hindi) == (300, "Ghaziabad", "हापुड़")
    assert hapur.href == "/opportunities?district=Hapur" and shape["Ghaziabad"].step == 5
    assert m.total == 450 and not m.unmapped


def test_a_district_not_on_the_map_is_listed_not_dropped(session: Session) -> None:
    _mou(session, "Old list", "Lucknow", pending=True, blocked=2)
    gone = _mou(session, "Renamed away", "Lucknow", pending=True, blocked=1)
    _mou(session, "Nowhere", None)
    session.flush()
    # A district written before the district list changed: kept in the data as it was.
    session.execute(update(Mou).where(Mou.id == gone.id).values(district="Atlantis"))
    for metric, lucknow, atlantis in [(MapMetric.signed, 1, 1), (MapMetric.pending, 1, 1),
                                      (MapMetric.blockers, 2, 1)]:
        m = districts.district_map(session, actor=SYSTEM, metric=metric)
        shape = {s.district: s for s in m.shapes}
        assert shape["Lucknow"].value == lucknow
        listed = {u.district: u for u in m.unmapped}
        assert listed["Atlantis"].value == atlantis
        assert listed["Atlantis"].href == ("/mous?pending=1&district=Atlantis" if metric is MapMetric.pending
                                           else "/mous?district=Atlantis")
        if metric is MapMetric.signed:
            assert listed["(no district)"].value == 1 and listed["(no district)"].href == "/mous"
        assert m.total == _drawn_total(m) == _reports_total(session, SYSTEM, metric)


def test_the_map_follows_the_reader_scope_and_the_window(session: Session) -> None:
    _mou(session, "J1", "Jhansi", pending=True)
    _mou(session, "A1", "Agra", pending=True, blocked=1)
    session.execute(update(Opportunity).values(district="Agra"))
    session.flush()
    nodal = Actor(id=None, label="nodal", role=Role.nodal_officer, districts=("Jhansi",))
    m = districts.district_map(session, actor=nodal, metric=MapMetric.pending)
    assert {s.district: s.value for s in m.shapes if s.value} == {"Jhansi": 1}
    assert m.total == _reports_total(session, nodal, MapMetric.pending) == 1
    window = MouWindow(signed_from=dt.date(2026, 1, 1))
    empty = districts.district_map(session, actor=SYSTEM, metric=MapMetric.signed, window=window)
    assert empty.total == 0 and all(s.step == 0 for s in empty.shapes) and empty.breaks == []


def test_the_shipped_boundaries_cover_every_district_and_stay_small() -> None:
    file = places.boundary_file()
    assert file is not None
    outlines = geometry.outlines(file)
    names = {o.name for o in outlines.shapes}
    refs = places.district_refs()
    assert len(refs) == 75 and len(names) == 71
    for d in refs:
        assert (d.shape in names) != (d.parent is not None), d
        assert d.hindi, d
    assert {d.shape for d in refs if d.shape} == names
    assert len(file.read_bytes()) < 120_000
    assert "CC BY 2.5" in outlines.source
    assert all(0 <= o.centre[0] <= outlines.width and 0 <= o.centre[1] <= outlines.height for o in outlines.shapes)


def test_a_district_list_without_boundaries_lists_every_district(session: Session, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    listing = tmp_path / "districts_xx.tsv"
    listing.write_text("district\taliases\nAgra\t\n", encoding="utf-8")
    monkeypatch.setenv("INVESTDESK_DISTRICTS_FILE", str(listing))
    get_settings.cache_clear()
    try:
        _lead(session, "Agra plant", "Agra", 70)
        session.flush()
        m = districts.district_map(session, actor=SYSTEM, metric=MapMetric.pipeline)
        assert m.shapes == [] and [(u.district, u.value) for u in m.unmapped] == [("Agra", 70)]
        (tmp_path / "districts_xx.geojson").write_text("{not json", encoding="utf-8")
        with pytest.raises(Exception, match="districts_xx.geojson: not a GeoJSON"):
            districts.district_map(session, actor=SYSTEM, metric=MapMetric.pipeline)
    finally:
        get_settings.cache_clear()
