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


def test_a_policy_head_word_ends_at_a_word_boundary(extractor: Extractor) -> None:
    text = ("The Rajasthan delegation met Sunrise Motors, whose Sunrise Activa scooter is made in Alwar, and "
            "presented the Rajasthan Investment Promotion Scheme 2024.")
    names = [p["name"] for p in extractor.extract(text).to_json_dict()["policies"]]
    assert "Rajasthan Investment Promotion Scheme 2024" in names
    assert not [n for n in names if n.endswith("Act") or "Activa" in n]


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


def test_joined_names_split_only_between_two_companies(extractor: Extractor) -> None:
    text = ("The Odisha delegation met senior executives of Sembcorp Industries, CapitaLand Investment and Keppel "
            "Corporation in Singapore. In Hyderabad, the Texas team signed an MoU with the Department of Industries "
            "and Commerce, with the support of the Consulate General of India.")
    names = {o["name"] for o in extractor.extract(text).to_json_dict()["organizations"]}
    assert {"CapitaLand Investment", "Keppel Corporation", "Department of Industries and Commerce",
            "Consulate General of India"} <= names
    assert not names & {"CapitaLand Investment and Keppel Corporation", "Commerce", "Consulate", "Hyderabad"}


def test_a_title_keeps_its_remit_and_indian_cities_are_places(extractor: Extractor) -> None:
    text = ("A trade mission from Texas visited New Delhi, Bengaluru and Hyderabad. Principal Secretary "
            "(Industries) Hemant Sharma made a presentation in Bengaluru.")
    data = extractor.extract(text).to_json_dict()
    people = {p["name"]: p for p in data["people"]}
    assert people["Hemant Sharma"]["titles"] == ["Principal Secretary (Industries)"]
    assert data["destinations"] == [{"country": "IN", "cities": ["New Delhi", "Bengaluru", "Hyderabad"]}]
    assert not {o["name"] for o in data["organizations"]} & {"Bengaluru", "Hyderabad", "New Delhi"}


def test_a_company_first_named_in_a_list_takes_its_own_mou_sentence(extractor: Extractor) -> None:
    text = ("The Odisha delegation met senior executives of Sembcorp Industries, CapitaLand Investment and Keppel "
            "Corporation in Singapore.\n\nSembcorp Industries signed an MoU to set up a green hydrogen project "
            "at Gopalpur, with an investment of Rs 36,000 crore that is expected to create 2,500 jobs. CapitaLand "
            "expressed interest in developing a data centre in Bhubaneswar.")
    opps = {o["counterpart"]: o for o in extractor.extract(text).to_json_dict()["opportunities"]}
    sembcorp = opps["Sembcorp Industries"]
    assert sembcorp["stage"] == "mou_signed" and sembcorp["amount"]["value"] == 36000 and sembcorp["jobs"] == 2500
    assert sembcorp["evidence"].startswith("Sembcorp Industries signed an MoU")
    assert opps["CapitaLand Investment"]["stage"] == "interest_expressed"
    assert opps["CapitaLand Investment"]["sectors"] == ["data_centres"]


def test_several_companies_in_one_sentence_each_keep_their_own_figures(extractor: Extractor) -> None:
    text = ("Mumbai: The Maharashtra government signed agreements with 19 companies at Davos, Chief Minister "
            "Devendra Fadnavis said. Among the major agreements, JSW Group will invest Rs 1.2 lakh crore in an "
            "integrated steel plant in Gadchiroli district, creating 10,000 jobs. Reliance Industries signed an MoU "
            "for a Rs 50,000 crore green energy project, while Amazon Web Services (AWS) committed $8.3 billion for "
            "data centres. Fadnavis also held talks with Klaus Schwab, founder of the World Economic Forum.")
    data = extractor.extract(text).to_json_dict()
    opps = {o["counterpart"]: o for o in data["opportunities"]}
    assert opps["JSW Group"]["stage"] == "committed" and opps["JSW Group"]["jobs"] == 10000
    assert opps["JSW Group"]["location"] == "Gadchiroli district"
    assert (opps["Reliance Industries"]["amount"]["value"], opps["Reliance Industries"]["sectors"]) == (
        50000, ["renewable_energy"])
    assert opps["Amazon Web Services"]["amount"] == {"value": 8.3, "currency": "USD", "unit": "billion",
                                                     "value_usd": None}
    assert opps["Amazon Web Services"]["sectors"] == ["data_centres"]
    schwab = next(p for p in data["people"] if p["name"] == "Klaus Schwab")
    assert (schwab["titles"], schwab["organization"], schwab["side"]) == (
        ["founder"], "World Economic Forum", "counterpart")
    assert "Klaus Schwab" not in {o["name"] for o in data["organizations"]}
    assert [d["name"] for d in data["delegates"]] == ["Devendra Fadnavis"]


