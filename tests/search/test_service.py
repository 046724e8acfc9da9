"""Full-text search on a real, migrated database (SQLite FTS5; PostgreSQL tsvector when configured)."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from investdesk.errors import PermissionDenied
from investdesk.models import Document, SearchEntry
from investdesk.models.enums import Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
from investdesk.organizations import service as organizations
from investdesk.organizations.schemas import OrganizationUpdate
from investdesk.paging import PageParams
from investdesk.permissions import Actor
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import OpportunityCreate
from investdesk.search import service
from investdesk.search.query import parse, to_fts5, to_tsquery, words
from tests.factories import SYSTEM, create_engagement, create_organization, create_person


def _titles(session: Session, q: str, kind: str, actor: Actor = SYSTEM) -> list[str]:
    for g in service.search(session, actor=actor, q=q, limit=20):
        if g.kind == kind:
            return [h.title for h in g.hits]
    raise AssertionError(kind)


@pytest.fixture
def records(session: Session) -> dict[str, int]:
    hokuto = create_organization(session, name="Hokuto Precision Motors", acronym=None, kind="company", country="JP")
    tanaka = create_organization(session, name="Tanaka Electric Co., Ltd.", acronym=None, kind="company",
                                 country="JP", name_hi="टनाका इलेक्ट्रिक")
    create_organization(session, name="Midlands Castings", acronym=None, kind="company", country="GB")
    lead = pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(
        title="Rare-earth magnet plant", counterpart_id=hokuto.id, stage="engaged", district="Jhansi"))
    pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(
        title="Battery cell line", counterpart_id=tanaka.id, stage="identified", district="Lucknow",
        notes="Magnets for the motors come from a rare earth supplier."))
    mou = mous.create(session, actor=SYSTEM, data=MouCreate(title="Solar module plant", district="Jhansi"))
    mous.create(session, actor=SYSTEM, data=MouCreate(title="Warehouse", district="Agra"))
    create_engagement(session, title="Round table", summary="Pharmaceutical exporters in Osaka.")
    session.add(Document(sha256="a" * 64, filename="trip-report.txt", title="Trip report",
                         text="The delegation visited a testing institute. Rare earth magnets were discussed at "
                              "length with three makers of electric motors."))
    session.flush()
    return {"hokuto": hokuto.id, "tanaka": tanaka.id, "lead": lead.id, "mou": mou.id}


def test_words_are_split_at_hyphens_and_kept_whole_in_devanagari() -> None:
    assert words("Rare-Earth magnets, Jhansi!") == ["rare", "earth", "magnets", "jhansi"]
    assert words("जापान में लखनऊ") == ["जापान", "में", "लखनऊ"]
    assert to_fts5(parse("rare earth")) == '"rare" AND "earth"*'
    assert to_tsquery(parse("rare-earth")) == "'rare' & 'earth':*"
    # A place named in one script asks for it in the other too; a quote cannot break out of its word.
    assert to_tsquery(parse("लखनऊ")) == "('लखनऊ':* | 'lucknow')"
    assert to_fts5(parse('Tanaka"')) == '"tanaka"*'


def test_stems_hyphens_and_case(session: Session, records: dict[str, int]) -> None:
    for q in ("rare earth", "Rare-Earth", "RARE EARTH MAGNETS", "magnet"):
        assert "Rare-earth magnet plant" in _titles(session, q, "opportunity"), q
    # The title match ranks above a lead that only mentions the words in its notes.
    assert _titles(session, "rare earth", "opportunity") == ["Rare-earth magnet plant", "Battery cell line"]
    assert _titles(session, "pharmaceuticals", "engagement") == ["Round table"]  # stem of "Pharmaceutical"
    assert _titles(session, "nothing-like-this", "opportunity") == []


def test_district_names_find_the_records_in_that_district(session: Session, records: dict[str, int]) -> None:
    assert _titles(session, "Jhansi", "opportunity") == ["Rare-earth magnet plant"]
    assert _titles(session, "Jhansi", "mou") == ["Solar module plant"]
    assert _titles(session, "Jhan", "mou") == ["Solar module plant"]  # while typing


def test_document_text_is_searched_with_a_snippet(session: Session, records: dict[str, int]) -> None:
    [docs] = [g for g in service.search(session, actor=SYSTEM, q="testing institute", limit=5) if g.kind == "document"]
    assert [h.title for h in docs.hits] == ["Trip report"]
    assert "testing institute" in docs.hits[0].snippet


def test_devanagari_finds_across_scripts(session: Session, records: dict[str, int]) -> None:
    assert _titles(session, "लखनऊ", "opportunity") == ["Battery cell line"]
    assert _titles(session, "झांसी", "mou") == ["Solar module plant"]
    assert set(_titles(session, "जापान", "organization")) == {"Hokuto Precision Motors", "Tanaka Electric Co., Ltd."}
    assert _titles(session, "टनाका", "organization") == ["Tanaka Electric Co., Ltd."]
    assert _titles(session, "टना", "organization") == ["Tanaka Electric Co., Ltd."]


def test_the_index_follows_every_write(session: Session, records: dict[str, int]) -> None:
    org = organizations.get(session, actor=SYSTEM, organization_id=records["hokuto"])
    organizations.update(session, actor=SYSTEM, organization_id=org.id,
                         data=OrganizationUpdate(name="Hokuto Magnetics", version=org.version))
    assert _titles(session, "Hokuto Precision", "organization") == []
    assert _titles(session, "Hokuto Magnetics", "organization") == ["Hokuto Magnetics"]
    # The lead whose counterpart it is is found by the new name too.
    assert _titles(session, "Hokuto Magnetics", "opportunity") == ["Rare-earth magnet plant"]
    create_person(session, name="Kenji Sato", organization_id=org.id)
    assert _titles(session, "Sato", "person") == ["Kenji Sato"]
    session.delete(pipeline.get(session, actor=SYSTEM, opportunity_id=records["lead"]))
    session.flush()
    assert _titles(session, "Jhansi", "opportunity") == []


def test_rebuild_writes_the_same_index(session: Session, records: dict[str, int]) -> None:
    before = session.scalar(select(func.count()).select_from(SearchEntry))
    session.execute(delete(SearchEntry))
    assert _titles(session, "Jhansi", "mou") == []
    counts = service.rebuild_index(session, actor=SYSTEM)
    assert sum(counts.values()) == before and counts["organization"] == 3
    assert _titles(session, "Jhansi", "mou") == ["Solar module plant"]
    with pytest.raises(PermissionDenied):
        service.rebuild_index(session, actor=Actor(id=1, label="o", role=Role.officer))


def test_a_nodal_officer_finds_only_the_mous_in_scope(session: Session, records: dict[str, int]) -> None:
    nodal = Actor(id=99, label="n", role=Role.nodal_officer, districts=("Agra",))
    assert _titles(session, "plant", "mou", nodal) == []
    assert _titles(session, "warehouse", "mou", nodal) == ["Warehouse"]
    assert _titles(session, "plant", "mou") == ["Solar module plant"]


def test_a_word_in_more_records_than_are_ranked_lists_the_newest_title_matches_first(
        session: Session, records: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(4):
        pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(title=f"Foundry unit {i}", stage="identified",
                                                                     notes="near the plant"))
    pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(title="Casting", stage="identified",
                                                                 notes="a plant extension, newest of all"))
    monkeypatch.setattr(service, "RANK_CAP", 3)
    [group] = service.search(session, actor=SYSTEM, q="plant", limit=3, kinds=["opportunity"])
    assert group.capped and group.total == 3 and group.more  # shown as "3+"
    # Name matches first, newest first; the newest record with the word only in its notes after them.
    assert [h.title for h in group.hits] == ["Rare-earth magnet plant", "Casting", "Foundry unit 3"]
    [group] = service.search(session, actor=SYSTEM, q="unit", limit=2, kinds=["opportunity"])
    assert [h.title for h in group.hits] == ["Foundry unit 3", "Foundry unit 2"]
    [group] = service.search(session, actor=SYSTEM, q="newest", limit=5, kinds=["opportunity"])
    assert not group.capped and [h.title for h in group.hits] == ["Casting"]


def _subtitles(session: Session, q: str) -> dict[str, str]:
    return {h.title: h.subtitle for g in service.search(session, actor=SYSTEM, q=q, limit=20) for h in g.hits}


def test_subtitles_follow_the_readers_language(session: Session, records: dict[str, int]) -> None:
    """The line under each hit: kind, stage or status as the pages name them, districts and countries by their
    Hindi names, dates in Hindi; names of records stay as written. English reads the index's copy."""
    import datetime as dt

    from investdesk import i18n, places

    create_engagement(session, title="Tariff talks", date=dt.date(2026, 12, 1))
    jhansi = places.hindi_name("district", "Jhansi")
    assert jhansi and not jhansi.isascii()
    english = _subtitles(session, "Jhansi") | _subtitles(session, "Hokuto")
    assert english["Rare-earth magnet plant"] == "Engaged · Hokuto Precision Motors · Jhansi"
    assert english["Solar module plant"] == "Signed · Jhansi"
    assert english["Hokuto Precision Motors"] == "Company · Japan"
    assert _subtitles(session, "Tariff talks")["Tariff talks"] == "1 Dec 2026 · Osaka"
    with i18n.using("hi"):
        hindi = _subtitles(session, "Jhansi") | _subtitles(session, "Hokuto") | _subtitles(session, "Tariff talks")
        stage, status, kind = i18n.gettext("Engaged"), i18n.gettext("Signed"), i18n.gettext("Company")
    assert "Engaged" not in stage and "Signed" not in status and "Company" not in kind
    assert hindi["Rare-earth magnet plant"] == f"{stage} · Hokuto Precision Motors · {jhansi}"
    assert hindi["Solar module plant"] == f"{status} · {jhansi}"
    assert hindi["Hokuto Precision Motors"] == f"{kind} · जापान"
    assert hindi["Tariff talks"] == "1 दिसंबर 2026 · Osaka"


