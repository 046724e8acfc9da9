"""Segments, places and organizations on spacy.blank("en") (no tagger, parser or NER)."""

from __future__ import annotations

from tests.extraction.components.conftest import Run


def test_line_breaks_end_sentences_and_paragraphs_are_counted(run: Run) -> None:
    doc = run("Delegation to Japan\nThe minister met investors in Osaka.\n\nA second paragraph here.", "segments")
    assert [s.text.strip() for s in doc._.sents] == ["Delegation to Japan", "The minister met investors in Osaka.",
                                                     "A second paragraph here."]
    assert doc._.paragraphs[0] != doc._.paragraphs[2]


def test_places_home_destination_and_city(run: Run) -> None:
    doc = run("A delegation from Uttar Pradesh visited Japan. In Osaka, the delegation met investors.", "places")
    places = doc._.places
    assert places.home_name == "Uttar Pradesh" and places.home_country == "IN"
    assert places.destinations == {"JP": ["Osaka"]}
    assert not places.inbound


def test_places_a_foreign_delegation_visiting_home(run: Run) -> None:
    doc = run("A delegation from Japan led by its chairman met the Chief Minister of Odisha in Bhubaneswar.",
              "places")
    assert doc._.places.home_name == "Odisha" and doc._.places.inbound
    assert doc._.places.destinations == {}


def test_organizations_with_acronym_and_kind(run: Run) -> None:
    doc = run("In Munich, the delegation held talks with the Bavarian Automotive Association (BAA).", "organizations")
    org = next(o for o in doc._.orgs if o.acronym == "BAA")
    assert org.name == "Bavarian Automotive Association" and org.kind == "industry_association"


def test_sides_make_the_met_organization_a_counterpart(run: Run) -> None:
    doc = run("A delegation from Karnataka visited Germany. In Munich, the delegation held talks with the "
              "Bavarian Automotive Association (BAA).", "sides")
    org = next(o for o in doc._.orgs if o.acronym == "BAA")
    assert org.role == "counterpart" and org.country == "DE"


def test_table_companies_become_counterpart_organizations(run: Run) -> None:
    from tests.extraction.components.test_tables import MOU_LIST

    doc = run(MOU_LIST, "sides")
    roles = {o.name: o.role for o in doc._.orgs}
    assert roles.get("Aster Foods Pvt Ltd") == "counterpart"
    assert roles.get("Brightwave Solar Ltd") == "counterpart"
    assert "TOTAL" not in roles


def test_a_company_headquarters_is_neither_its_name_nor_the_meeting_city(run: Run) -> None:
    doc = run("The Gujarat government signed MoUs in Gandhinagar with Osaka-based Hoshino Seiki Co., Ltd. and "
              "Chicago-based Lakeshore Polymers Inc for new plants.", "places")
    names = {o.name for o in doc._.orgs}
    assert {"Hoshino Seiki Co., Ltd.", "Lakeshore Polymers Inc"} <= names
    assert not any("based" in n for n in names)
    assert not any(c in {"Osaka", "Chicago"} for cities in doc._.places.city_mentions.values() for _, c in cities)
    assert {"JP", "US"} <= set(doc._.places.destinations)  # signed at home: the counterparts' countries


def test_generic_words_and_currencies_are_not_organizations(run: Run) -> None:
    doc = run("The State Government said the Group will invest Rs 500 crore. Industries met KRW investors.",
              "organizations")
    assert not {"State Government", "Group", "Rs", "Industries", "KRW"} & {o.name for o in doc._.orgs}


MINUTES = """RECORD OF DISCUSSIONS: VISIT OF THE KARNATAKA DELEGATION TO FRANCE
1. Delegation
Shri Suresh Hassan, IAS, Additional Chief Secretary, Commerce and Industries Department
Ms. Gunjan Belur, Managing Director, Karnataka Udyog Mitra

2. Meetings
3.1 Safran Aircraft Engines, Paris (16 June 2025). The delegation met Safran on engine parts.
3.3 Airbus Group, Toulouse (17 June 2025). Ms. Helene Valence, Director, proposed a Centre of Excellence.
"""


