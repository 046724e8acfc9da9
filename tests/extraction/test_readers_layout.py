"""Structure-aware reading: tables where they stand (PDF, Word, HTML), running headers and footers removed,
merged and nested cells, list numbers, and the text limit."""

from __future__ import annotations

import pytest
from docx.enum.style import WD_STYLE_TYPE  # noqa: F401  (python-docx is what writes the Word files below)

from investdesk.extraction import read_document
from investdesk.extraction.readers import MAX_TEXT_CHARS, DocumentText, Table
from investdesk.extraction.readers.base import Layout
from investdesk.extraction.readers.cleaning import clean_text

from .documents import docx_bytes
from .layouts import docx_document, docx_save, pdf_with_tables, set_vmerge

INTRO = ("The Uttar Pradesh delegation led by the Industrial Development Minister met investors in Tokyo and "
         "Osaka during a week of meetings with pharmaceutical, electronics and automotive companies.")
OUTRO = ("Invest UP will follow up with each company before the Global Investors Summit in Lucknow, where the "
         "remaining memoranda are expected to be signed.")


def assert_layout(doc: DocumentText) -> None:
    """The fixed interface: each table's header line, then its data rows one per line at their row_spans,
    cells joined by " | ", a blank line before and after the table."""
    for table in doc.tables:
        assert len(table.row_spans) == len(table.rows)
        for row, (start, end) in zip(table.rows, table.row_spans, strict=True):
            assert all(len(row) == len(table.header) for row in table.rows)
            assert doc.text[start:end] == " | ".join(row).rstrip()
            assert start == 0 or doc.text[start - 1] == "\n"
            assert end == len(doc.text) or doc.text[end] == "\n"
        if table.row_spans:
            header_end = table.row_spans[0][0] - 1
            header_start = doc.text.rfind("\n", 0, header_end) + 1
            assert doc.text[header_start:header_end] == " | ".join(table.header).rstrip()
            assert header_start == 0 or doc.text[header_start - 2:header_start] == "\n\n"
            if table.caption:  # the caption is the line of prose just above the table
                assert doc.text[:header_start - 2].endswith(table.caption)
            last_end = table.row_spans[-1][1]
            assert last_end == len(doc.text) or doc.text[last_end:last_end + 2] == "\n\n"
    assert clean_text(doc.text) == doc.text


# --- PDF -----------------------------------------------------------------------------------------------------


def test_pdf_table_with_header_merged_and_empty_cells(tmp_path: pytest.TempPathFactory) -> None:
    rows = [["Company", "City", "Sector", "Investment"],
            ["Tanaka Electric Co. Ltd.", "Tokyo", "Rare-earth magnets", "Rs 500 crore"],
            ["Kansai Pharmaceutical Industries Association", "Osaka", None, None],  # merged across three
            ["Osaka Medtech KK", "", "Medical devices", ""]]  # empty cells
    data = pdf_with_tables([INTRO, rows, OUTRO], title="Japan")  # one page: its "Page 1 of 1" goes
    doc = read_document(data=data, filename="roadshow.pdf")
    (table,) = doc.tables
    assert table.header == ("Company", "City", "Sector", "Investment")
    assert table.rows == (("Tanaka Electric Co. Ltd.", "Tokyo", "Rare-earth magnets", "Rs 500 crore"),
                          ("Kansai Pharmaceutical Industries Association", "Osaka", "", ""),
                          ("Osaka Medtech KK", "", "Medical devices", ""))
    assert doc.text.split("\n\n") == [
        INTRO, "Company | City | Sector | Investment\n"
        "Tanaka Electric Co. Ltd. | Tokyo | Rare-earth magnets | Rs 500 crore\n"
        "Kansai Pharmaceutical Industries Association | Osaka |  |\n"
        "Osaka Medtech KK |  | Medical devices |", OUTRO]
    assert_layout(doc)


def test_pdf_table_across_pages_is_one_table_and_page_furniture_goes(tmp_path: pytest.TempPathFactory) -> None:
    rows = [["No.", "Company", "Country", "Amount"]] + [
        [str(i), f"Partner Company {i} Ltd", "Japan" if i % 2 else "Korea", f"Rs {100 + i} crore"] for i in range(70)]
    paragraphs = [f"Meeting {i}: the delegation discussed plant number {i} in district {i} with its officials, "
                  f"who asked for land near the expressway and a single-window clearance." for i in range(12)]
    data = pdf_with_tables([INTRO, rows, *paragraphs, OUTRO], header="Invest UP | Japan Roadshow Report 2024")
    doc = read_document(data=data, filename="long.pdf")
    (table,) = doc.tables
    assert len(table.rows) == 70 and table.rows[69] == ("69", "Partner Company 69 Ltd", "Japan", "Rs 169 crore")
    assert "Japan Roadshow Report" not in doc.text and "Page " not in doc.text
    for p in paragraphs:  # whole sentences, never glued to a header or a page number
        assert p in doc.text.splitlines()
    assert doc.text.endswith(OUTRO)
    assert_layout(doc)


