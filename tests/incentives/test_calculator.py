"""Hand-worked examples per policy from the reference, with caps, exclusivity and validity dates exercised."""

from __future__ import annotations

import datetime as dt

from investdesk.incentives import loader
from tests.incentives.helpers import fig, run


def test_fdi_bundelkhand_35_percent_in_seven_instalments() -> None:
    # Reference §1: 35% in Bundelkhand on investment excluding land; seven annual instalments of at most ₹100 cr.
    r = run("fdi_fci_2023", sector="semiconductors", district="Jhansi", land=50, building=400, plant_machinery=600,
            foreign_share=0.26)
    assert r.status == "eligible"
    cap = fig(r, "capital_subsidy")
    assert cap.amount == 350.0 and cap.status == "computed"
    assert [i.amount for i in cap.schedule] == [50.0] * 7 and cap.cap_applied is None
    assert cap.rule.confidence == "verified" and {s.id for s in cap.rule.sources} == {"S1", "S2", "S8"}
    assert cap.rule.sources[0].url.startswith("https://")


def test_fdi_yearly_cap_bites_on_a_large_project() -> None:
    # ₹3,000 crore excluding land in Purvanchal: 35% = ₹1,050 crore, but at most ₹100 crore a year for 7 years.
    r = run("fdi_fci_2023", sector="automotive", district="Varanasi", building=1000, plant_machinery=2000,
            fortune500=True)
    cap = fig(r, "capital_subsidy")
    assert cap.amount == 700.0 and cap.schedule[0].amount == 100.0
    assert cap.cap_applied == "each instalment at most ₹100 crore"


def test_fdi_rates_by_region_and_unknown_region_value() -> None:
    gbn = run("fdi_fci_2023", sector="electronics", district="Gautam Buddh Nagar", land=100, building=500,
              plant_machinery=500, foreign_share=0.5)
    assert fig(gbn, "capital_subsidy").amount == 250.0  # 25% in GBN
    land = fig(gbn, "land_subsidy")
    assert land.status == "not_computed" and land.amount is None and "no figure" in land.explanation
    lko = run("fdi_fci_2023", sector="electronics", district="Lucknow", land=100, building=500,
              plant_machinery=500, foreign_share=0.5)
    assert fig(lko, "capital_subsidy").amount == 300.0  # 30% in Madhyanchal
    assert fig(lko, "land_subsidy").amount == 75.0 and fig(lko, "land_subsidy").rule.confidence == "inferred"


def test_fdi_needs_foreign_capital_and_the_minimum() -> None:
    domestic = run("fdi_fci_2023", sector="electronics", district="Lucknow", building=500, plant_machinery=500)
    assert domestic.status == "not_eligible"
    assert any(x.ok is False and "foreign share not given" in x.text for x in domestic.reasons)
    small = run("fdi_fci_2023", sector="electronics", district="Lucknow", building=50, foreign_share=0.9)
    assert small.status == "not_eligible" and any("minimum of ₹100 crore" in x.text for x in small.reasons)
    assert small.figures == []


def test_unknown_rules_never_produce_a_number() -> None:
    data = loader.load_dir(None)
    for pid, doc in data.policies.items():
        unknown = {i.id for i in doc.incentives if i.confidence.value == "unknown"}
        r = run(pid, sector="electronics" if pid != "gcc_2024" else "it_services", district="Jhansi",
                land=100, building=5000, plant_machinery=5000, jobs=5000, foreign_share=1.0, term_loan=500,
                as_of=dt.date(2024, 6, 1))
        for f in r.figures:
            if f.incentive_id in unknown:
                assert f.amount is None and f.status == "not_computed" and f.schedule == [], (pid, f.incentive_id)


def test_iiepp_umbrella_computes_nothing_and_says_why() -> None:
    r = run("iiepp_2022", sector="textiles", district="Kanpur Nagar", land=20, building=300, plant_machinery=400)
    assert r.status == "eligible" and r.category == "Super Mega (₹500–3,000 crore)"
    assert r.total == 0 and "no amount can be computed" in r.total_note
    assert fig(r, "capital_subsidy").status == "not_computed"
    ips = r.alternatives[0]
    assert {o.incentive_id for o in ips.options} == {"capital_subsidy", "net_sgst", "pli_topup"}
    assert ips.chosen is None
    # ₹200 crore is the lower bound of Mega (inclusive).
    assert run("iiepp_2022", sector="textiles", district="Agra", building=200).category == "Mega (₹200–500 crore)"


def test_semiconductor_conflicting_capital_subsidy_counts_the_lowest_reading() -> None:
    r = run("semiconductor_2024", sector="semiconductors", district="Gautam Buddh Nagar", land=300, building=1700,
            plant_machinery=3000, jobs=2000)
    cap = fig(r, "capital_subsidy")
    assert cap.rule.confidence == "conflicting"
    assert [x.amount for x in cap.readings] == [1250.0, 1875.0] and cap.amount == 1250.0
    assert fig(r, "land_subsidy").amount == 225.0
    assert fig(r, "interest_subsidy").status == "not_applicable"  # only up to ₹200 crore
    assert fig(r, "skilling").amount == 3.0 and len(fig(r, "skilling").schedule) == 5
    assert r.stacking is not None and r.stacking.ok is False
    assert r.total == 1250.0 + 225.0 + 3.0


