"""Engagements, opportunities, outcomes and named things on spacy.blank("en")."""

from __future__ import annotations

from investdesk.extraction.components.org_candidates import _trim_edges, split_joined
from investdesk.extraction.lexicon import lexicon
from tests.extraction.components.conftest import Run
from tests.extraction.components.test_tables import MEETINGS, MOU_LIST


def test_each_mou_row_is_one_signed_opportunity(run: Run) -> None:
    doc = run(MOU_LIST, "opportunities")
    opps = {o["counterpart"]: o for o in doc._.opportunities}
    assert set(opps) == {"Aster Foods Pvt Ltd", "Brightwave Solar Ltd"}
    aster = opps["Aster Foods Pvt Ltd"]
    assert aster["stage"] == "mou_signed" and aster["jobs"] == 2500 and aster["location"] == "Kanpur Nagar"
    assert aster["amount"] == {"value": 1200.0, "currency": "INR", "unit": "crore"}
    assert "agri_food" in aster["sectors"]
    assert opps["Brightwave Solar Ltd"]["amount"]["value"] == 850.0
    # The total's 2,050 crore belongs to nobody.
    assert all(o["amount"] is None or o["amount"]["value"] != 2050.0 for o in doc._.opportunities)


def test_each_meeting_row_is_one_engagement_and_a_cancelled_one_none(run: Run) -> None:
    doc = run(MEETINGS, "engagements")
    got = [(e["counterparts"], e["city"], e["date"]) for e in doc._.engagements]
    assert (["Tanaka Electric Co. Ltd."], "Osaka", "12 May") in got
    assert (["Mori Tools"], "Tokyo", "13 May") in got
    assert not any("Hoshino Components" in e["counterparts"] for e in doc._.engagements)


def test_policies_offerings_and_events(run: Run) -> None:
    doc = run("The delegation presented the Telangana Life Sciences Policy 2024, showcased the Genome Valley "
              "Cluster and invited investors to the BioAsia Summit 2025.", "named")
    assert [p["name"] for p in doc._.policies] == ["Telangana Life Sciences Policy 2024"]
    assert doc._.offerings[0]["name"] == "Genome Valley Cluster" and doc._.offerings[0]["kind"] == "cluster"
    assert any("BioAsia Summit" in e["name"] for e in doc._.events)


def test_outcome_of_a_signed_mou(run: Run) -> None:
    doc = run("The Punjab government signed an MoU with Sakai Precision in Tokyo.", "outcomes")
    assert [o["kind"] for o in doc._.outcomes] == ["mou_signed"]


def test_sectors_from_the_lexicon(run: Run) -> None:
    doc = run("Talks covered electric vehicles and semiconductors.", "sectors")
    assert {"electric_mobility", "semiconductors"} <= set(doc._.sectors)


def test_every_kind_of_outcome_the_text_tells(run: Run) -> None:
    doc = run("The minister met executives of Norden Batteries in Stockholm. The company confirmed it would invest "
              "$300 million in a battery plant. Vega Foods expressed interest in a food park. Norden agreed to "
              "send a technical team to the State next month.", "outcomes")
    assert {o["kind"] for o in doc._.outcomes} == {"investment_committed", "interest_expressed",
                                                  "follow_up_visit"}


def test_a_signed_mou_is_no_longer_expected(run: Run) -> None:
    doc = run("An MoU worth Rs 2,200 crore was signed with Sakai Precision, which is expected to create 900 jobs.",
              "outcomes")
    assert [o["kind"] for o in doc._.outcomes] == ["mou_signed"]


def test_a_signing_and_more_mous_to_come_are_two_outcomes(run: Run) -> None:
    doc = run("The state signed an MoU with Sakai Precision. More MoUs are expected to be signed next year.",
              "outcomes")
    assert [o["kind"] for o in doc._.outcomes] == ["mou_signed", "mou_expected"]


def test_a_signed_mou_holds_the_investment_it_records(run: Run) -> None:
    doc = run("The state signed an MoU with Sakai Precision. The company will invest Rs 500 crore in a plant.",
              "outcomes")
    assert [o["kind"] for o in doc._.outcomes] == ["mou_signed"]


def test_an_itinerary_lists_signings_still_to_come(run: Run) -> None:
    doc = run("Roadshow itinerary\nDay 1 | Dubai | DP World | Exchange of MoU for a logistics park (Rs 2,000 crore)\n",
              "outcomes")
    assert [o["kind"] for o in doc._.outcomes] == ["mou_expected"]


def test_cues_reach_across_decimals_and_abbreviations(run: Run) -> None:
    doc = run("In Mumbai, Konkan Steel Tubes Pvt. Ltd. confirmed a USD 14.5 million expansion that will add 65 jobs.",
              "outcomes")
    assert [o["kind"] for o in doc._.outcomes] == ["investment_committed"]