def test_pdf_table_continued_without_its_header_joins_by_its_columns() -> None:
    rows = [["No.", "Company", "Country", "Amount"]] + [
        [str(i), f"Partner Company {i} Ltd", "Japan", f"Rs {100 + i} crore"] for i in range(60)]
    data = pdf_with_tables([INTRO, rows, OUTRO], header="Invest UP | Roadshow", repeat_header=False)
    doc = read_document(data=data, filename="continued.pdf")
    (table,) = doc.tables
    assert [r[0] for r in table.rows] == [str(i) for i in range(60)]
    assert_layout(doc)


def test_pdf_cell_wrapped_at_a_hyphen_is_one_word() -> None:
    from investdesk.extraction.readers.pdf import _cell_lines

    assert _cell_lines("Consulate General of India, Osaka-\nKobe") == "Consulate General of India, Osaka-Kobe"
    assert _cell_lines("a devel-\nopment\nplan") == "a development plan"
    assert _cell_lines(None) == ""


def test_ocr_blank_line_inside_a_sentence_goes() -> None:
    from investdesk.extraction.readers.ocr import ocr_lines

    assert ocr_lines("This MoU shall\n\nremain in force.\n\nSigned at Lucknow.") == [
        "This MoU shall", "remain in force.", "", "Signed at Lucknow."]


def test_two_tables_of_one_page_stay_two() -> None:
    first = [["City", "Meetings"], ["Tokyo", "4"], ["Osaka", "3"]]
    second = [["Sector", "Companies"], ["Pharma", "2"], ["Electronics", "5"]]
    doc = read_document(data=pdf_with_tables([INTRO, first, "By sector:", second]), filename="two.pdf")
    assert [t.header for t in doc.tables] == [("City", "Meetings"), ("Sector", "Companies")]
    assert "\n\nBy sector:\n\n" in doc.text
    assert_layout(doc)


# --- Word ----------------------------------------------------------------------------------------------------


