"""Which column is which: headers matched to fields through synonym tables, whatever their case, spacing
or punctuation, with the amount's currency and unit read from the header when it states them
("MoU Value (Rs Cr)", "Investment (INR Crore)", "Value (USD mn)")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from investdesk import money
from investdesk.exchange.schemas import Entity, Problem

UNIT_WORDS = {
    "crore": "crore", "crores": "crore", "cr": "crore", "crs": "crore",
    "lakh": "lakh", "lakhs": "lakh", "lac": "lakh", "lacs": "lakh",
    "million": "million", "millions": "million", "mn": "million", "mln": "million", "mio": "million", "m": "million",
    "billion": "billion", "billions": "billion", "bn": "billion",
    "thousand": "thousand", "thousands": "thousand", "k": "thousand", "000": "thousand",
    "trillion": "trillion", "tn": "trillion",
    # Hindi sheets: "निवेश (करोड़ ₹)", "लागत (लाख रु.)"
    "करोड़": "crore", "करोड": "crore", "लाख": "lakh", "हज़ार": "thousand", "हजार": "thousand", "अरब": "billion",
    "मिलियन": "million", "बिलियन": "billion",
}
CURRENCY_WORDS = {
    "rs": "INR", "rupee": "INR", "rupees": "INR", "dollar": "USD", "dollars": "USD", "yen": "JPY", "euro": "EUR",
    "euros": "EUR", "dirham": "AED", "dirhams": "AED", "yuan": "CNY", "rmb": "CNY", "won": "KRW",
    "रुपये": "INR", "रुपए": "INR", "रुपया": "INR", "रु": "INR", "रू": "INR", "डॉलर": "USD", "येन": "JPY",
}
_SYMBOLS = (("us$", " usd "), ("$", " usd "), ("₹", " inr "), ("€", " eur "), ("£", " gbp "), ("¥", " jpy "))
_FILLERS = {"in", "the", "का", "की", "के", "में"}
_GROUPED = re.compile(r"[(\[{]([^)\]}]*)[)\]}]")
# Words of any script; a Devanagari word keeps its vowel signs, virama and nukta (marks, not letters, to ``\w``).
_TOKEN = re.compile(r"(?:[^\W_\u0900-\u097f]|[\u0900-\u0963\u0966-\u097f])+")


def _nfkc(words: dict[str, str]) -> dict[str, str]:
    """Keys as ``tokens`` sees them ("ज़" typed as one character or as "ज" and a nukta)."""
    return {unicodedata.normalize("NFKC", k): v for k, v in words.items()}


UNIT_WORDS = _nfkc(UNIT_WORDS)
CURRENCY_WORDS = _nfkc(CURRENCY_WORDS)


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # the header an export writes; the first synonym
    synonyms: tuple[str, ...]
    required: bool = False


def _field(key: str, *synonyms: str, required: bool = False) -> Field:
    return Field(key, synonyms[0], synonyms, required)


_TITLE = ("Title", "Project", "Project Name", "Project Title", "Name of Project", "Name of the Project", "MoU Title",
          "Subject", "Proposal", "परियोजना", "परियोजना का नाम", "परियोजना का शीर्षक", "प्रस्ताव", "शीर्षक", "विषय")
_ORG = ("Investor Name", "Investor", "Investors", "Name of Investor", "Company", "Company Name", "Name of Company",
        "Name of the Company", "Investor Company", "Party", "Parties", "Counterpart", "Organization", "Organisation",
        "Signatory", "निवेशक का नाम", "निवेशक", "निवेशकर्ता", "कंपनी", "कंपनी का नाम", "इकाई का नाम", "संस्था")
_COMMON = (
    _field("amount", "Amount", "Value", "MoU Value", "Investment", "Proposed Investment", "Investment Amount",
           "Investment Value", "MoU Amount", "Project Cost", "Project Value", "Capex", "Total Investment",
           "निवेश", "निवेश राशि", "प्रस्तावित निवेश", "कुल निवेश", "परियोजना लागत", "लागत", "राशि"),
    _field("currency", "Currency", "Ccy", "मुद्रा"),
    _field("unit", "Unit", "Units", "Amount Unit", "Value Unit", "Denomination", "इकाई"),
    _field("jobs", "Jobs", "Employment", "Employment Generation", "Proposed Employment", "Employment Potential",
           "Jobs Created", "Direct Employment", "No of Jobs", "Number of Jobs", "Job Creation", "Manpower",
           "रोज़गार", "रोजगार", "प्रस्तावित रोज़गार", "रोज़गार सृजन", "रोजगार सृजन"),
    _field("district", "District", "Project District", "District Name", "Location District", "Janpad",
           "ज़िला", "जिला", "जनपद", "ज़िले का नाम", "जिले का नाम", "जनपद का नाम"),
    _field("notes", "Notes", "Remarks", "Comments", "Note", "टिप्पणी", "अभ्युक्ति"),
)
# Columns an export writes for the reader (computed by InvestDesk) and serial numbers: read, never imported.
IGNORED = _field("ignored", "ID", "S No", "Sl No", "Sr No", "Serial No", "Serial Number", "INR crore (normalised)",
                 "INR crore (normalized)", "Pending", "क्रम संख्या", "क्रमांक", "क्र सं")

MOU_FIELDS: tuple[Field, ...] = (
    _field("id", "ID", "InvestDesk ID"),  # an export's own ids: those rows update their MoU, not a new one
    _field("version", "Version"),
    _field("title", *_TITLE, required=True),
    _field("parties", "Parties", *[s for s in _ORG if s != "Parties"]),
    *_COMMON,
    _field("sector", "Sector", "Industry", "Industry Sector", "Sector Name", "क्षेत्र", "सेक्टर", "उद्योग"),
    _field("department", "Department", "Dept", "Administrative Department", "Nodal Department", "Line Department",
           "विभाग", "नोडल विभाग", "प्रशासनिक विभाग"),
    _field("signed_date", "Signed On", "Date of Signing", "MoU Date", "Signing Date", "Date Signed", "Signed Date",
           "Date of MoU", "MoU Signed On", "MoU Signing Date", "Date", "हस्ताक्षर की तिथि", "हस्ताक्षर तिथि",
           "समझौता ज्ञापन की तिथि", "तिथि", "दिनांक"),
    _field("status", "Status", "Implementation Status", "MoU Status", "Current Status", "Project Status", "स्थिति",
           "वर्तमान स्थिति", "कार्यान्वयन की स्थिति"),
    _field("status_updated", "Status Updated", "Status Updated On", "Last Updated", "Last Status Update",
           "Status Date", "Updated On"),
    _field("nodal_officer", "Nodal Officer", "Nodal Officer Email", "Nodal Officer E-mail", "Nodal", "नोडल अधिकारी"),
    _field("account_manager", "Account Manager", "Account Manager Email", "Relationship Manager"),
    _field("reference", "Reference", "MoU No.", "MoU Number", "Reference No.", "Ref No.", "Ref", "MoU Ref",
           "MoU Reference", "MoU ID", "संदर्भ संख्या", "एमओयू संख्या"),
)
OPPORTUNITY_FIELDS: tuple[Field, ...] = (
    _field("id", "ID", "InvestDesk ID"),  # an export's own ids: those rows update their lead, not a new one
    _field("version", "Version"),
    _field("title", *_TITLE, "Opportunity", "Opportunity Title", "Lead", "Lead Title", required=True),
    _field("counterpart", "Counterpart", *[s for s in _ORG if s not in ("Counterpart", "Parties", "Signatory")]),
    *_COMMON,
    _field("sectors", "Sectors", "Sector", "Industry", "Industries", "क्षेत्र", "सेक्टर", "उद्योग"),
    _field("stage", "Stage", "Status", "Pipeline Stage", "Lead Stage", "Opportunity Stage", "चरण", "स्थिति"),
    _field("kind", "Kind", "Type", "Opportunity Type", "Lead Type", "Nature", "Type of Opportunity"),
    _field("country", "Country", "Investor Country", "Country of Origin", "Source Country", "Home Country", "देश"),
    _field("owner", "Owner", "Owner Email", "Lead Owner", "Assigned To", "Relationship Manager"),
    _field("next_action", "Next Action", "Next Step", "Next Steps", "Action", "Follow Up", "Action Required",
           "अगली कार्रवाई", "अनुवर्ती कार्रवाई"),
    _field("next_action_due", "Next Action Due", "Due Date", "Due", "Due On", "Follow Up Date", "Next Action Date",
           "Next Action Due Date", "नियत तिथि"),
    _field("stage_reason", "Reason", "Stage Reason", "Reason for Hold", "Hold Reason", "Drop Reason"),
)
FIELDS: dict[Entity, tuple[Field, ...]] = {"mou": MOU_FIELDS, "opportunity": OPPORTUNITY_FIELDS}
NOUNS: dict[Entity, str] = {"mou": "MoU", "opportunity": "lead"}


def tokens(text: str) -> list[str]:
    """Lower-case words of a header or cell, currency symbols spelled out ("$" -> "usd")."""
    s = unicodedata.normalize("NFKC", text).lower()
    for symbol, word in _SYMBOLS:
        s = s.replace(symbol, word)
    return _TOKEN.findall(s)


def currency_word(token: str) -> str | None:
    code = token.upper()
    return code if code in money.currencies() else CURRENCY_WORDS.get(token)


@dataclass(frozen=True)
class HeaderKey:
    key: str
    currency: str | None
    unit: str | None


def read_header(text: str) -> HeaderKey:
    """The matching key of a header (its words outside brackets, less currency, unit and filler words, run
    together) and the currency and unit it states anywhere."""
    s = unicodedata.normalize("NFKC", text)
    found: dict[str, str] = {}

    def words(part: str) -> str:
        kept = []
        for t in tokens(part):
            if t in UNIT_WORDS:
                found.setdefault("unit", UNIT_WORDS[t])
            elif (code := currency_word(t)) is not None:
                found.setdefault("currency", code)
            elif t not in _FILLERS:
                kept.append(t)
        return "".join(kept)

    outside = words(_GROUPED.sub(" ", s))
    inside = words(" ".join(_GROUPED.findall(s)))
    key = outside or inside
    if not key and found:  # "Rs Crore", "(USD mn)": a value column that says only its unit
        key = "amount"
    return HeaderKey(key, found.get("currency"), found.get("unit"))


def _keys(fields: Sequence[Field]) -> dict[str, Field]:
    out: dict[str, Field] = {}
    for f in (*fields, IGNORED):
        for synonym in f.synonyms:
            out.setdefault(read_header(synonym).key, f)
    return out


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as written in the file
    currency: str | None = None
    unit: str | None = None


@dataclass
class HeaderMap:
    entity: Entity
    row: int
    columns: dict[str, Column] = field(default_factory=dict)
    empty: list[int] = field(default_factory=list)  # columns with no header
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    derived_title: bool = False  # an MoU sheet without a title column: titles made from party and sector

    def header(self, key: str) -> str:
        """The column's header as written, or the field's label when the file has no such column."""
        column = self.columns.get(key)
        if column is not None:
            return column.header
        return next(f.label for f in FIELDS[self.entity] if f.key == key)


def is_header(cells: Sequence[object], entity: Entity) -> bool:
    """Whether a row names the title column (how the header row is told from a caption above it)."""
    keys = _keys(FIELDS[entity])
    found = {f.key for c in cells if isinstance(c, str) and (f := keys.get(read_header(c).key)) is not None}
    # An MoU register often has no title: investor, value, district, sector, date. Its party column and two
    # more known columns tell its header from a caption above it.
    return "title" in found or (entity == "mou" and "parties" in found and len(found - {"ignored"}) >= 3)


def match(cells: Sequence[object], entity: Entity, row: int) -> HeaderMap:
    """Map each header cell to a field; unknown columns are warnings, a missing title column or two columns
    for one field are problems."""
    fields = FIELDS[entity]
    keys = _keys(fields)
    out = HeaderMap(entity, row)
    for index, cell in enumerate(cells):
        header = "" if cell is None else str(cell).strip()
        if not header:
            out.empty.append(index)
            continue
        parsed = read_header(header)
        f = keys.get(parsed.key)
        if f is None:
            out.warnings.append(f"column {header!r} is not a {NOUNS[entity]} field and was ignored")
            continue
        if f is IGNORED:
            continue
        if f.key in out.columns:
            first = out.columns[f.key].header
            out.problems.append(Problem(row=row, column=header, problem=(
                f"gives the {f.label.lower()} as {first!r} does: keep one of the two columns")))
            continue
        out.columns[f.key] = Column(index, header, parsed.currency, parsed.unit)
    if entity == "mou" and "title" not in out.columns and "parties" in out.columns:
        out.warnings.append(f"no title column: each MoU is titled by its {out.columns['parties'].header.lower()} "
                            f"and sector")
        out.derived_title = True
    for f in fields:
        if f.required and f.key not in out.columns and not (f.key == "title" and out.derived_title):
            names = ", ".join(f.synonyms[:4])
            out.problems.append(Problem(row=row, column=f.label, problem=(
                f"no {f.label.lower()} column: name one {names} (or another usual name)")))
    if "amount" not in out.columns:
        for key in ("currency", "unit"):
            if key in out.columns:
                out.warnings.append(f"column {out.columns[key].header!r} was ignored: there is no amount column")
    return out
