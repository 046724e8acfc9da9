"""Tables: an MoU list's rows and a meeting schedule's rows, read column by column.

Reads ``doc._.tables`` (the reader's tables: header, rows, caption, row_spans, ocr); when the reader
gives none, tables written in the text as lines of cells joined by " | " are read from ``doc._.text``.
Writes ``doc._.table_rows``: one :class:`TableRow` per data row, with the columns found by the words of
the header (``lexicons/table_headers.tsv``). A TOTAL row is kept (its amount belongs to nobody) but
flagged; a row marked cancelled or postponed is flagged too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from investdesk.extraction.components.money import Money, find_amounts, find_jobs
from investdesk.extraction.lexicon import EVENT_HEADS, cue, table_headers
from investdesk.extraction.normalize import clean_name

_TOTAL = cue("table_total")
_NO_MEETING = cue("itinerary_no_meeting")
_CANCELLED = cue("table_cancelled")
_NUMBER = re.compile(r"^\s*(?:about|approx\.?|~)?\s*(\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*\+?\s*"
                     r"(?:\([^)]*\)\s*)?$", re.I)
_HEADER_UNIT = re.compile(r"\b(lakh crores?|lakhs?|crores?|cr|million|mn|billion|bn|thousand)\b", re.I)
_HEADER_CURRENCY = {"rs": "INR", "inr": "INR", "₹": "INR", "rupees": "INR", "usd": "USD", "$": "USD",
                    "us$": "USD", "jpy": "JPY", "yen": "JPY", "eur": "EUR", "€": "EUR", "aed": "AED", "krw": "KRW",
                    "gbp": "GBP", "£": "GBP", "sgd": "SGD"}
_UNIT_NAMES = {"lakh": "lakh", "lakhs": "lakh", "crore": "crore", "crores": "crore", "cr": "crore",
               "million": "million", "mn": "million", "billion": "billion", "bn": "billion", "thousand": "thousand",
               "lakh crore": "trillion", "lakh crores": "trillion"}


@dataclass(frozen=True)
class Table:
    """The shape of the reader's table (``investdesk.extraction.readers.Table``), for text-drawn tables."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str | None = None
    row_spans: tuple[tuple[int, int], ...] = ()
    ocr: bool = False


@dataclass
class TableRow:
    kind: str                      # "mou" (company with amount, jobs or sector), "meeting" (date or city), "other"
    text: str                      # the row's line as written: the evidence
    start: int = 0                 # character offsets of the row's line in the document's text
    end: int = 0
    company: str | None = None
    sectors_text: str | None = None
    amount: Money | None = None
    jobs: int | None = None
    district: str | None = None
    city: str | None = None
    date: str | None = None
    attendees: str | None = None
    total: bool = False
    cancelled: bool = False
    cells: dict[str, str] = field(default_factory=dict)


def column_of(header_cell: str) -> str | None:
    """Which column a header cell names ("Name of the Investor" -> company, "Investment (Rs crore)" -> amount)."""
    words = re.sub(r"[^\w$₹€£ ]", " ", header_cell.lower()).split()
    text = " ".join(words)
    best: tuple[int, str] | None = None
    for column, cues in table_headers().items():
        for c in cues:
            if re.search(rf"(?<!\w){re.escape(c)}(?!\w)", text):
                # The longest cue wins: "project location" over "project cost", "name of company" over "name".
                if best is None or len(c) > best[0]:
                    best = (len(c), column)
    return best[1] if best else None


def _header_money(header_cell: str) -> tuple[str | None, str | None]:
    low = header_cell.lower()
    currency = next((code for word, code in _HEADER_CURRENCY.items()
                     if re.search(rf"(?<![\w$]){re.escape(word)}(?![\w])", low)), None)
    unit = _HEADER_UNIT.search(low)
    return currency, _UNIT_NAMES.get(unit.group(1).lower()) if unit else None


def _amount(cell: str, header_cell: str) -> Money | None:
    found = find_amounts(cell)
    if found:
        return found[0]
    m = _NUMBER.match(cell)
    currency, unit = _header_money(header_cell)
    if m and currency:  # "1,200" under "Investment (Rs crore)"
        return Money(value=float(m.group(1).replace(",", "")), currency=currency, unit=unit, start=0, end=0)
    word_unit = re.match(r"^\s*([\d.,]+)\s*(crores?|cr|lakhs?|million|mn|billion|bn)\b", cell, re.I)
    if word_unit and currency:
        return Money(value=float(word_unit.group(1).replace(",", "")), currency=currency,
                     unit=_UNIT_NAMES.get(word_unit.group(2).lower()), start=0, end=0)
    return None


def _jobs(cell: str) -> int | None:
    m = _NUMBER.match(cell)
    if m:
        return int(float(m.group(1).replace(",", "")))
    return find_jobs(cell + " jobs")


_LEGAL_END = re.compile(r"^(.*?\b(?:Pvt\.?\s*Ltd\.?|Pte\.?\s*Ltd\.?|Co\.,?\s*Ltd\.?|Ltd\.?|Limited|LLP|LLC|Inc\.?|"
                        r"K\.K\.|GmbH|AG|PLC|Corporation|Corp\.?|S\.A\.|B\.V\.|N\.V\.)(?=\s|,|;|$))")
_CELL_NOTE = re.compile(r"\s*(?:[;(]|\b(?:Regd|Registered|Headquartered|HQ|Head office|Indian arm)\b|"
                        r"\b[A-Z][\w ]*-based\b)")


def company_name(cell: str) -> str:
    """The company named in a cell, without the notes a list adds after it ("... Ltd. Regd. office: Mumbai")."""
    text = " ".join(cell.split())
    m = _LEGAL_END.match(text)
    if m:
        return clean_name(m.group(1))
    note = _CELL_NOTE.search(text)
    return clean_name(text[:note.start()] if note and note.start() > 0 else text)