def test_docx_tables_in_document_order_with_merged_and_nested_cells() -> None:
    document = docx_document()
    document.add_paragraph(INTRO)
    table = document.add_table(rows=4, cols=3)
    for r, row in enumerate([["Company", "Sector", "Amount"], ["Tanaka Electric", "Magnets", "Rs 500 crore"],
                             ["", "Motors", "Rs 200 crore"], ["Summit total", "", ""]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    set_vmerge(table.cell(1, 0), restart=True)  # "Tanaka Electric" merged down over the next row
    set_vmerge(table.cell(2, 0), restart=False)
    table.cell(3, 1).merge(table.cell(3, 2))  # gridSpan across two columns
    table.cell(3, 1).paragraphs[0].text = "Rs 700 crore"
    nested = table.cell(2, 1).add_table(rows=2, cols=2)  # a table inside a cell
    for r, row in enumerate([["Plant", "Noida"], ["Jobs", "1,200"]]):
        for c, value in enumerate(row):
            nested.cell(r, c).text = value
    document.add_paragraph(OUTRO)
    doc = read_document(data=docx_save(document), filename="trip.docx")
    (read,) = doc.tables
    assert read.header == ("Company", "Sector", "Amount")
    assert read.rows == (("Tanaka Electric", "Magnets", "Rs 500 crore"),
                         ("Tanaka Electric", "Motors Plant / Noida; Jobs / 1,200", "Rs 200 crore"),
                         ("Summit total", "Rs 700 crore", ""))
    assert doc.text.startswith(INTRO + "\n\nCompany | Sector | Amount\n") and doc.text.endswith("\n\n" + OUTRO)
    assert_layout(doc)


def test_docx_list_numbers_and_no_headers_or_footers() -> None:
    document = docx_document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "CONFIDENTIAL - Invest UP letterhead"
    section.footer.paragraphs[0].text = "Page 1"
    document.add_paragraph("Next steps agreed:")
    for step in ("Site visit to the Noida plant.", "Land allotment by YEIDA.", "MoU at the summit."):
        document.add_paragraph(step, style="List Number")
    document.add_paragraph("Attendees:")
    document.add_paragraph("Vijay Kiran Anand, CEO, Invest UP", style="List Bullet")
    doc = read_document(data=docx_save(document), filename="steps.docx")
    assert doc.text.splitlines() == ["Next steps agreed:", "1. Site visit to the Noida plant.",
                                     "2. Land allotment by YEIDA.", "3. MoU at the summit.", "Attendees:",
                                     "\u2022 Vijay Kiran Anand, CEO, Invest UP"]
    assert "CONFIDENTIAL" not in doc.text and "Page 1" not in doc.text


def test_docx_one_cell_layout_box_is_prose() -> None:
    doc = read_document(data=docx_bytes(["Before."], [["A boxed note about the visit."]], after=["After."]),
                        filename="box.docx")
    assert doc.tables == () and doc.text == "Before.\nA boxed note about the visit.\nAfter."


# --- HTML ----------------------------------------------------------------------------------------------------

SPANNING = """<!DOCTYPE html><html><head><title>MoUs signed in Tokyo | State News</title></head><body>
<header><nav><a href='/'>Home</a> <a href='/business'>Business</a> <a href='/world'>World</a></nav></header>
<main><article><h1>MoUs signed in Tokyo</h1><p>{intro}</p>
<table><caption>MoUs signed</caption>
<thead><tr><th rowspan="2">Company</th><th colspan="2">Investment</th></tr><tr><th>Amount</th><th>Year</th></tr></thead>
<tbody><tr><td rowspan="2">Tanaka Electric</td><td>Rs 500 crore</td><td>2025</td></tr>
<tr><td>Rs 200 crore</td><td>2026</td></tr>
<tr><td>Osaka Pharma</td><td colspan="2">to be announced</td></tr></tbody></table>
<p>{outro}</p></article></main>
<div id="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
<footer>Copyright 2024 State News. All rights reserved.</footer></body></html>"""


def test_html_table_with_rowspan_and_colspan_where_it_stands() -> None:
    doc = read_document(data=SPANNING.format(intro=INTRO, outro=OUTRO).encode(), filename="mous.html")
    (table,) = doc.tables
    assert table.caption == "MoUs signed"
    assert table.header == ("Company", "Investment Amount", "Investment Year")  # two header rows as one
    assert table.rows == (("Tanaka Electric", "Rs 500 crore", "2025"), ("Tanaka Electric", "Rs 200 crore", "2026"),
                          ("Osaka Pharma", "to be announced", ""))
    before, rest = doc.text.split("\nMoUs signed\n\nCompany | Investment Amount | Investment Year\n")
    assert before.endswith(INTRO) and rest.endswith("\n\n" + OUTRO)
    for junk in ("Home", "cookies", "Copyright"):
        assert junk not in doc.text
    assert_layout(doc)


def test_html_table_without_th_takes_its_first_row_as_header() -> None:
    page = (f"<html><body><article><p>{INTRO}</p><table><tr><td>City</td><td>Meetings</td></tr>"
            f"<tr><td>Tokyo</td><td>4</td></tr><tr><td>Osaka</td><td>3</td></tr></table><p>{OUTRO}</p>"
            f"</article></body></html>")
    doc = read_document(data=page.encode(), filename="plain.html")
    assert [(t.header, t.rows) for t in doc.tables] == [(("City", "Meetings"), (("Tokyo", "4"), ("Osaka", "3")))]
    assert_layout(doc)


@pytest.mark.parametrize("page", [
    "<html><head><title>State News</title></head><body><header><nav><a href='/'>Home</a> <a href='/b'>Business</a>"
    "</nav></header><div class='cookie-consent'>We use cookies to give you the best experience on our site. "
    "<button>Accept all</button></div><div class='related-stories'><h3>Related stories</h3><ul>"
    + "".join(f"<li><a href='/s{i}'>Story number {i} about investment in the state</a></li>" for i in range(8))
    + "</ul></div><footer><a href='/about'>About us</a> <a href='/privacy'>Privacy</a> Copyright 2024</footer>"
    "</body></html>",
    "<html><body><nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav></body></html>",
    "<html><body><table><tr><td><a href='/a'>Link one</a></td><td><a href='/b'>Link two</a></td></tr></table>"
    "</body></html>",
])
def test_boilerplate_only_page_gives_little_or_no_text(page: str) -> None:
    doc = read_document(data=page.encode(), filename="menu.html")
    assert len(doc.text) < 80, doc.text
    assert "cookies" not in doc.text and "Story number" not in doc.text


# --- the text limit ------------------------------------------------------------------------------------------


def test_text_over_the_limit_is_cut_at_a_line_end_and_flagged() -> None:
    line = "Alpha Marine plans an investment of Rs 400 crore in the Kochi facility.\n"
    doc = read_document(data=(line * 200).encode(), filename="long.txt", max_chars=1000)
    assert doc.truncated and len(doc.text) <= 1000 and doc.text.endswith("Kochi facility.")
    assert not read_document(data=(line * 2).encode(), filename="short.txt").truncated
    assert MAX_TEXT_CHARS == 2_000_000


def test_layout_cut_inside_a_table_keeps_whole_rows() -> None:
    layout = Layout()
    layout.prose(INTRO)
    layout.table([["City", "Meetings"]] + [[f"City {i}", str(i)] for i in range(100)])
    text, tables, cut = layout.build(len(INTRO) + 200)
    (table,) = tables
    assert cut and 0 < len(table.rows) < 100 and len(text) <= len(INTRO) + 200
    assert [text[a:b] for a, b in table.row_spans] == [" | ".join(r) for r in table.rows]
    assert isinstance(table, Table)


def test_html_reads_without_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken trafilatura install (its import fails) leaves the plain reading, tables included."""
    import sys

    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import trafilatura now raises ImportError
    doc = read_document(data=SPANNING.format(intro=INTRO, outro=OUTRO).encode(), filename="mous.html")
    assert INTRO in doc.text and OUTRO in doc.text and doc.title == "MoUs signed in Tokyo | State News"
    assert [t.header for t in doc.tables] == [("Company", "Investment Amount", "Investment Year")]
    assert "cookies" not in doc.text and "Home" not in doc.text
    assert_layout(doc)
