"""Behaviour of the extraction rules on short texts written for the tests."""

from __future__ import annotations

from investdesk.extraction import Extractor, KnownNames, KnownOrganization


def test_people_titles_honorifics_and_sides(extractor: Extractor) -> None:
    text = ("A delegation from Karnataka led by Industries Minister M B Patil visited Germany this week. "
            "In Munich, the minister met Director General Dr. Anna Vogel of the Bavarian Automotive Association "
            "(BAA), along with Indian Consul General Shobha Rao.")
    data = extractor.extract(text).to_json_dict()
    people = {p["name"]: p for p in data["people"]}
    assert people["M B Patil"]["side"] == "home" and people["M B Patil"]["titles"] == ["Industries Minister"]
    assert people["Anna Vogel"]["honorific"] == "Dr." and people["Anna Vogel"]["side"] == "counterpart"
    assert people["Shobha Rao"]["side"] == "facilitator"
    assert [d["name"] for d in data["delegates"]] == ["M B Patil"]
    assert data["home"] == {"jurisdiction": "Karnataka", "country": "IN"}
    assert [d["country"] for d in data["destinations"]] == ["DE"]


def test_organization_acronym_kind_and_engagement_city(extractor: Extractor) -> None:
    text = ("In Munich, the delegation held talks with the Bavarian Automotive Association (BAA). "
            "BAA members showed interest in a components cluster.")
    data = extractor.extract(text).to_json_dict()
    org = next(o for o in data["organizations"] if o["acronym"] == "BAA")
    assert org["name"] == "Bavarian Automotive Association" and org["kind"] == "industry_association"
    assert data["engagements"][0]["counterparts"] == ["Bavarian Automotive Association"]
    assert data["engagements"][0]["city"] == "Munich"


def test_places_policies_and_events_are_not_organizations(extractor: Extractor) -> None:
    text = ("The Telangana delegation presented the Telangana Life Sciences Policy 2024 and invited investors to "
            "the BioAsia Summit 2025 in Hyderabad, and showcased the Genome Valley Cluster.")
    data = extractor.extract(text).to_json_dict()
    names = {o["name"] for o in data["organizations"]}
    assert not names & {"Telangana", "Hyderabad", "BioAsia Summit 2025", "Telangana Life Sciences Policy 2024"}
    assert [p["name"] for p in data["policies"]] == ["Telangana Life Sciences Policy 2024"]
    assert {"name": "Genome Valley Cluster", "kind": "cluster"}.items() <= data["offerings"][0].items()
    assert any("BioAsia Summit" in e["name"] for e in data["events"])


def test_mou_signing_with_companies_amount_and_jobs(extractor: Extractor) -> None:
    text = ("The Punjab government signed MoUs with Japanese firms Sakai Precision, Mori Tools and Hoshino "
            "Components in Tokyo on Monday. The MoUs are worth Rs 1,650 crore and will create 2,400 jobs.")
    data = extractor.extract(text).to_json_dict()
    assert [o["counterpart"] for o in data["opportunities"]] == ["Sakai Precision", "Mori Tools",
                                                                 "Hoshino Components"]
    assert {o["stage"] for o in data["opportunities"]} == {"mou_signed"}
    assert [o["kind"] for o in data["outcomes"]] == ["mou_signed"]
    assert data["engagements"][0]["city"] == "Tokyo"
    assert data["destinations"][0]["country"] == "JP"


def test_committed_investment_with_amount_jobs_and_location(extractor: Extractor) -> None:
    text = ("Governor Ana Lopez met executives of Norden Batteries in Stockholm. The company will invest "
            "$300 million in a battery plant in Lake County, creating 800 jobs.")
    data = extractor.extract(text).to_json_dict()
    opp = data["opportunities"][0]
    assert opp["counterpart"] == "Norden Batteries" and opp["stage"] == "committed"
    assert opp["amount"] == {"value": 300.0, "currency": "USD", "unit": "million", "value_usd": None}
    assert opp["jobs"] == 800 and opp["location"] == "Lake County"
    assert "electric_mobility" in data["sectors"]


def test_known_names_are_found_even_when_the_model_misses_them(extractor: Extractor) -> None:
    text = "Officials later met the team from qubitlabs to discuss a design centre."
    assert extractor.extract(text).organizations == []
    known = KnownNames(organizations=[KnownOrganization(name="qubitlabs", kind="company", country="FI")])
    orgs = extractor.extract(text, known=known).organizations
    assert [(o.name, o.kind, o.country) for o in orgs] == [("qubitlabs", "company", "FI")]


def test_empty_text_gives_an_empty_valid_extraction(extractor: Extractor) -> None:
    data = extractor.extract("   \n ").to_json_dict()
    assert data["schema"] == "investdesk.extraction/1" and data["organizations"] == [] and data["home"] == {
        "jurisdiction": None, "country": None}


def test_pipe_matches_extract(extractor: Extractor) -> None:
    texts = ["The Kerala delegation met Alpha Marine Ltd in Oslo.", "", "Rs 5 crore was invested."]
    assert list(extractor.pipe(texts)) == [extractor.extract(t) for t in texts]
