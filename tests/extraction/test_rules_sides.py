"""Which side an organization or a person is on, and what that does to engagements: short texts written for
the tests."""

from __future__ import annotations

from investdesk.extraction import Extractor


def _roles(data: dict) -> dict[str, str]:
    return {o["name"]: o["role"] for o in data["organizations"]}


def _counterparts(data: dict) -> set[str]:
    return {n for e in data["engagements"] for n in e["counterparts"]}


def test_a_department_that_signs_at_home_is_the_home_side(extractor: Extractor) -> None:
    text = ("JAIPUR, March 3\n\n"
            "The Department of Commerce and Enterprises signed memoranda of understanding with Aravalli Ceramics "
            "Limited and Thar Solar Systems Limited in Jaipur on Monday, Rajasthan officials said. The two companies "
            "will invest Rs 900 crore in the State.")
    data = extractor.extract(text).to_json_dict()
    assert _roles(data)["Department of Commerce and Enterprises"] == "home"
    assert "Department of Commerce and Enterprises" not in _counterparts(data)
    assert {"Aravalli Ceramics Limited", "Thar Solar Systems Limited"} <= _counterparts(data)


def test_a_ministry_met_abroad_or_named_with_its_country_stays_the_other_side(extractor: Extractor) -> None:
    abroad = ("A Rajasthan delegation led by Industries Minister Kavita Sharma visited Tokyo this week. "
              "In Tokyo, the delegation held talks with the Ministry of Land, Infrastructure and Transport on "
              "logistics parks.")
    data = extractor.extract(abroad).to_json_dict()
    assert _roles(data).get("Ministry of Land, Infrastructure and Transport") != "home"
    visiting = ("JAIPUR, March 3\n\n"
                "Chief Minister Rakesh Verma met a delegation of the Omani Ministry of Commerce in Jaipur on Monday "
                "to discuss investments in Rajasthan.")
    data = extractor.extract(visiting).to_json_dict()
    assert all(role != "home" for name, role in _roles(data).items() if "Ministry" in name)


def test_visitors_received_at_home_call_on_home_officials(extractor: Extractor) -> None:
    text = ("JAIPUR, March 3\n\n"
            "A delegation of Hanseatic Logistik GmbH called on Industries Minister Arjun Rao in Jaipur on Monday "
            "to discuss a warehousing park in Rajasthan. The delegation also met Shri Vivek Mathur, Commissioner, "
            "Rajasthan Investment Bureau, at Udyog Bhawan.")
    data = extractor.extract(text).to_json_dict()
    sides = {p["name"]: p["side"] for p in data["people"]}
    assert sides["Arjun Rao"] == "home" and sides["Vivek Mathur"] == "home"
    assert {"Arjun Rao", "Vivek Mathur"} <= {d["name"] for d in data["delegates"]}


def test_a_state_body_known_by_its_acronym_alone_is_the_home_side(extractor: Extractor) -> None:
    text = ("A Gujarat team visited Osaka this week. In Osaka, an iNDEXTb team led by Executive Director "
            "Ms. Leena Parmar met Mr. Taro Sato, President of Kansai Denki Kogyo Co., Ltd., to discuss a motor "
            "plant in Sanand.")
    data = extractor.extract(text).to_json_dict()
    sides = {p["name"]: p["side"] for p in data["people"]}
    assert sides["Leena Parmar"] == "home" and sides["Taro Sato"] != "home"
    assert "Leena Parmar" in {d["name"] for d in data["delegates"]}


def test_a_national_agency_known_by_name_writes_as_the_home_side(extractor: Extractor) -> None:
    text = ("From: Ellis, Fiona (DBT India) <fiona.ellis@example.gov.uk>\n"
            "Subject: Readout: Chennai visit\n\n"
            "Hi all,\n\nQuick readout from this week's investment visit to Chennai, led by Mark Hughes (Deputy "
            "Director, Department for Business and Trade). We met Kaveri Drives Ltd, a Chennai motor maker looking "
            "at a plant in the West Midlands. Talks with the Chennai chapter of CII followed.\n\n"
            "Fiona Ellis | Head of Investment, South India\nDepartment for Business and Trade\n")
    data = extractor.extract(text).to_json_dict()
    assert data["home"]["country"] == "GB"
    assert "Mark Hughes" in {d["name"] for d in data["delegates"]}