def test_amounts_given_in_order_and_a_shared_one_to_nobody(run: Run) -> None:
    doc = run("Lakeshore Polymers Inc and Shaligram Chemicals Ltd signed for Rs 2,100 crore and Rs 1,350 crore "
              "respectively. Aster Foods Ltd and Brightwave Solar Ltd signed an MoU worth Rs 900 crore.",
              "opportunities")
    amounts = {o["counterpart"]: (o["amount"] or {}).get("value") for o in doc._.opportunities}
    assert amounts.get("Lakeshore Polymers Inc") == 2100.0 and amounts.get("Shaligram Chemicals Ltd") == 1350.0
    assert amounts.get("Aster Foods Ltd", "absent") is None and amounts.get("Brightwave Solar Ltd", "absent") is None


def test_the_next_sentence_on_the_company_tells_its_prospect(run: Run) -> None:
    doc = run("The delegation met Kaveri Precision Castings Limited in Pune. The company is considering a sales "
              "office near Munich with a budget of EUR 1.5 million.", "opportunities")
    opp = next(o for o in doc._.opportunities if o["counterpart"].startswith("Kaveri"))
    assert opp["amount"] == {"value": 1.5, "currency": "EUR", "unit": "million"}


def test_sites_named_with_a_lower_case_kind_are_offerings(run: Run) -> None:
    doc = run("The company will set up its plant in the Pithampur industrial area. Land at the Mandal-Becharaji "
              "Special Investment Region and the Dahej PCPIR was presented.", "named")
    names = {o["name"] for o in doc._.offerings}
    assert {"Pithampur industrial area", "Mandal-Becharaji Special Investment Region", "Dahej PCPIR"} <= names
    assert not any(o.name.endswith("Region") for o in doc._.orgs)


def test_an_office_named_after_a_policy_is_no_policy(run: Run) -> None:
    doc = run("He met the Minister of Industrial Policy and presented the Uttar Pradesh Electronics Manufacturing "
              "Policy 2020.", "named")
    assert [p["name"] for p in doc._.policies] == ["Uttar Pradesh Electronics Manufacturing Policy 2020"]


def test_a_meeting_row_with_a_prospect_and_a_cancelled_one(run: Run) -> None:
    table = ("Date | City | Company | Remarks\n"
             "15 Sep | Munich | Brenner Antriebe GmbH | Capacity expansion of the gearbox plant at Sanand\n"
             "16 Sep | Stuttgart | Kessel Werke GmbH | CANCELLED - plant expansion talks moved to a call\n")
    names = {o["counterpart"] for o in run(table, "opportunities")._.opportunities}
    assert "Brenner Antriebe GmbH" in names and "Kessel Werke GmbH" not in names


def test_outcomes_in_other_words(run: Run) -> None:
    doc = run("The Chief Minister witnessed the signing of an agreement with Orion Cables. Orion Cables will also "
              "sign an LoI for a second unit. Its earlier Rs 900 crore plant has been put on hold.", "outcomes")
    assert {o["kind"] for o in doc._.outcomes} == {"mou_signed", "mou_expected", "other"}


def test_an_mou_to_be_signed_is_no_signing(run: Run) -> None:
    doc = run("The MoU will be signed at the summit next month.", "outcomes")
    assert [o["kind"] for o in doc._.outcomes] == ["mou_expected"]


def test_numbered_phases_of_an_industrial_estate(run: Run) -> None:
    doc = run("Plots were offered at Chakan Phase II and Talegaon Phase IV for the plant.", "named")
    assert {o["name"] for o in doc._.offerings} == {"Chakan Phase II", "Talegaon Phase IV"}



def test_organization_names_without_labels_amounts_or_a_split_legal_form() -> None:
    lex = lexicon()
    assert split_joined("Rohde & Schwarz GmbH & Co. KG", lex) == [(0, "Rohde & Schwarz GmbH & Co. KG")]
    assert split_joined("Al Noor Ports & Logistics LLC", lex) == [(0, "Al Noor Ports & Logistics LLC")]
    assert _trim_edges((10, "Government of Odisha for Rs", True, None)) == (10, "Government of Odisha", True, None)
    assert _trim_edges((0, "Subject Invest UP", True, None)) == (8, "Invest UP", True, None)
    assert _trim_edges((0, "Visit of the Punjab Government", True, None)) == (13, "Punjab Government", True, None)
    assert _trim_edges((0, "Raffles Place", True, None)) == (0, "Raffles Place", True, None)


def test_a_short_form_and_a_name_joined_are_two_organizations() -> None:
    assert split_joined("EDB and Enterprise Singapore", lexicon()) == [(0, "EDB"), (8, "Enterprise Singapore")]


def test_a_place_with_a_lower_case_kind_of_site_is_an_offering(run: Run) -> None:
    doc = run("The delegation toured the Kattupalli marine engineering cluster on Friday. Plots in the Hosur leather "
              "goods park were offered. The Mehsana Ceramic Park opened last year and the Mehsana ceramic park has "
              "room. Rents in the western corridor rose, and EV battery cluster talks went on.", "named")
    names = {o["name"] for o in doc._.offerings}
    assert {"Kattupalli marine engineering cluster", "Hosur leather goods park"} <= names
    assert "Mehsana ceramic park" not in names  # the site named before, again in lower case
    assert not any("western" in n or "EV" in n for n in names)