def test_a_kind_is_paged_with_honest_counts(session: Session, records: dict[str, int],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(7):
        pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(title=f"Foundry unit {i}", stage="identified"))
    seen: list[str] = []
    for number in (1, 2, 3):
        group, pager = service.search_kind(session, actor=SYSTEM, q="foundry", kind="opportunity",
                                           page=PageParams(page=number, per_page=3))
        assert group is not None and group.total == 7 and not group.capped
        assert (pager.page, pager.pages, pager.first_row, pager.last_row) == (number, 3, number * 3 - 2,
                                                                              min(7, number * 3))
        seen += [h.title for h in group.hits]
    assert sorted(seen) == [f"Foundry unit {i}" for i in range(7)]  # every match once, none twice
    # Past the end: the last page.
    group, pager = service.search_kind(session, actor=SYSTEM, q="foundry", kind="opportunity",
                                       page=PageParams(page=9, per_page=3))
    assert pager.page == 3 and group is not None and len(group.hits) == 1
    # More matches than are counted: pages reach the cap, the count says "more than".
    monkeypatch.setattr(service, "RANK_CAP", 4)
    group, pager = service.search_kind(session, actor=SYSTEM, q="foundry", kind="opportunity",
                                       page=PageParams(page=2, per_page=3))
    assert group is not None and group.capped and group.total == 4 and pager.pages == 2
    assert [h.title for h in group.hits] == ["Foundry unit 3", "Foundry unit 2", "Foundry unit 1"]


def test_a_nodal_officer_counts_and_pages_only_the_mous_in_scope(session: Session, records: dict[str, int]) -> None:
    for i in range(5):
        mous.create(session, actor=SYSTEM, data=MouCreate(title=f"Cold store {i}", district="Agra" if i % 2 else
                                                          "Lucknow"))
    nodal = Actor(id=99, label="n", role=Role.nodal_officer, districts=("Agra",))
    group, pager = service.search_kind(session, actor=nodal, q="cold store", kind="mou",
                                       page=PageParams(page=1, per_page=1))
    assert group is not None and group.total == 2 and pager.pages == 2
    assert group.hits[0].title == "Cold store 3"
    [overview] = service.search(session, actor=nodal, q="store", kinds=["mou"])
    assert overview.total == 2 and {h.title for h in overview.hits} == {"Cold store 1", "Cold store 3"}
    nobody = Actor(id=98, label="n", role=Role.nodal_officer, districts=("Etah",))
    assert _titles(session, "cold store", "mou", nobody) == []