_MEETING_LEAD = re.compile(r"^\s*(?:(?:business |courtesy |working |one-on-one |b2b )?(?:meeting|call|lunch|dinner|"
                           r"breakfast|visit|interaction|discussion|roundtable)s?\s*(?:with|at|to|on)?\s*[:–-]?\s*)",
                           re.I)


def meeting_counterpart(cell: str) -> str | None:
    """The organization a cell of an itinerary's meeting column names: "Meeting: Ericsson – Head of Sourcing"
    -> "Ericsson", "Working lunch with Business Sweden" -> "Business Sweden"; none for travel, briefings and
    the delegation's own events ("Internal briefing", "ICE 598", "Gujarat Investment Seminar")."""
    text = " ".join(cell.split())
    if not text or _NO_MEETING.match(text):
        return None
    with_ = re.search(r"\(?\bwith\s+(?=[A-Z])", text)
    if with_:
        text = text[with_.end():]
    else:
        text = _MEETING_LEAD.sub("", text, count=1)
    text = re.split(r"\s+[–—-]\s+|:\s|;|\s*\(", text)[0].rstrip(")").strip()
    words = text.split()
    if not words or not words[0][:1].isupper() or words[-1].lower().strip(".") in EVENT_HEADS or \
            any(w.lower() in {"seminar", "dinner", "reception", "lunch", "roundtable", "briefing"} for w in words):
        return None
    return company_name(text)


def read_table(table: Any) -> list[TableRow]:
    """The data rows of one table, each with the columns its header names."""
    header = [str(h) for h in getattr(table, "header", ())]
    columns = [column_of(h) for h in header]
    present = set(columns) - {None}
    if "company" in present and present & {"amount", "jobs", "sector", "district"} and \
            not present & {"date", "attendees"}:
        kind = "mou"
    elif present & {"company", "meeting"} and present & {"date", "city", "attendees"}:
        kind = "meeting"
    else:
        kind = "other"
    spans = list(getattr(table, "row_spans", ()) or ())
    out: list[TableRow] = []
    above: list[str] = []
    for k, cells in enumerate(getattr(table, "rows", ())):
        cells = [str(c).strip() for c in cells]
        # A sector cell spanning several rows is written once: the rows under it keep it.
        cells = [above[j] if not c and j < len(above) and j < len(columns) and columns[j] == "sector" else c
                 for j, c in enumerate(cells)]
        above = cells
        start, end = spans[k] if k < len(spans) else (0, 0)
        row = TableRow(kind=kind, text=" | ".join(cells), start=start, end=end)
        for col, head, cell in zip(columns, header, cells, strict=False):
            if col is None or not cell or cell in {"-", "–", "—", "NA", "N/A", "n/a"}:
                continue
            row.cells.setdefault(col, cell)
            if col == "company" and row.company is None:
                row.company = company_name(cell)
            elif col == "sector":
                row.sectors_text = cell
            elif col == "amount" and row.amount is None:
                row.amount = _amount(cell, head)
            elif col == "jobs" and row.jobs is None:
                row.jobs = _jobs(cell)
            elif col == "district":
                if kind == "meeting" and "city" not in present:
                    row.city = clean_name(cell)
                else:
                    row.district = clean_name(cell)
            elif col == "city":
                row.city = clean_name(re.sub(r"\s*\([^()]*\)", "", cell)) or None
            elif col == "meeting" and kind == "meeting" and "company" not in present and row.company is None:
                row.company = meeting_counterpart(cell)
            elif col == "date":
                row.date = cell
            elif col == "attendees":
                row.attendees = cell
        row.total = bool(cells) and any(_TOTAL.match(c) for c in cells[:2] if c)
        row.cancelled = any(_CANCELLED.search(c) for c in cells)
        if row.total:
            row.company = None
        out.append(row)
    return out


_RULE_LINE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _cells(line: str) -> list[str]:
    """Cells of a " | " line; a Markdown row's outer pipes ("| a | b |") hold no cells."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [c.strip() for c in body.split("|")]


def tables_in_text(text: str) -> list[Table]:
    """Tables written as lines of " | "-joined cells (header first; Markdown rule lines skipped), with each
    data row's offsets."""
    tables: list[Table] = []
    lines: list[tuple[int, int, str]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if _RULE_LINE.match(body) and lines:
            pass  # "|---|---|" under a Markdown header
        elif " | " in body or (body.strip().startswith("|") and body.count("|") >= 3):
            lines.append((pos, pos + len(body), body))
        else:
            if len(lines) >= 2:
                tables.append(_table_of(lines))
            lines = []
        pos += len(line)
    if len(lines) >= 2:
        tables.append(_table_of(lines))
    return tables


def _table_of(lines: list[tuple[int, int, str]]) -> Table:
    header = tuple(_cells(lines[0][2]))
    rows = tuple(tuple(_cells(body)) for _, _, body in lines[1:])
    return Table(header=header, rows=rows, row_spans=tuple((a, b) for a, b, _ in lines[1:]))


def table_rows(doc: Doc) -> list[TableRow]:
    tables = list(doc._.tables or ())
    if not tables:
        tables = tables_in_text(doc._.text if doc._.text is not None else doc.text)
    return [row for t in tables for row in read_table(t)]


@Language.factory("investdesk_tables")
def make_tables(nlp: Language, name: str) -> Any:
    def component(doc: Doc) -> Doc:
        doc._.table_rows = table_rows(doc)
        return doc

    return component


__all__ = ["Table", "TableRow", "column_of", "make_tables", "read_table", "table_rows", "tables_in_text"]
