"""Header matching and cell reading: pure functions, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from investdesk.exchange import cells, headers
from investdesk.exchange.cells import CellError
from investdesk.models.enums import MouStatus, OpportunityKind


def _field(header: str, entity: headers.Entity = "mou") -> tuple[str | None, str | None, str | None]:
    mapped = headers.match([header], entity, row=1)
    if not mapped.columns:
        return None, None, None
    key, column = next(iter(mapped.columns.items()))
    return key, column.currency, column.unit


@pytest.mark.parametrize("header, expected", [
    ("MoU Value (Rs Cr)", ("amount", "INR", "crore")),
    ("Investment (INR Crore)", ("amount", "INR", "crore")),
    ("Amount (Rs lakh)", ("amount", "INR", "lakh")),
    ("Value (USD mn)", ("amount", "USD", "million")),
    ("Investment in $ million", ("amount", "USD", "million")),
    ("Proposed Investment (₹ crore)", ("amount", "INR", "crore")),
    ("Rs. Crore", ("amount", "INR", "crore")),
    ("Amount", ("amount", None, None)),
    ("Currency", ("currency", None, None)),
    ("Project", ("title", None, None)),
    ("  PROJECT   NAME ", ("title", None, None)),
    ("project_name", ("title", None, None)),
    ("MoU Title", ("title", None, None)),
    ("Investor Name", ("parties", None, None)),
    ("Company", ("parties", None, None)),
    ("Employment Generation", ("jobs", None, None)),
    ("Jobs (Nos.)", ("jobs", None, None)),
    ("Date of Signing", ("signed_date", None, None)),
    ("MoU Date", ("signed_date", None, None)),
    ("Signed On", ("signed_date", None, None)),
    ("MoU No.", ("reference", None, None)),
    ("Nodal Officer E-mail", ("nodal_officer", None, None)),
    ("Implementation Status", ("status", None, None)),
])
def test_mou_headers_and_units(header: str, expected: tuple[str, str | None, str | None]) -> None:
    assert _field(header) == expected


@pytest.mark.parametrize("header, key", [
    ("Status", "stage"), ("Investor", "counterpart"), ("Due Date", "next_action_due"),
    ("Next Action Due", "next_action_due"), ("Type", "kind"), ("Country", "country"), ("Owner", "owner"),
    ("Reason", "stage_reason"), ("Sector", "sectors"),
])
def test_opportunity_headers(header: str, key: str) -> None:
    assert _field(header, "opportunity")[0] == key


def test_unknown_column_is_a_warning_serial_numbers_are_skipped_missing_title_is_a_problem() -> None:
    mapped = headers.match(["S. No.", "District", "Colour of the file", None, "INR crore (normalised)"], "mou", 3)
    assert list(mapped.columns) == ["district"]
    assert mapped.warnings == ["column 'Colour of the file' is not a MoU field and was ignored"]
    assert [(p.row, p.column) for p in mapped.problems] == [(3, "Title")]
    assert "no title column" in mapped.problems[0].problem


def test_two_columns_for_one_field_is_a_problem() -> None:
    mapped = headers.match(["Project", "Title"], "mou", 1)
    assert [(p.row, p.column) for p in mapped.problems] == [(1, "Title")]
    assert "'Project'" in mapped.problems[0].problem


@pytest.mark.parametrize("value", [
    dt.datetime(2024, 1, 12), dt.date(2024, 1, 12), "2024-01-12", "12-01-2024", "12/01/2024", "12.01.2024",
    "12 Jan 2024", "12 January 2024", "12-Jan-2024", "12-Jan-24", "Jan 12, 2024", "12th Jan 2024",
    "2024-01-12 00:00:00", 45303,
])
def test_date_forms(value: object) -> None:
    assert cells.day(value) == dt.date(2024, 1, 12)


@pytest.mark.parametrize("value, message", [
    ("31/02/2024", "'31/02/2024' is not a date"),
    ("01/31/2024", "dates are read day first (DD/MM/YYYY) and 31 is not a month"),
    (2024, "2024 is a number, not a date"),
    ("soon", "'soon' is not a date"),
])
def test_bad_dates(value: object, message: str) -> None:
    with pytest.raises(CellError, match=message.replace("(", r"\(").replace(")", r"\)")):
        cells.day(value)


@pytest.mark.parametrize("value, expected", [
    ("1,200.50", 1200.5), ("12,00,000", 1200000.0), (" 300 ", 300.0), (42, 42.0), ("(300)", -300.0), ("-", None),
    ("NA", None), (None, None),
])
def test_numbers(value: object, expected: float | None) -> None:
    assert cells.number(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("Rs 1,200 crore", (1200.0, "INR", "crore")), ("$50 mn", (50.0, "USD", "million")),
    ("USD 3.5 bn", (3.5, "USD", "billion")), ("1,200.50", (1200.5, None, None)), (7, (7.0, None, None)),
])
def test_amount_cells(value: object, expected: tuple[float, str | None, str | None]) -> None:
    assert cells.amount(value) == expected


def test_cells_that_do_not_read() -> None:
    with pytest.raises(CellError, match="is not a whole number"):
        cells.whole("1.5")
    with pytest.raises(CellError, match="Excel error"):
        cells.text("#REF!")
    with pytest.raises(CellError, match="'1,200 apples' is not an amount"):
        cells.amount("1,200 apples")
    with pytest.raises(CellError, match="not a status: use one of signed, land_identified"):
        cells.choice("half built", MouStatus, cells.STATUS_WORDS, "status")


def test_enum_words_and_countries() -> None:
    assert cells.choice("Land Allotted", MouStatus, cells.STATUS_WORDS, "status") is MouStatus.land_allotted
    assert cells.choice("Under Construction", MouStatus, cells.STATUS_WORDS, "status") is MouStatus.construction
    assert cells.choice("R&D Centre", OpportunityKind, cells.KIND_WORDS, "kind") is OpportunityKind.rnd_centre
    assert cells.country("Japan") == "JP" and cells.country("kr") == "KR" and cells.country("South Korea") == "KR"
    assert cells.names("Sakura Battery; Tanaka Electric Co., Ltd.\nSAKURA BATTERY") == [
        "Sakura Battery", "Tanaka Electric Co., Ltd."]