def test_a_province_abroad_and_a_pair_of_companies_met_together(extractor: Extractor) -> None:
    text = ("Gyeonggi Governor Kim Dong-yeon concluded a five-day trip to the United States on Friday.\n\n"
            "In San Jose, Kim met with executives of Applied Materials and Lam Research. Applied Materials signed a "
            "letter of intent to build an R&D center for semiconductor equipment in Hwaseong, which is expected to "
            "employ 300 engineers. Lam Research said it would expand its training center in Yongin.")
    data = extractor.extract(text).to_json_dict()
    assert data["home"] == {"jurisdiction": "Gyeonggi", "country": "KR"}
    assert data["destinations"] == [{"country": "US", "cities": ["San Jose"]}]
    assert data["engagements"][0]["counterparts"] == ["Applied Materials", "Lam Research"]
    opps = {o["counterpart"]: o for o in data["opportunities"]}
    assert (opps["Applied Materials"]["kind"], opps["Applied Materials"]["stage"], opps["Applied Materials"]["jobs"]) \
        == ("rnd_centre", "mou_signed", 300)
    assert opps["Applied Materials"]["evidence"].startswith("Applied Materials signed a letter of intent")
    assert opps["Lam Research"]["stage"] == "committed"
    assert opps["Lam Research"]["evidence"].startswith("Lam Research said")


def test_a_visiting_delegation_is_not_a_home_mission_abroad(extractor: Extractor) -> None:
    text = ("Bengaluru, Aug 5: A 20-member delegation from the Japan External Trade Organization (JETRO), led by its "
            "Director General Takashi Suzuki, on Monday met Karnataka Large and Medium Industries Minister M B Patil "
            "and discussed opportunities in electric vehicles.\n\nPatil said Toyota Kirloskar Motor has proposed an "
            "additional investment of Rs 3,300 crore at its Bidadi plant, which would generate 2,000 jobs. Panasonic "
            "Energy also showed interest in setting up a battery cell plant in Tumakuru district.")
    data = extractor.extract(text).to_json_dict()
    assert data["home"] == {"jurisdiction": "Karnataka", "country": "IN"}
    assert data["destinations"] == [] and data["delegates"] == []
    people = {p["name"]: p for p in data["people"]}
    assert (people["Takashi Suzuki"]["organization"], people["Takashi Suzuki"]["side"]) == (
        "Japan External Trade Organization", "facilitator")
    assert (people["M B Patil"]["organization"], people["M B Patil"]["side"]) == (None, "home")
    opps = {o["counterpart"]: o for o in data["opportunities"]}
    toyota = opps["Toyota Kirloskar Motor"]
    assert (toyota["amount"]["value"], toyota["jobs"], toyota["stage"]) == (3300, 2000, "interest_expressed")
    assert opps["Panasonic Energy"]["stage"] == "interest_expressed"
    assert "Tumakuru" not in {o["name"] for o in data["organizations"]}


