"""What a reviewer may correct on an item before accepting it, with the vocabularies of the records it creates.

Each item kind has a form: the same choices as the record's own form (organization kinds, sides, lead kinds,
the pipeline's stages, sectors, districts, countries by name) and the lead form's amount ("USD 50 million",
"Rs 1,200 crore", or a number with a currency and a unit). :func:`parse` turns what was typed into the
item's payload, with a plain message beside each field that is wrong; nothing is changed when one is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from investdesk import money, places
from investdesk.errors import ValidationFailed
from investdesk.exchange import cells
from investdesk.i18n import N_, _
from investdesk.models.enums import OfferingKind, OpportunityKind, OrgKind, Side

# The stages a lead may be created at from a document (later ones need a reason or a signed MoU).
LEAD_STAGES = ("identified", "engaged", "interested", "mou_signed")
# The extraction's words for how far a talk went, in the pipeline's stages.
STAGES = {"discussed": "engaged", "interest_expressed": "interested", "mou_expected": "interested",
          "mou_signed": "mou_signed", "committed": "interested"}
UNITS = ("thousand", "lakh", "million", "crore", "billion", "trillion")
CHOICES: dict[str, tuple[str, ...]] = {
    "org_kind": tuple(k.value for k in OrgKind),
    "side": tuple(s.value for s in Side),
    "lead_kind": tuple(k.value for k in OpportunityKind if k is not OpportunityKind.enquiry),
    "stage": LEAD_STAGES,
    "offering_kind": tuple(k.value for k in OfferingKind),
}


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # text, list, choice, sectors, district, country, countries, date, whole, amount
    options: str | None = None  # for choice: a key of CHOICES
    required: bool = False
    hint: str | None = None


def _name(label: str = N_("Name")) -> Field:
    return Field("name", label, "text", required=True)


_TITLES = Field("titles", N_("Titles"), "list", hint=N_("Separate several with commas."))
FORMS: dict[str, tuple[Field, ...]] = {
    "organizations": (_name(), Field("acronym", N_("Acronym"), "text"),
                      Field("kind", N_("Kind"), "choice", "org_kind"), Field("country", N_("Country"), "country"),
                      Field("role", N_("Side"), "choice", "side")),
    "people": (_name(), Field("honorific", N_("Honorific"), "text"), _TITLES,
               Field("organization", N_("Organization"), "text"), Field("side", N_("Side"), "choice", "side")),
    "delegates": (_name(), Field("honorific", N_("Honorific"), "text"), _TITLES,
                  Field("organization", N_("Organization"), "text")),
    "mission": (_name(N_("Mission name")), Field("countries", N_("Countries visited"), "countries"),
                Field("cities", N_("Cities"), "list", hint=N_("Separate several with commas.")),
                Field("start_date", N_("From"), "date"), Field("end_date", N_("To"), "date")),
    "engagements": (Field("counterparts", N_("Counterparts"), "list", hint=N_("Separate several with commas.")),
                    Field("city", N_("City"), "text"), Field("venue", N_("Venue"), "text"),
                    Field("date", N_("Date"), "date"),
                    Field("sectors", N_("Sectors"), "sectors"),
                    Field("topics", N_("Topics"), "list", hint=N_("Separate several with commas."))),
    "opportunities": (Field("counterpart", N_("Investor (organization)"), "text", required=True),
                      Field("kind", N_("Kind"), "choice", "lead_kind"), Field("stage", N_("Stage"), "choice", "stage"),
                      Field("amount", N_("Proposed investment"), "amount",
                            hint=N_("As written, e.g. “USD 50 million” or “Rs 1,200 crore”.")),
                      Field("jobs", N_("Jobs"), "whole"), Field("location", N_("District of the project"), "district"),
                      Field("sectors", N_("Sectors"), "sectors")),
    "offerings": (_name(), Field("kind", N_("Kind"), "choice", "offering_kind")),
    "policies": (_name(),),
}


def stage_of(payload: Mapping[str, Any]) -> str:
    """The pipeline stage a lead item will be created at."""
    stage = str(payload.get("stage") or "discussed")
    return stage if stage in LEAD_STAGES else STAGES.get(stage, "engaged")


def shown(field: str, payload: Mapping[str, Any], typed: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The item's form: each field with the value to show (what was typed when the last try failed)."""
    out = []
    for f in FORMS.get(field, ()):
        if f.kind == "amount":
            a = payload.get("amount") or {}
            value: Any = {"value": "" if a.get("value") is None else f"{a['value']:g}",
                          "currency": a.get("currency") or "", "unit": a.get("unit") or ""}
            if typed is not None and "amount_value" in typed:
                value = {k: typed.get(f"amount_{k}", "") for k in ("value", "currency", "unit")}
        elif typed is not None and f.name in typed:
            value = typed[f.name]
        elif f.name == "stage":
            value = stage_of(payload)
        else:
            raw = payload.get(f.name)
            value = raw if f.kind in ("sectors", "countries") else (
                ", ".join(raw) if isinstance(raw, list) else ("" if raw is None else str(raw)))
        out.append({"f": f, "value": value})
    return out


