"""The MoU review pack: every figure equals the reports service's for the same window, checked by hand on a
generated data set, read back from the PDF text and the workbook; a nodal officer's pack holds only their
districts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from investdesk.formatting import indian, label
from investdesk.models.enums import MouStatus, Role
from investdesk.mous import service as mous
from investdesk.papers import files, reviews
from investdesk.permissions import Actor
from investdesk.reports import review
from investdesk.reports import service as reports
from investdesk.reports.schemas import BlockerDimension, ConversionDimension, MouWindow, PendingDimension
from tests.factories import SYSTEM
from tests.papers.data import DISTRICTS, generate, pdf_text

WINDOW = MouWindow(signed_from=dt.date(2022, 1, 1), signed_to=dt.date(2024, 12, 31))


def _in_window(m: object, window: MouWindow) -> bool:
    signed = m.signed_date  # type: ignore[attr-defined]
    return window.signed_from <= signed <= window.signed_to  # type: ignore[operator]


def test_headline_figures_by_hand_and_by_the_reports_service(session: Session) -> None:
    data = generate(session)
    pack = reviews.mou_pack(session, actor=SYSTEM, window=WINDOW)
    mine = [m for m in data.mous if _in_window(m, WINDOW)]
    assert pack.figures.signed == len(mine) > 0
    assert pack.figures.grounded == sum(m.status in (MouStatus.construction, MouStatus.commercial_operation)
                                        for m in mine)
    assert pack.figures.pending == sum(mous.is_pending(m) for m in mine)
    assert pack.figures.value_inr_crore == pytest.approx(sum(m.amount_inr_crore or 0 for m in mine))
    assert pack.figures.jobs == sum(m.jobs or 0 for m in mine)
    assert pack.conversion_year == reports.conversion(session, actor=SYSTEM, by=ConversionDimension.year,
                                                      window=WINDOW)
    assert [r.key for r in pack.conversion_year] == ["2022", "2023", "2024"]
    assert pack.pending_district == reports.pending_mous_by(session, actor=SYSTEM, by=PendingDimension.district,
                                                            window=WINDOW)
    assert sum(r.count for r in pack.pending_district) == pack.figures.pending
    assert pack.blockers_age == reports.open_blockers_by(session, actor=SYSTEM, by=BlockerDimension.age,
                                                         window=WINDOW)
    open_blockers = [b for m in mine for b in m.blockers if b.resolved_on is None]
    assert sum(r.count for r in pack.blockers_department) == len(open_blockers) > 0
    assert pack.oldest_blockers[0].raised_on == min(b.raised_on for b in open_blockers)
    by_district = {r.district: r for r in pack.districts}
    for d in DISTRICTS:
        rows = [m for m in mine if m.district == d]
        assert by_district[d].signed == len(rows)
        assert by_district[d].jobs == sum(m.jobs or 0 for m in rows)
    # Every MoU's status was changed once, at its dated update: those since the window's start are listed.
    since = dt.datetime.combine(WINDOW.signed_from, dt.time(), tzinfo=dt.UTC)  # type: ignore[arg-type]
    assert pack.changes_total == review.status_changes(session, actor=SYSTEM, since=since, window=WINDOW)[1]
    assert pack.changes_total == len(mine)


def test_pack_pdf_states_every_figure_of_the_reports_service(session: Session) -> None:
    generate(session)
    paper = files.mou_pack(session, actor=SYSTEM, signed_from=WINDOW.signed_from, signed_to=WINDOW.signed_to)
    text = pdf_text(paper.content)
    figures = review.mou_figures(session, actor=SYSTEM, window=WINDOW)
    assert f"{indian(figures.signed)} MoUs signed" in text
    assert f"{indian(figures.grounded)} grounded" in text
    assert f"{indian(figures.pending)} pending an update" in text
    assert f"{indian(figures.value_inr_crore, 1)} value" in text
    assert f"{indian(figures.jobs)} jobs proposed" in text
    for r in reports.conversion(session, actor=SYSTEM, by=ConversionDimension.year, window=WINDOW):
        assert f"{r.label} {indian(r.signed)} {indian(r.grounded)} {r.rate * 100:.1f}%" in text
    for r in reports.pending_mous_by(session, actor=SYSTEM, by=PendingDimension.district, window=WINDOW):
        assert f"{r.label} {indian(r.count)} {indian(r.value_inr_crore, 1)}" in text
    for r in reports.open_blockers_by(session, actor=SYSTEM, by=BlockerDimension.level, window=WINDOW):
        assert f"{label(r.label)} {indian(r.count)}" in text
    for d in review.by_district(session, actor=SYSTEM, window=WINDOW):
        assert (f"{d.district} {indian(d.signed)} {indian(d.grounded)} {indian(d.pending)} "
                f"{indian(d.open_blockers)} {indian(d.value_inr_crore, 1)} {indian(d.jobs)}") in text
    assert "Page 1 of" in text and "Prepared by test" in text and "Invest UP" in text


def test_pack_workbook_has_a_sheet_per_table_with_totals(session: Session) -> None:
    generate(session)
    paper = files.mou_pack(session, actor=SYSTEM, signed_from=WINDOW.signed_from, signed_to=WINDOW.signed_to,
                           fmt="xlsx")
    wb = load_workbook(io.BytesIO(paper.content))
    assert wb.sheetnames == ["About", "Headline", "Conversion by year", "Conversion by sector", "Pending by district",
                             "Pending by nodal officer", "Blockers by department", "Blockers by level",
                             "Blockers by age", "Oldest blockers", "Status changes", "Districts", "District map"]
    districts = list(wb["Districts"].iter_rows(values_only=True))
    assert districts[0] == ("District", "Signed", "Grounded", "Pending", "Open blockers", "Value (INR crore)", "Jobs")
    body, total = districts[1:-1], districts[-1]
    assert total[0] == "Total" and total[1] == sum(r[1] for r in body)
    figures = review.mou_figures(session, actor=SYSTEM, window=WINDOW)
    assert total[1] == figures.signed and total[6] == figures.jobs
    assert total[5] == pytest.approx(figures.value_inr_crore)
    headline = dict(list(wb["Headline"].iter_rows(values_only=True))[1:])
    assert headline["MoUs signed"] == figures.signed and headline["Pending"] == figures.pending
    changes = list(wb["Status changes"].iter_rows(values_only=True))
    assert changes[0][:5] == ("MoU id", "MoU", "District", "From", "To") and len(changes) - 1 == len(
        [m for m in changes[1:] if m[0]])


def test_nodal_officers_pack_holds_only_their_districts(session: Session) -> None:
    data = generate(session)
    assert data.nodal is not None
    nodal = Actor(id=data.nodal.id, label="nodal@papers.test", role=Role.nodal_officer, districts=("Lucknow",))
    text = pdf_text(files.mou_pack(session, actor=nodal, signed_from=None, signed_to=None).content)
    mine = [m for m in data.mous if m.district == "Lucknow"]
    others = [m for m in data.mous if m.district != "Lucknow"]
    assert f"{len(mine)} MoUs signed" in text
    for m in others:
        assert m.title not in text
    for district in DISTRICTS[1:]:
        assert district not in text
    wb = load_workbook(io.BytesIO(files.mou_pack(session, actor=nodal, signed_from=None, signed_to=None,
                                                 fmt="xlsx").content))
    cells = {str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c}
    assert not cells & {m.title for m in others} and not cells & set(DISTRICTS[1:])
    assert "Lucknow" in cells


def test_empty_range_gives_a_pack_that_says_so(session: Session) -> None:
    generate(session, n_mous=5)
    paper = files.mou_pack(session, actor=SYSTEM, signed_from=dt.date(1990, 1, 1), signed_to=dt.date(1990, 12, 31))
    text = pdf_text(paper.content)
    assert "No MoUs you may see match this pack" in text and "0 MoUs signed" in text
    wb = load_workbook(io.BytesIO(files.mou_pack(session, actor=SYSTEM, signed_from=dt.date(1990, 1, 1),
                                                 signed_to=dt.date(1990, 1, 2), fmt="xlsx").content))
    assert list(wb["Districts"].iter_rows(values_only=True)) == [
        ("District", "Signed", "Grounded", "Pending", "Open blockers", "Value (INR crore)", "Jobs")]


def test_pack_maps_hold_the_reports_figures_and_print_hindi_names(session: Session) -> None:
    from investdesk import places
    from investdesk.reports.schemas import MapMetric
    from tests.papers.data import pdf_fonts

    generate(session)
    pack = reviews.mou_pack(session, actor=SYSTEM, window=WINDOW)
    signed, pending, blocked = pack.maps
    assert [m.metric for m in pack.maps] == [MapMetric.signed, MapMetric.pending, MapMetric.blockers]
    assert signed.total == pack.figures.signed == sum(s.value for s in signed.shapes) > 0
    assert pending.total == pack.figures.pending == sum(r.count for r in pack.pending_district)
    assert blocked.total == sum(r.count for r in pack.blockers_level) == sum(d.open_blockers for d in pack.districts)
    paper = files.mou_pack(session, actor=SYSTEM, signed_from=WINDOW.signed_from, signed_to=WINDOW.signed_to)
    text = pdf_text(paper.content)
    assert "Districts on the map" in text and "CC BY 2.5 IN" in text
    assert f"MoUs signed: {indian(pack.figures.signed)}" in text
    assert f"Pending MoUs: {indian(pack.figures.pending)}" in text
    top = max(signed.shapes, key=lambda s: s.value)
    hindi = places.hindi_name("district", top.district)
    assert hindi and hindi in text.replace("\n", " ")
    assert "Desk-Devanagari" in pdf_fonts(paper.content)


def _pixels(picture: bytes) -> set[str]:
    from PIL import Image

    with Image.open(io.BytesIO(picture)) as im:
        colours = im.convert("RGB").getcolors(maxcolors=1 << 24) or []
    return {"#{:02x}{:02x}{:02x}".format(*rgb) for _count, rgb in colours}


def test_pack_workbook_draws_the_district_maps(session: Session) -> None:
    """The "District map" sheet holds a PNG per map under its title, coloured by the same classes as the SVG map;
    the districts the drawing cannot show are named beside it, and the Hindi workbook says it all in Hindi."""
    from investdesk import i18n
    from investdesk.papers import mapimage
    from investdesk.reports import mapsvg

    generate(session)
    pack = reviews.mou_pack(session, actor=SYSTEM, window=WINDOW)
    wb = load_workbook(io.BytesIO(files.mou_pack(session, actor=SYSTEM, signed_from=WINDOW.signed_from,
                                                 signed_to=WINDOW.signed_to, fmt="xlsx").content))
    ws = wb["District map"]
    titles = [r[0] for r in ws.iter_rows(values_only=True) if r and r[0]]
    assert titles[:3] == ["MoUs signed", "Pending MoUs", "Open blockers"]
    images = ws._images  # type: ignore[attr-defined]
    assert len(images) == len(pack.maps) == 3
    rows = [im.anchor._from.row for im in images]
    gaps = zip(rows[:-1], rows[1:], images[:-1], strict=True)
    assert rows == sorted(rows) and all(b - a > im.height / 20 for a, b, im in gaps)
    for image, m in zip(images, pack.maps, strict=True):
        picture = image._data()
        assert picture.startswith(b"\x89PNG")
        colours = _pixels(picture)
        used = {mapsvg.RAMP[s.step] for s in m.shapes}
        assert used <= colours and len(used) > 1
        # A class no district is in is drawn nowhere (neither on the map nor in its legend).
        assert not ({mapsvg.RAMP[i] for i in range(6)} - used) & colours
    # The path data the picture is drawn from reads back to the boundaries' own points.
    shape = pack.maps[0].shapes[0]
    first = mapimage.rings(shape.path)[0]
    assert len(first) > 3 and shape.path.startswith(f"M{first[0][0]:g} {first[0][1]:g}".replace("0.", "."))
    with i18n.using("hi"):
        hindi = load_workbook(io.BytesIO(files.mou_pack(session, actor=SYSTEM, signed_from=WINDOW.signed_from,
                                                        signed_to=WINDOW.signed_to, fmt="xlsx").content))
        name = i18n.gettext("District map")
    assert name != "District map" and name in hindi.sheetnames
    assert len(hindi[name]._images) == 3  # type: ignore[attr-defined]
