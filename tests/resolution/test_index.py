"""Entity resolution: names matched to the records the knowledge base already has."""

from __future__ import annotations

from sqlalchemy.orm import Session

from investdesk.resolution.index import OrgIndex, PersonIndex, Resolver, looks_like_acronym
from investdesk.resolution.service import find_organization, find_person, known_names
from tests.factories import create_organization, create_person


def test_organization_matched_by_name_alias_acronym_and_spelling(session: Session) -> None:
    kpia = create_organization(session, aliases=["Kansai Pharma Association"])
    tanaka = create_organization(session, name="Tanaka Electric Co. Ltd.", acronym=None, kind="company",
                                 country="JP", sectors=[])
    index = OrgIndex.load(session)
    assert index.match("Kansai Pharmaceutical Industries Association") == kpia.id
    assert index.match("the Kansai Pharmaceutical Industries Association's") == kpia.id
    assert index.match("Kansai Pharma Association") == kpia.id           # alias
    assert index.match("KPIA") == kpia.id                                # acronym given as the name
    assert index.match("Kansai Pharmaceutical Assn", acronym="KPIA") == kpia.id
    assert index.match("Tanaka Electric Corporation") == tanaka.id       # company suffixes dropped
    assert index.match("Tanaka Electrik", country="JP") == tanaka.id     # near-identical spelling
    assert index.match("Tanaka Electrik", country="KR") is None          # ... but not in another country
    assert index.match("Tanaka Chemicals", country="JP") is None         # a different company
    assert index.match("Osaka Pharmaceutical Industries Association") is None


def test_country_keeps_same_names_apart(session: Session) -> None:
    jp = create_organization(session, name="Ministry of Economy", acronym=None, kind="government_agency",
                             country="JP", sectors=[])
    index = OrgIndex.load(session)
    assert index.match("Ministry of Economy", country="JP") == jp.id
    assert index.match("Ministry of Economy", country="DE") is None
    assert index.match("Ministry of Economy") == jp.id  # country unknown: the known record


def test_merged_records_are_not_matched_and_new_ones_are_learned(session: Session) -> None:
    a = create_organization(session, name="Link-J", acronym=None, kind="platform_network", sectors=[])
    b = create_organization(session, name="LINK J Network", acronym=None, kind="platform_network", sectors=[])
    b.merged_into_id = a.id
    session.flush()
    index = OrgIndex.load(session)
    assert set(index.entries) == {a.id}
    index.add(99, "Asahi Intecc", country="JP", acronym="AI-X")
    assert index.match("Asahi Intecc Co., Ltd.", country="JP") == 99
    index.add_alias(99, "Asahi")
    assert index.match("Asahi") == 99


def test_people_by_name_and_organization(session: Session) -> None:
    kpia = create_organization(session)
    other = create_organization(session, name="Link-J", acronym=None, kind="platform_network", sectors=[])
    hayashi = create_person(session, organization_id=kpia.id)
    index = PersonIndex.load(session)
    assert index.match("Dr. Hayashi Yoshikazu", organization_id=kpia.id) == hayashi.id
    assert index.match("Hayashi Yoshikazu") == hayashi.id
    assert index.match("Hayashi Yoshikazu", organization_id=other.id) is None  # a namesake elsewhere
    assert index.match("Tanaka Hiroshi") is None
    assert find_person(session, "hayashi yoshikazu", organization_id=kpia.id).id == hayashi.id  # type: ignore[union-attr]
    assert find_organization(session, "KPIA").id == kpia.id  # type: ignore[union-attr]
    resolver = Resolver.load(session)
    assert resolver.orgs.match("Link J") == other.id


def test_known_names_for_the_extractor(session: Session) -> None:
    kpia = create_organization(session, aliases=["Kansai Pharma"])
    create_person(session, organization_id=kpia.id)
    known = known_names(session)
    assert [(o.name, o.acronym, o.aliases, o.kind, o.country) for o in known.organizations] == [
        ("Kansai Pharmaceutical Industries Association", "KPIA", ["Kansai Pharma"], "industry_association", "JP")]
    assert [(p.name, p.organization) for p in known.people] == [
        ("Hayashi Yoshikazu", "Kansai Pharmaceutical Industries Association")]


def test_acronym_shape() -> None:
    assert looks_like_acronym("KPIA") and looks_like_acronym("JETRO") and looks_like_acronym("UPEIDA")
    assert not looks_like_acronym("Kansai") and not looks_like_acronym("Tanaka Electric")