def test_lower_case_titles_and_a_bracketed_remit_inside_a_sentence(extractor: Extractor) -> None:
    text = ("A Gujarat delegation led by Chief Minister Bhupendra Patel visited Dubai. Lulu Group chairman M A Yusuff "
            "Ali announced that the group would open a food processing unit in Ahmedabad, creating 3,000 jobs. "
            "Additional Chief Secretary (Industries and Mines) S J Haider briefed investors, and the Indian Business "
            "and Professional Council (IBPC) hosted a roundtable.")
    data = extractor.extract(text).to_json_dict()
    people = {p["name"]: p for p in data["people"]}
    assert (people["M A Yusuff Ali"]["titles"], people["M A Yusuff Ali"]["organization"]) == (["chairman"],
                                                                                              "Lulu Group")
    assert people["S J Haider"]["titles"] == ["Additional Chief Secretary (Industries and Mines)"]
    assert people["S J Haider"]["side"] == "home"
    lulu = next(o for o in data["opportunities"] if o["counterpart"] == "Lulu Group")
    assert (lulu["stage"], lulu["jobs"], lulu["sectors"]) == ("committed", 3000, ["agri_food"])
    kinds = {o["name"]: o["kind"] for o in data["organizations"]}
    assert kinds["Indian Business and Professional Council"] == "industry_association"


def test_lieutenant_governor_a_fused_home_agency_and_a_short_company_name(extractor: Extractor) -> None:
    text = ("COLUMBUS, Ohio — Lt. Governor Jon Husted led a delegation of Ohio business leaders on a trade mission to "
            "Germany this week.\n\nJobsOhio President and CEO J.P. Nauseef said the partnership would grow. In "
            "Stuttgart, the delegation toured the headquarters of Robert Bosch GmbH and met representatives of ZF "
            "Friedrichshafen AG. ZF announced plans to add 200 jobs at its Marysville facility.")
    data = extractor.extract(text).to_json_dict()
    people = {p["name"]: p for p in data["people"]}
    assert (people["Jon Husted"]["titles"], people["Jon Husted"]["side"]) == (["Lt. Governor"], "home")
    assert [d["name"] for d in data["delegates"]] == ["Jon Husted"]
    roles = {o["name"]: o["role"] for o in data["organizations"]}
    assert roles["JobsOhio"] == "home" and "Lt" not in roles
    opps = {o["counterpart"]: o for o in data["opportunities"]}
    assert opps["ZF Friedrichshafen AG"]["jobs"] == 200 and "Robert Bosch GmbH" not in opps


def test_title_comma_name_and_an_acronym_with_a_place(extractor: Extractor) -> None:
    text = ("Melbourne: Victoria's Minister for Trade and Investment, Tim Pallas, has returned from a mission to "
            "India.\n\nIn Mumbai, Mr Pallas met the chairman of the Mahindra Group, Anand Mahindra, to discuss an "
            "electric vehicle research hub. In Chennai, the minister visited the campus of the Indian Institute of "
            "Technology Madras (IIT Madras) and signed a memorandum of understanding with Monash University to "
            "establish a joint research centre.")
    data = extractor.extract(text).to_json_dict()
    people = {p["name"]: p for p in data["people"]}
    assert (people["Tim Pallas"]["titles"], people["Tim Pallas"]["side"]) == (
        ["Minister for Trade and Investment"], "home")
    assert (people["Anand Mahindra"]["titles"], people["Anand Mahindra"]["organization"]) == (
        ["chairman"], "Mahindra Group")
    orgs = {o["name"]: o for o in data["organizations"]}
    iit = orgs["Indian Institute of Technology Madras"]
    assert (iit["acronym"], iit["kind"]) == ("IIT Madras", "university") and "IIT Madras" not in orgs
    opps = {o["counterpart"]: o for o in data["opportunities"]}
    assert (opps["Monash University"]["kind"], opps["Monash University"]["stage"]) == (
        "research_partnership", "mou_signed")
    assert "Indian Institute of Technology Madras" not in opps  # only visited


def test_an_honorific_opens_a_whole_name(extractor: Extractor) -> None:
    text = ("The Chief Minister was accompanied by Principal Secretary, Industrial Policy and Investment Promotion "
            "Shri Raghvendra Kumar Singh, and Minister of State Shri Ravneet Singh Bittu.")
    people = {p["name"]: p for p in extractor.extract(text).to_json_dict()["people"]}
    assert {"Raghvendra Kumar Singh", "Ravneet Singh Bittu"} <= set(people)
    assert people["Ravneet Singh Bittu"]["honorific"] == "Shri"


