"""Meeting briefs and mission reports from the demo data and a generated data set, read back from the PDF text
and the Word document; records with nothing to say, markup and very long names still give a sound paper."""

from __future__ import annotations

import io

import docx
from fontTools.ttLib import TTFont
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from investdesk.demo import service as demo
from investdesk.models import Engagement, Mission, Organization, Person
from investdesk.models.enums import Role
from investdesk.papers import files, pdf, service
from investdesk.papers.pdf import FONTS
from investdesk.papers.schemas import PaperSection
from investdesk.permissions import Actor
from tests.factories import SYSTEM, create_engagement, create_mission, create_organization, create_person
from tests.papers.data import generate, pdf_font_programs, pdf_fonts, pdf_text


def test_demo_briefs_list_every_meeting_lead_and_mou(session: Session) -> None:
    demo.load(session, actor=SYSTEM)
    session.flush()
    orgs = list(session.scalars(select(Organization)))
    met = 0
    for org in orgs:
        brief = service.organization_brief(session, actor=SYSTEM, organization_id=org.id)
        text = pdf_text(files.organization_brief(session, actor=SYSTEM, organization_id=org.id).content)
        assert f"Meeting brief: {org.name}" in text and "Page 1 of" in text
        meetings = session.scalar(select(func.count()).select_from(Engagement).where(
            Engagement.counterparts.any(Organization.id == org.id)))
        assert brief.meetings_total == meetings
        for m in brief.meetings:
            assert m.title in text
        for lead in brief.leads:
            assert lead.title in text
        for m in brief.mous:
            assert m.title in text
        met += bool(meetings)
    assert met >= 5
    person = session.scalar(select(Person).where(Person.name == "Asha Verma"))
    assert person is not None
    text = pdf_text(files.person_brief(session, actor=SYSTEM, person_id=person.id).content)
    assert "Meeting brief: Asha Verma" in text and "Medical devices round table" in text


def test_demo_mission_report_holds_every_meeting_as_pdf_and_docx(session: Session) -> None:
    demo.load(session, actor=SYSTEM)
    session.flush()
    mission = session.scalars(select(Mission)).one()
    titles = list(session.scalars(select(Engagement.title).where(Engagement.mission_id == mission.id)))
    assert len(titles) == 8
    text = pdf_text(files.mission_report(session, actor=SYSTEM, mission_id=mission.id).content)
    word = docx.Document(io.BytesIO(files.mission_report(session, actor=SYSTEM, mission_id=mission.id,
                                                         fmt="docx").content))
    paragraphs = "\n".join(p.text for p in word.paragraphs)
    cells = "\n".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    for title in titles:
        assert title in text
        assert title in paragraphs
    assert "Itinerary and meetings (8)" in text and "Itinerary and meetings (8)" in paragraphs
    assert "Asha Verma" in cells and "Joint battery testing laboratory" in text
    assert "PAGE" in word.sections[0].footer._element.xml


def test_generated_mission_report_has_leads_followups_and_sources(session: Session) -> None:
    data = generate(session, n_mous=3)
    assert data.mission is not None
    report = service.mission_report(session, actor=SYSTEM, mission_id=data.mission.id)
    assert [m.title for d in report.days for c in d.cities for m in c.meetings] == data.meetings
    assert [d.date.day for d in report.days if d.date] == [7, 8, 9]
    assert [c.city for c in report.days[1].cities] == ["Tokyo"]
    assert [lead.title for lead in report.leads] == ["Motor plant in Jhansi"]
    assert [m.title for m in report.mous if m.expected] == ["Motor plant in Jhansi"]
    assert [f.title for f in report.followups] == ["Send three land options"]
    assert len(report.sources) == 3
    text = pdf_text(files.mission_report(session, actor=SYSTEM, mission_id=data.mission.id).content)
    for title in data.meetings:
        assert title in text
    assert "Send three land options" in text and "The delegation held the investor lunch in Tokyo." in text
    assert "Meet motor and chip makers." in text and "Kenji Morita (Director)" in text
    word = docx.Document(io.BytesIO(files.mission_report(session, actor=SYSTEM, mission_id=data.mission.id,
                                                         fmt="docx").content))
    body = "\n".join(p.text for p in word.paragraphs)
    assert all(t in body for t in data.meetings) and "The delegation held the motor plant visit in Osaka." in body


