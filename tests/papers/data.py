"""A generated data set for the papers (MoUs with statuses, blockers and history over several districts; a
mission with meetings, leads and follow-ups), made through the services, and the PDF readers the tests share."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field

from fontTools.ttLib import TTFont
from pypdf import PdfReader
from sqlalchemy.orm import Session

from investdesk.blockers import service as blockers
from investdesk.blockers.schemas import BlockerCreate
from investdesk.followups import service as followups
from investdesk.followups.schemas import FollowUpCreate
from investdesk.models import Mission, Mou, Organization, User
from investdesk.models.enums import BlockerCategory, MouStatus, Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate, StatusUpdate
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import AmountIn, OpportunityCreate
from tests.factories import SYSTEM, create_engagement, create_mission, create_organization, create_person

DISTRICTS = ("Lucknow", "Agra", "Jhansi", "Kanpur Nagar", "Varanasi")
DEPARTMENTS = ("Revenue", "Energy", "Environment and Forests")
NOW = dt.datetime.now(dt.UTC)


@dataclass
class Generated:
    mous: list[Mou] = field(default_factory=list)
    nodal: User | None = None
    mission: Mission | None = None
    org: Organization | None = None
    meetings: list[str] = field(default_factory=list)


def generate(session: Session, *, n_mous: int = 40, seed: int = 7) -> Generated:
    """``n_mous`` MoUs signed 2021-2025 over five districts, a third of them pending, some with open blockers;
    a nodal officer for Lucknow; a mission of three meetings with an organization, two leads and a follow-up."""
    rnd = random.Random(seed)
    out = Generated()
    out.nodal = User(email="nodal@papers.test", name="Nodal Lucknow", role=Role.nodal_officer,
                     districts=["Lucknow"])
    session.add(out.nodal)
    session.flush()
    statuses = list(MouStatus)
    for i in range(n_mous):
        district = DISTRICTS[i % len(DISTRICTS)]
        signed = dt.date(2021 + (i // 5) % 5, 1 + i % 12, 1 + i % 27)
        m = mous.create(session, actor=SYSTEM, data=MouCreate(
            title=f"Project {district} {i:03d}", signed_date=signed, district=district,
            department=DEPARTMENTS[i % 3], sector=("pharmaceuticals", "semiconductors", "textiles")[i % 3],
            amount=AmountIn(value=rnd.randint(5, 900), currency="INR", unit="crore"), jobs=rnd.randint(10, 900)))
        status = statuses[rnd.randrange(len(statuses))]
        # One in three updated long ago (pending unless closed), the rest this week.
        at = NOW - dt.timedelta(days=120 if i % 3 == 0 else 2)
        m = mous.update_status(session, actor=SYSTEM, mou_id=m.id, at=at, data=StatusUpdate(status=status,
                                                                                             note=f"step {i}",
                                                                                             version=m.version))
        if i % 4 == 0:
            blockers.add(session, actor=SYSTEM, mou_id=m.id, data=BlockerCreate(
                category=list(BlockerCategory)[i % 7], department=DEPARTMENTS[(i + 1) % 3],
                description=f"held up {i}", raised_on=NOW.date() - dt.timedelta(days=10 + 7 * i)))
        out.mous.append(m)
    out.org = create_organization(session, name="Hokuto Precision Motors", acronym="HPM",
                                  aliases=["Hokuto Motors"], sectors=["semiconductors"], kind="company")
    ours = create_person(session, name="Asha Verma", titles=["CEO"], side="home", honorific=None)
    theirs = create_person(session, name="Kenji Morita", titles=["Director"], side="counterpart",
                           organization_id=out.org.id)
    out.mission = create_mission(session, start_date=dt.date(2025, 7, 7), end_date=dt.date(2025, 7, 9),
                                 notes="Meet motor and chip makers.", delegate_ids=[ours.id])
    for day, city, title in ((7, "Osaka", "Motor plant visit"), (8, "Tokyo", "Chip materials round table"),
                             (9, "Tokyo", "Investor lunch")):
        e = create_engagement(session, title=title, date=dt.date(2025, 7, day), city=city,
                              mission_id=out.mission.id, counterpart_ids=[out.org.id],
                              participant_ids=[ours.id, theirs.id], topics=["land"],
                              summary=f"{title}: agreed next steps",
                              evidence=f"The delegation held the {title.lower()} in {city}.")
        out.meetings.append(title)
        if day == 7:
            lead = pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(
                title="Motor plant in Jhansi", counterpart_id=out.org.id, stage="interested",
                amount=AmountIn(value=450, currency="INR", unit="crore"), source_engagement_id=e.id,
                next_action="Send land options"))
            followups.create(session, actor=SYSTEM, data=FollowUpCreate(
                entity_type="opportunity", entity_id=lead.id, title="Send three land options",
                due_date=dt.date(2025, 8, 1)))
    session.flush()
    return out


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_fonts(data: bytes) -> set[str]:
    """The base names of the fonts embedded in a PDF, without their subset prefix."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


def pdf_font_programs(data: bytes) -> dict[str, TTFont]:
    """The embedded font programs of a PDF by base name (subset prefix removed), read with fontTools."""
    out = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            program = desc.get_object()["/FontFile2"].get_object().get_data()
            out[str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]] = TTFont(io.BytesIO(program))
    return out