def test_a_known_person_keeps_the_organization_the_knowledge_base_knows(extractor: Extractor) -> None:
    from investdesk.extraction import KnownPerson

    text = ("In Munich, the Karnataka delegation held talks with the Bavarian Automotive Association (BAA). "
            "Anna Vogel welcomed the proposals.")
    known = KnownNames(organizations=[KnownOrganization(name="Bavarian Automotive Association", acronym="BAA")],
                       people=[KnownPerson(name="Anna Vogel", organization="Bavarian Automotive Association")])
    people = {p["name"]: p for p in extractor.extract(text, known=known).to_json_dict()["people"]}
    assert people["Anna Vogel"]["organization"] == "Bavarian Automotive Association"
    assert people["Anna Vogel"]["side"] == "counterpart"


def test_hosts_and_other_organizations_staff_are_not_delegates(extractor: Extractor) -> None:
    text = ("A Karnataka delegation led by Industries Minister M B Patil visited Germany this week. "
            "In Munich, Dr. Anna Vogel, Vice President, Government Affairs, received the delegation at the "
            "Bavarian Automotive Association (BAA). "
            "Members of the delegation: Mr. Klaus Becker, Managing Director, Vogel Antriebe GmbH; "
            "Shri Gunjan Krishna, Commissioner for Industrial Development.")
    data = extractor.extract(text).to_json_dict()
    delegates = {d["name"] for d in data["delegates"]}
    assert "M B Patil" in delegates and "Gunjan Krishna" in delegates
    assert not delegates & {"Anna Vogel", "Klaus Becker"}


def test_a_signing_at_home_takes_the_home_city_and_an_origin_city_is_not_the_venue(extractor: Extractor) -> None:
    text = ("The Government of Gujarat signed an MoU with Hoshino Seiki Co., Ltd. in Gandhinagar on Monday. "
            "Separately, a team from Nagoya met the Industries Minister to discuss a plant.")
    data = extractor.extract(text).to_json_dict()
    cities = {n: e["city"] for e in data["engagements"] for n in e["counterparts"]}
    assert cities.get("Hoshino Seiki Co., Ltd.") == "Gandhinagar"
    assert "Nagoya" not in cities.values()
    assert "JP" in [d["country"] for d in data["destinations"]]


def test_desks_rooms_and_generic_phrases_are_not_organizations(extractor: Extractor) -> None:
    text = ("The Korea Desk of Invest UP arranged the meeting in the Committee Room, where the Memoranda of "
            "Understanding were exchanged with Hyundai Motor Company. Global Operations will follow up.")
    data = extractor.extract(text).to_json_dict()
    names = {o["name"] for o in data["organizations"]}
    assert not names & {"Korea Desk", "Committee Room", "Memoranda of Understanding", "Global Operations"}
    assert "Hyundai Motor Company" in names
    assert "Korea Desk" not in {p["name"] for p in data["people"]}


def test_a_national_agencys_own_staff_and_envoy_are_its_delegates(extractor: Extractor) -> None:
    text = ("IDA Ireland, the Irish government agency for foreign direct investment, completed an investment "
            "mission to India this week, with meetings in Bengaluru. "
            "In Bengaluru, Ambassador Orla Byrne hosted a technology roundtable for Indian founders. "
            "IDA Ireland's Head of Asia, Cian Walsh, said three firms were studying sites in Cork. "
            "Sarvani Labs' co-founder Meera Iyer said a decision would come by March.")
    data = extractor.extract(text).to_json_dict()
    delegates = {d["name"] for d in data["delegates"]}
    assert {"Orla Byrne", "Cian Walsh"} <= delegates
    assert "Meera Iyer" not in delegates
    people = {p["name"]: p for p in data["people"]}
    assert people["Meera Iyer"]["organization"] == "Sarvani Labs"