def test_records_with_no_history_give_a_paper_that_says_so(session: Session) -> None:
    org = create_organization(session, name="Quiet Industries", sectors=[])
    mission = create_mission(session, name="Roadshow not yet held")
    text = pdf_text(files.organization_brief(session, actor=SYSTEM, organization_id=org.id).content)
    assert "No meetings with Quiet Industries are recorded" in text and "No open leads." in text
    text = pdf_text(files.mission_report(session, actor=SYSTEM, mission_id=mission.id).content)
    assert "No meetings are recorded for this mission" in text
    word = docx.Document(io.BytesIO(files.mission_report(session, actor=SYSTEM, mission_id=mission.id,
                                                         fmt="docx").content))
    assert any("No meetings recorded for this mission." in p.text for p in word.paragraphs)
    person = create_person(session, name="Lone Visitor", titles=[])
    text = pdf_text(files.person_brief(session, actor=SYSTEM, person_id=person.id).content)
    assert "No organization is recorded for Lone Visitor." in text


def test_markup_and_long_names_are_printed_as_text(session: Session) -> None:
    name = "<b>Bold</b> & <script>alert(1)</script> " + "X" * 250
    org = create_organization(session, name=name[:300])
    long_word = "Y" * 500
    create_engagement(session, title="<i>Lunch</i>", counterpart_ids=[org.id], summary=long_word)
    brief = service.organization_brief(session, actor=SYSTEM, organization_id=org.id)
    page = pdf.html("brief.html", brief)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "&lt;i&gt;Lunch&lt;/i&gt;" in page
    text = pdf_text(files.organization_brief(session, actor=SYSTEM, organization_id=org.id).content)
    assert "<b>Bold</b> & <script>alert(1)</script>" in text and "<i>Lunch</i>" in text
    # The 500-character word wraps inside the page; a brief prints a summary's first 280 characters.
    assert text.replace(" ", "").count("Y") >= 270 and "Y…" in text.replace(" ", "").replace("\n", "")


def test_devanagari_names_print_in_the_shipped_font(session: Session) -> None:
    org = create_organization(session, name="उत्तर प्रदेश उद्योग संघ", aliases=["लखनऊ उद्योग"], country="IN")
    data = files.organization_brief(session, actor=SYSTEM, organization_id=org.id).content
    text = pdf_text(data)
    assert "उत्तर प्रदेश उद्योग संघ" in text and "लखनऊ उद्योग" in text
    fonts = pdf_fonts(data)
    # The families exist only through the package's @font-face rules: no system font was used for any glyph.
    assert "Desk-Devanagari" in fonts and "Desk-Sans" in fonts
    assert all(f.startswith("Desk-") for f in fonts), fonts
    # The embedded program is the package's file: same version and glyph outlines as the shipped TrueType.
    shipped = TTFont(FONTS / "noto-sans-devanagari-devanagari-400-normal.ttf")
    embedded = pdf_font_programs(data)["Desk-Devanagari"]
    assert embedded["head"].fontRevision == shipped["head"].fontRevision
    assert embedded["name"].getDebugName(5) == shipped["name"].getDebugName(5)
    glyphs = [g for g in embedded.getGlyphOrder() if g != ".notdef" and embedded["glyf"][g].numberOfContours > 0]
    assert glyphs
    order = shipped.getGlyphOrder()  # the subset keeps each glyph's id
    for g in glyphs[:5]:
        theirs = order[embedded.getGlyphID(g)]
        assert (embedded["glyf"][g].getCoordinates(embedded["glyf"])[0]
                == shipped["glyf"][theirs].getCoordinates(shipped["glyf"])[0])


