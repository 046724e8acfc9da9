"""Engagements, opportunities, outcomes and named things on spacy.blank("en")."""

from __future__ import annotations

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
    doc = run("The state signed an MoU with Sakai Precision. More MoUs are expected to be signed next year.",
              "outcomes")
    assert [o["kind"] for o in doc._.outcomes] == ["mou_signed"]
