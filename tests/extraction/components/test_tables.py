"""The tables component on spacy.blank("en"): columns by header words, TOTAL and cancelled rows."""

from __future__ import annotations

from investdesk.extraction.components.tables import Table, column_of, read_table, tables_in_text
from tests.extraction.components.conftest import Run

MOU_LIST = """MoUs signed at the Investors Summit

Company | Sector | Investment (Rs crore) | Employment | District
Aster Foods Pvt Ltd | Food processing | 1,200 | 2,500 | Kanpur Nagar
Brightwave Solar Ltd | Renewable energy | 850 | 400 | Jhansi
TOTAL | | 2,050 | 2,900 |

All MoUs were signed in the presence of the Chief Minister.
"""

MEETINGS = """Date | City | Company | Attendees
12 May | Osaka | Tanaka Electric Co. Ltd. | Mr. Ken Sato
13 May | Tokyo | Mori Tools | Ms. Aiko Mori
14 May | Nagoya | Hoshino Components | cancelled
"""


def test_header_words_in_english_and_variants() -> None:
    assert column_of("Name of the Investor") == "company"
    assert column_of("Proposed Investment (INR Cr.)") == "amount"
    assert column_of("Direct Employment") == "jobs"
    assert column_of("Project Location") == "district"
    assert column_of("Sector / Industry") == "sector"
    assert column_of("Remarks") == "status"
    assert column_of("Sl. No.") is None


def test_mou_rows_keep_their_own_amount_jobs_and_district() -> None:
    rows = [r for t in tables_in_text(MOU_LIST) for r in read_table(t)]
    assert [r.kind for r in rows] == ["mou", "mou", "mou"]
    aster, bright, total = rows
    assert aster.company == "Aster Foods Pvt Ltd" and aster.jobs == 2500 and aster.district == "Kanpur Nagar"
    assert aster.amount is not None and aster.amount.as_dict() == {"value": 1200.0, "currency": "INR",
                                                                    "unit": "crore"}
    assert bright.amount is not None and bright.amount.value == 850
    assert total.total and total.company is None


def test_row_offsets_point_at_the_row_lines() -> None:
    table = tables_in_text(MOU_LIST)[0]
    start, end = table.row_spans[0]
    assert MOU_LIST[start:end] == "Aster Foods Pvt Ltd | Food processing | 1,200 | 2,500 | Kanpur Nagar"


def test_meeting_rows_and_a_cancelled_one() -> None:
    rows = read_table(tables_in_text(MEETINGS)[0])
    assert [r.kind for r in rows] == ["meeting"] * 3
    assert (rows[0].company, rows[0].city, rows[0].date) == ("Tanaka Electric Co. Ltd.", "Osaka", "12 May")
    assert [r.cancelled for r in rows] == [False, False, True]


def test_component_prefers_the_readers_tables(run: Run) -> None:
    reader_table = Table(header=("Investor", "Amount (USD million)"), rows=(("Kora Motors", "300"),),
                         row_spans=((0, 10),))
    doc = run("Some text without any table.", "tables", tables=[reader_table])
    rows = doc._.table_rows
    assert len(rows) == 1 and rows[0].company == "Kora Motors"
    assert rows[0].amount is not None and rows[0].amount.as_dict() == {"value": 300.0, "currency": "USD",
                                                                        "unit": "million"}


def test_component_reads_pipe_tables_from_the_text(run: Run) -> None:
    doc = run(MOU_LIST, "tables")
    assert [r.company for r in doc._.table_rows] == ["Aster Foods Pvt Ltd", "Brightwave Solar Ltd", None]


MARKDOWN = """MoUs signed at the Investors Summit 2025, held at Khanapara, Guwahati
| # | Sector | Company | Investment (₹ crore) | Jobs | District |
|---|---|---|---|---|---|
| 1 | Tea & Food Processing | Brahma Tea Estates & Exports Ltd. | 320.00 | 2,400 | Dibrugarh |
| 2 |  | Kaza Agro Foods Pvt. Ltd. Regd. office: Mumbai | 145.50 (total) | 610 | Golaghat |
| Total (2 MoUs) |  |  | 465.50 | 3,010 |  |
"""


def test_markdown_tables_merged_sector_cells_and_notes_after_the_name() -> None:
    rows = [r for t in tables_in_text(MARKDOWN) for r in read_table(t)]
    assert [r.company for r in rows] == ["Brahma Tea Estates & Exports Ltd.", "Kaza Agro Foods Pvt. Ltd.", None]
    assert rows[1].sectors_text == "Tea & Food Processing"  # the merged cell above
    assert rows[1].amount is not None and rows[1].amount.value == 145.5
    assert rows[2].total


def test_company_names_without_the_notes_a_list_adds() -> None:
    from investdesk.extraction.components.tables import company_name

    assert company_name("Hanjin Green Steel Co., Ltd. Seoul-based; Indian arm: X Pvt. Ltd.") == \
        "Hanjin Green Steel Co., Ltd."
    assert company_name("Toyohashi Precision Electronics K.K. Headquartered in Aichi, Japan") == \
        "Toyohashi Precision Electronics K.K."
    assert company_name("Northwind Robotics (Pune)") == "Northwind Robotics"


def test_an_mou_list_is_one_signing_engagement_in_the_city_of_its_heading(run: Run) -> None:
    doc = run(MARKDOWN, "engagements")
    assert doc._.genre == "mou_list"
    signing = [e for e in doc._.engagements if len(e["counterparts"]) == 2]
    assert signing and signing[0]["city"] == "Guwahati"
    assert signing[0]["counterparts"] == ["Brahma Tea Estates & Exports Ltd.", "Kaza Agro Foods Pvt. Ltd."]