def test_a_registered_section_appears_in_organization_briefs(session: Session) -> None:
    org = create_organization(session)

    def estimate(_session: Session, _actor: Actor, o: Organization) -> PaperSection:
        return PaperSection(title="Incentive estimate", note=f"For {o.name}", columns=["Item", "INR crore"],
                            rows=[["Capital subsidy", "12.5"]])

    service.register_brief_section(estimate)
    try:
        text = pdf_text(files.organization_brief(session, actor=SYSTEM, organization_id=org.id).content)
    finally:
        service._BRIEF_SECTIONS.remove(estimate)
    assert "Incentive estimate" in text and "Capital subsidy 12.5" in text


def test_a_nodal_officers_brief_leaves_out_mous_outside_their_scope(session: Session) -> None:
    data = generate(session, n_mous=10)
    org = create_organization(session, name="Party To Many")
    from investdesk.mous import service as mous
    from investdesk.mous.schemas import MouUpdate

    for m in data.mous:
        mous.update(session, actor=SYSTEM, mou_id=m.id, data=MouUpdate(party_ids=[org.id], version=m.version))
    nodal = Actor(id=None, label="nodal", role=Role.nodal_officer, districts=("Agra",))
    brief = service.organization_brief(session, actor=nodal, organization_id=org.id)
    assert {m.district for m in brief.mous} == {"Agra"} and brief.mous_total == 2
    everything = service.organization_brief(session, actor=SYSTEM, organization_id=org.id)
    assert everything.mous_total == 10 and len(everything.mous) == service.BRIEF_ROWS
    # Open MoUs first, then by value.
    closed = [m.status in ("commercial operation", "withdrawn") for m in everything.mous]
    assert closed == sorted(closed)


def test_a_busy_organizations_brief_stays_within_two_pages(session: Session) -> None:
    """Years of meetings, dozens of staff, many leads and MoUs: the brief shows the latest and the largest and
    says how many more there are, in one or two pages."""
    from pypdf import PdfReader

    from investdesk.mous import service as mous
    from investdesk.mous.schemas import MouCreate
    from investdesk.pipeline import service as pipeline
    from investdesk.pipeline.schemas import AmountIn, OpportunityCreate

    org = create_organization(session, name="Hokuto Precision Motors Co., Ltd.", sectors=["semiconductors"],
                              aliases=["Hokuto", "HPM"], country="JP")
    for i in range(40):
        create_person(session, name=f"Kenji Sato {i:02d}", titles=["General Manager, Overseas Business Planning"],
                      organization_id=org.id)
    for i in range(30):
        create_engagement(session, title=f"Plant visit and discussion round {i:02d}", counterpart_ids=[org.id],
                          summary="Discussed land, power tariff, the single-window clearances and a phased "
                                  "investment plan for a motor plant with a supplier park. " * 3)
    for i in range(20):
        pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(
            title=f"Motor plant phase {i:02d}", counterpart_id=org.id, sectors=["semiconductors"],
            amount=AmountIn(value=100 + i, currency="INR", unit="crore")))
    for i in range(12):
        mous.create(session, actor=SYSTEM, data=MouCreate(
            title=f"Hokuto motor plant MoU {i:02d}", party_ids=[org.id], district="Lucknow",
            amount=AmountIn(value=500 + i, currency="INR", unit="crore")))
    session.flush()
    brief = service.organization_brief(session, actor=SYSTEM, organization_id=org.id)
    assert brief.meetings_total == 30 and len(brief.meetings) < 30
    data = files.organization_brief(session, actor=SYSTEM, organization_id=org.id).content
    assert len(PdfReader(io.BytesIO(data)).pages) <= 2
    text = pdf_text(data)
    # What is left out is counted, not silently dropped.
    assert "The latest 6 of 30 meetings" in text and "The 6 largest of 20 open leads" in text
    assert "The first 10 of 40 people" in text
    # A long summary is cut in a brief (a mission report prints it whole).
    assert text.count("…") >= 6