def test_a_delegation_list_under_a_roman_numbered_heading_and_a_body_of_the_home_government(
        extractor: Extractor) -> None:
    text = ("TOUR REPORT - VISIT OF THE TELANGANA DELEGATION TO THE REPUBLIC OF KOREA\n\n"
            "I. Members of the delegation\n\n"
            "(i) Shri Ramesh Varma, IAS, Principal Secretary, Industries Department (leader) "
            "(ii) Ms. Lata Rao, Senior Manager, Invest Telangana\n\n"
            "II. Purpose\n\n"
            "To meet Korean investors in Seoul.\n\n"
            "Present:\n\n"
            "TGIDC: Shri Anil Goud, Managing Director; Smt. Sita Devi, Advisor (Land).\n\n"
            "The delegation met TGIDC (Government of Telangana) officials before leaving for Seoul.")
    data = extractor.extract(text).to_json_dict()
    delegates = {d["name"] for d in data["delegates"]}
    assert {"Ramesh Varma", "Lata Rao", "Anil Goud", "Sita Devi"} <= delegates


def test_an_email_writer_who_met_the_investor_is_a_delegate_and_one_who_forwards_is_not(
        extractor: Extractor) -> None:
    text = ("From: Suresh Menon <suresh.menon@investup.org.in>\n"
            "To: Desk <desk@up.gov.in>\n"
            "Subject: Re: Meeting with Hanil Motors\n\n"
            "Dear all,\n\n"
            "I met the Hanil Motors team in Seoul last week; they want 40 acres in Uttar Pradesh for a plant.\n\n"
            "Regards,\n"
            "Suresh Menon\n"
            "Deputy General Manager\n"
            "Invest UP\n\n"
            "-----Original Message-----\n"
            "From: Kavita Joshi <kavita.joshi@investup.org.in>\n"
            "Subject: Meeting with Hanil Motors\n\n"
            "Please see the request below and reply.\n\n"
            "Kavita Joshi\n"
            "Chief Executive Officer\n"
            "Invest UP\n")
    data = extractor.extract(text).to_json_dict()
    delegates = {d["name"] for d in data["delegates"]}
    assert "Suresh Menon" in delegates
    assert "Kavita Joshi" not in delegates


def test_a_town_only_named_as_where_a_plant_goes_is_no_organization(extractor: Extractor) -> None:
    text = ("In Seoul, the Odisha delegation held talks with Hanbit Cathode Materials. Hanbit Cathode Materials "
            "showed interest in a battery plant at Chhatrapur. Orvana Steel signed an MoU for a rolling mill in "
            "Chhatrapur, and Orvana Steel's plant at Chhatrapur will employ 900 people.")
    data = extractor.extract(text).to_json_dict()
    names = {o["name"] for o in data["organizations"]}
    assert "Chhatrapur" not in names
    assert {"Hanbit Cathode Materials", "Orvana Steel"} <= names
    assert "Chhatrapur" not in {o["counterpart"] for o in data["opportunities"]}


def test_a_two_word_place_only_named_as_where_a_plant_goes_is_no_organization(extractor: Extractor) -> None:
    text = ("In Tokyo, the Odisha delegation held talks with Hanbit Cathode Materials. Hanbit Cathode Materials "
            "showed interest in setting up a battery plant at Sohna Kalan. Orvana Steel Works signed an MoU for a "
            "rolling mill near Kolvani Motors.")
    data = extractor.extract(text).to_json_dict()
    names = {o["name"] for o in data["organizations"]}
    assert "Sohna Kalan" not in names
    assert {"Hanbit Cathode Materials", "Orvana Steel Works", "Kolvani Motors"} <= names


def test_a_stay_in_one_city_keeps_its_meetings_there_but_not_a_virtual_one(extractor: Extractor) -> None:
    text = ("The Uttar Pradesh delegation arrived in Osaka on Monday for a three-day investment roadshow. "
            "The delegation held talks with Daikin Industries, which runs a large plant in Kyoto, on a new plant. "
            "The next day, the team met senior executives of Kubota Corporation to discuss farm machinery. "
            "On Wednesday, the delegation held a virtual meeting with Yamaha Motor Co., Ltd. on components.")
    data = extractor.extract(text).to_json_dict()
    cities = {n: e["city"] for e in data["engagements"] for n in e["counterparts"]}
    assert cities.get("Kubota Corporation") == "Osaka"
    assert cities.get("Yamaha Motor Co., Ltd.", "absent") is None