def typed_values(field: str, form: Mapping[str, Any], getlist: Any) -> dict[str, Any]:
    """What the reviewer typed, as typed, to show again beside the messages. A field the form did not send
    stays as it is (a multiple choice sends nothing when emptied, so the form marks it present)."""
    out: dict[str, Any] = {}
    for f in FORMS.get(field, ()):
        if f.kind == "amount":
            if "f_amount_value" in form:
                for k in ("value", "currency", "unit"):
                    out[f"amount_{k}"] = str(form.get(f"f_amount_{k}") or "")
        elif f.kind in ("sectors", "countries"):
            if f"f_{f.name}" in form or f"has_{f.name}" in form:
                out[f.name] = [str(v) for v in getlist(f"f_{f.name}")]
        elif f"f_{f.name}" in form:
            out[f.name] = str(form.get(f"f_{f.name}") or "")
    return out


def _amount(value: str, currency: str, unit: str) -> dict[str, Any] | None:
    if not value.strip():
        return None
    try:
        number, cur, un = cells.amount(value)
        cur = cur or cells.currency(currency) or "INR"
        un = un or cells.unit(unit)
    except cells.CellError:
        raise ValueError(_("write an amount such as “USD 50 million”, “Rs 1,200 crore” or a number")) from None
    if number is None or number < 0:
        raise ValueError(_("write an amount such as “USD 50 million”, “Rs 1,200 crore” or a number"))
    try:
        money.normalise_amount(number, cur, un)
    except ValidationFailed:
        raise ValueError(_("there is no exchange rate for %(currency)s: choose another currency",
                           currency=cur)) from None
    return {"value": number, "currency": cur, "unit": un}


def _one(f: Field, raw: str, many: list[str], sector_ids: set[str]) -> Any:
    text = raw.strip()
    if f.kind == "list":
        return [v.strip() for v in text.split(",") if v.strip()]
    if f.kind == "sectors":
        unknown = [s for s in many if s not in sector_ids]
        if unknown:
            raise ValueError(_("choose sectors from the list"))
        return list(dict.fromkeys(many))
    if f.kind == "countries":
        try:
            return list(dict.fromkeys(c for c in (cells.country(v) for v in many) if c))
        except cells.CellError:
            raise ValueError(_("choose countries from the list")) from None
    if not text:
        if f.required:
            raise ValueError(_("this cannot be empty"))
        return None
    if f.kind == "choice":
        if text not in CHOICES[f.options or ""]:
            raise ValueError(_("choose one from the list"))
        return text
    if f.kind == "country":
        try:
            return cells.country(text)
        except cells.CellError:
            raise ValueError(_("choose a country from the list")) from None
    if f.kind == "district":
        try:
            return places.district(text)
        except ValidationFailed:
            raise ValueError(_("choose a district from the list")) from None
    if f.kind == "date":
        try:
            d = cells.day(text)
        except cells.CellError:
            raise ValueError(_("write a date such as 14 Feb 2025 or 14/02/2025")) from None
        return d.isoformat() if d else None
    if f.kind == "whole":
        try:
            n = cells.whole(text)
        except cells.CellError:
            raise ValueError(_("write a whole number, e.g. 1,200")) from None
        if n is not None and not 0 <= n <= 10_000_000:
            raise ValueError(_("write a number between 0 and 1,00,00,000"))
        return n
    return text


def parse(field: str, payload: Mapping[str, Any], typed: Mapping[str, Any], sector_ids: set[str]
          ) -> tuple[dict[str, Any], dict[str, str]]:
    """The changes to the payload, and a message per wrong field (then no change is to be made)."""
    edits: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in FORMS.get(field, ()):
        if ("amount_value" if f.kind == "amount" else f.name) not in typed:
            continue  # not in the form: unchanged
        try:
            if f.kind == "amount":
                value: Any = _amount(*(str(typed.get(f"amount_{k}") or "") for k in ("value", "currency", "unit")))
                old = payload.get("amount")
                if value is not None and old and all(old.get(k) == value[k] for k in value):
                    continue  # unchanged (the stored amount may carry more, such as its value in USD)
            else:
                raw = typed.get(f.name)
                value = _one(f, raw if isinstance(raw, str) else "", list(raw) if isinstance(raw, list) else [],
                             sector_ids)
                old = stage_of(payload) if f.name == "stage" else payload.get(f.name)
        except ValueError as exc:
            errors[f.name] = str(exc)[:1].upper() + str(exc)[1:] + "."
            continue
        if value != old and not (value in (None, []) and old in (None, [], "")):
            edits[f.name] = value
    return ({} if errors else edits), errors