def test_people_listed_under_a_delegation_heading_are_delegates(run: Run) -> None:
    doc = run(MINUTES, "sides")
    sides = {p.name: (p.side, p.delegate) for p in doc._.people}
    assert sides["Suresh Hassan"] == ("home", True)
    assert sides["Gunjan Belur"] == ("home", True)


def test_people_of_a_numbered_meeting_item_belong_to_the_met_organization(run: Run) -> None:
    doc = run(MINUTES, "sides")
    assert doc._.genre == "minutes"
    valence = next(p for p in doc._.people if p.name == "Helene Valence")
    assert valence.side == "counterpart" and not valence.delegate
    assert valence.organization == "Airbus Group"


def test_only_the_company_column_of_an_mou_list_names_organizations(run: Run) -> None:
    from tests.extraction.components.test_tables import MARKDOWN

    names = {o.name for o in run(MARKDOWN, "organizations")._.orgs}
    assert {"Brahma Tea Estates & Exports Ltd.", "Kaza Agro Foods Pvt. Ltd."} <= names
    assert not names & {"Tea & Food Processing", "Exports Ltd.", "Brahma Tea Estates"}


MISSION = """Chief Minister of Odisha led a delegation to Japan in Tokyo.
The Chief Minister was accompanied by Shri Ramesh Patnaik, IAS, Principal Secretary, Industries.
Group CEO Kenji Watanabe agreed to send a technical team to the State.
The Minister paid a courtesy call on Mr. Hiroshi Sato, Deputy Minister of Economy.
"""


def test_a_delegate_is_described_as_the_home_sides_official(run: Run) -> None:
    doc = run(MISSION, "sides")
    delegates = {p.name for p in doc._.people if p.delegate}
    assert "Ramesh Patnaik" in delegates  # a civil servant's title in the apposition
    assert "Kenji Watanabe" not in delegates  # a firm's officer beside a "team", nothing of the home side
    assert "Hiroshi Sato" not in delegates  # the one called on, whatever his title


TOUR_AND_HOME = """Before the Gujarat delegation left, Hoshino Seiki Ltd signed an MoU with the state in Gandhinagar.
The delegation also met Rohde Electronics Ltd, which plans to expand its plant in Vadodara.
In Tokyo, the delegation met Toray Industries Ltd on carbon fibre.
"""


def test_a_meeting_at_home_during_a_tour_takes_the_home_city_it_names(run: Run) -> None:
    doc = run(TOUR_AND_HOME, "engagements")
    city = {n: e["city"] for e in doc._.engagements for n in e["counterparts"]}
    assert city["Toray Industries Ltd"] == "Tokyo"
    assert city["Hoshino Seiki Ltd"] == "Gandhinagar"
    assert city.get("Rohde Electronics Ltd") != "Vadodara"  # where its plant is, not where they met


def test_a_city_only_named_does_not_move_the_story(run: Run) -> None:
    doc = run("A delegation from Karnataka visited Germany.\nMUNICH\nThe Minister met investors at a roundtable. "
              "The firm runs a plant in Stuttgart and Hamburg's port is busy. "
              "The Minister then held talks with the company.", "places")
    places = doc._.places
    assert places.sentence_city[1] == "Munich"  # a heading in capitals
    last = len(doc._.sents) - 1
    assert places.sentence_city[last] == "Munich"  # "a plant in Stuttgart", "Hamburg's port": only named


def test_a_venue_in_a_one_city_stay_keeps_the_city(run: Run) -> None:
    doc = run("Munich: A delegation from Karnataka visited Bavaria this week. At the Bavarian State Chancellery, "
              "the Minister met the State Secretary.", "places")
    assert doc._.places.sentence_city[1] == "Munich"


def test_a_round_of_mous_signed_at_home_is_one_engagement_in_its_city(run: Run) -> None:
    doc = run("The Gujarat government signed nine MoUs with companies. The agreements were exchanged at the "
              "Swarnim Sankul in Gandhinagar. Osaka-based Hoshino Seiki Co., Ltd. will put Rs 640 crore into a "
              "plant. Chicago-based Lakeshore Polymers Inc will invest Rs 2,100 crore.", "engagements")
    met = {c: e["city"] for e in doc._.engagements for c in e["counterparts"]}
    assert met.get("Hoshino Seiki Co., Ltd.") == "Gandhinagar"
    assert met.get("Lakeshore Polymers Inc") == "Gandhinagar"