def test_semiconductor_interest_subsidy_caps_per_year_and_choose_one() -> None:
    r = run("semiconductor_2024", sector="semiconductors", district="Lucknow",
            building=50, plant_machinery=100, term_loan=100)
    interest = fig(r, "interest_subsidy")
    # 5% of ₹100 crore = ₹5 crore a year, capped at ₹1 crore a year for 7 years.
    assert interest.amount == 7.0 and interest.cap_applied == "at most ₹1 crore a year"
    group = next(a for a in r.alternatives if a.id == "rd_or_coe")
    assert [o.incentive_id for o in group.options] == ["rd_centre", "coe"]
    assert all(not o.counted for o in group.options) and "cannot be computed" in group.note


def test_gcc_categories_caps_and_alternative() -> None:
    # Level-1 outside GBN/GZB by 500 jobs alone; capital subsidy 25%, at most ₹10 crore, in 7 instalments.
    r = run("gcc_2024", sector="it_services", district="Lucknow", building=10, plant_machinery=50, jobs=600)
    assert r.category == "Level-1 GCC"
    cap = fig(r, "capital_subsidy_level_1")
    assert cap.amount == 10.0 and cap.cap_applied == "capped at ₹10 crore" and len(cap.schedule) == 7
    group = r.alternatives[0]
    assert group.chosen == "capital_subsidy_level_1"
    assert {o.incentive_id for o in group.options} == {"capital_subsidy_level_1", "sgst_capital_goods"}
    # Payroll: sources conflict; the lower reading (₹1.2 lakh) counts: 600 × 0.012 = ₹7.2 crore a year, 3 years.
    payroll = fig(r, "payroll")
    assert payroll.amount == 21.6 and [x.amount for x in payroll.readings] == [32.4, 21.6]
    # Advanced in GBN needs ₹75 crore and 1,000 jobs.
    adv = run("gcc_2024", sector="it_services", district="Ghaziabad", building=80, jobs=1200)
    assert adv.category == "Advanced GCC" and fig(adv, "capital_subsidy_advanced").amount == 20.0
    assert run("gcc_2024", sector="it_services", district="Ghaziabad", building=19, jobs=100).status == "not_eligible"


def test_validity_dates_and_rule_versions() -> None:
    # Electronics 2020 ended (inferred) on 2025-07-31.
    late = run("electronics_2020", sector="electronics", district="Jhansi", building=500, plant_machinery=1500)
    assert late.status == "not_eligible" and "not in force on 2026-12-01" in late.reasons[0].text
    # In force in 2024: 15% of the first ₹1,000 crore; the extra 10% needs 3,000 jobs.
    r = run("electronics_2020", sector="electronics", district="Jhansi", building=500, plant_machinery=1500,
            term_loan=50, as_of=dt.date(2024, 1, 1))
    assert fig(r, "capital_subsidy").amount == 150.0 and fig(r, "capital_subsidy").cap_applied
    assert fig(r, "capital_subsidy_extra").status == "not_applicable"
    with_jobs = run("electronics_2020", sector="electronics", district="Jhansi", building=500, plant_machinery=1500,
                    jobs=3000, as_of=dt.date(2024, 1, 1))
    assert fig(with_jobs, "capital_subsidy_extra").amount == 100.0  # 10% of ₹1,000 crore, at most ₹100 crore
    # The interest subsidy changed on 2022-11-18: 7 years after, 5 before.
    assert fig(r, "interest_subsidy").amount == 7.0
    before = run("electronics_2020", sector="electronics", district="Jhansi", building=500, term_loan=50,
                 as_of=dt.date(2022, 1, 1))
    assert fig(before, "interest_subsidy").amount == 5.0
    assert run("fdi_fci_2023", sector="electronics", district="Jhansi", building=500, foreign_share=1,
               as_of=dt.date(2023, 10, 31)).status == "not_eligible"


def test_pharma_ev_data_centre_msme() -> None:
    pharma = run("pharma_2023", sector="pharmaceuticals", district="Lalitpur", land=10, building=100,
                 plant_machinery=400, term_loan=40)
    cap = fig(pharma, "capital_subsidy")  # 15% of ₹500 crore = ₹75 crore; reading B caps it at ₹30 crore
    assert [x.amount for x in cap.readings] == [75.0, 30.0] and cap.amount == 30.0 and len(cap.schedule) == 5
    assert fig(pharma, "interest_subsidy_bp").amount == 5.6  # 2% of ₹40 crore for 7 years, Bundelkhand only
    assert fig(run("pharma_2023", sector="pharmaceuticals", district="Agra", building=200, term_loan=40),
               "interest_subsidy_bp").status == "not_applicable"
    cells = run("ev_2022", sector="electric_mobility", district="Lucknow", building=500, plant_machinery=1500,
                capacity=5)
    assert cells.category == "Ultra Mega Battery (₹1,500 crore and 1 GWh)"
    assert fig(cells, "capital_subsidy_top").amount == 600.0 and len(fig(cells, "capital_subsidy_top").schedule) == 20
    ev = run("ev_2022", sector="electric_mobility", district="Lucknow", building=1000, plant_machinery=2500)
    assert ev.category == "Integrated EV project (₹3,000 crore)"
    assert fig(ev, "capital_subsidy_top").amount == 1000.0  # 30% of ₹3,500 crore capped at ₹1,000 crore
    assert run("ev_2022", sector="electric_mobility", district="Lucknow", building=500).status == "undetermined"
    dc = run("data_centre_2021", sector="data_centres", district="Gorakhpur", land=40, building=100,
             plant_machinery=500)
    assert fig(dc, "capital_subsidy").amount == 10.0 and fig(dc, "land_subsidy").amount == 20.0
    msme = run("msme_2022", sector="textiles", district="Banda", land=1, building=2, plant_machinery=5)
    assert msme.category == "Small (₹1–10 crore)" and fig(msme, "capital_subsidy_small").amount == 1.4
    assert run("msme_2022", sector="textiles", district="Banda", building=60).status == "not_eligible"
