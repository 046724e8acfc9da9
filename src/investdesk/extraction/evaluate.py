"""Scoring extractions against gold files, by the rules of the contract ("How an extraction is scored").

Each field is a set matched one-to-one: required gold items first, each taking the first unused
prediction that matches; items marked ``"optional": true`` in gold are neither rewarded nor
penalised (a prediction they take is not a false positive). Counts are summed over documents
(micro average); ``macro_f1`` is the mean of the eleven main fields' F1, each rounded to three
places first, as the reference scorer prints them. A prediction that cannot be scored (not an
object, or a field of the wrong shape) scores as an empty one and is listed in ``invalid``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from investdesk.extraction.normalize import acronym_key, norm, norm_org, norm_person

MAIN_FIELDS = ("delegates", "people", "organizations", "engagements_org", "engagements_org_city", "sectors",
               "policies", "offerings", "opportunities", "outcomes", "destinations")
SIDE_FIELDS = ("org_kind_acc", "org_role_acc", "opp_amount_acc", "home_acc")

Item = dict[str, Any]


# --- names -------------------------------------------------------------------------------------------------


def org_keys(name: Any, acronym: Any = None) -> set[str]:
    """Every form an organization may be matched by: its name, its acronym, and both halves of "Name (ACR)"."""
    keys = {norm_org(name)}
    if acronym:
        keys.add(norm_org(acronym))
    m = re.match(r"(.+?)\s*\(([^)]+)\)\s*$", name or "")
    if m:
        keys |= {norm_org(m.group(1)), norm_org(m.group(2))}
    return {k for k in keys if k}


def org_match(pred_name: Any, gold_keys: set[str], gold_name: Any) -> bool:
    """Same organization: a shared key, a near-identical spelling (>= 88), or one is the other's acronym."""
    p = norm_org(pred_name)
    if not p:
        return False
    if org_keys(pred_name) & gold_keys or any(fuzz.ratio(p, g) >= 88 for g in gold_keys):
        return True
    if " " not in p and len(p) >= 3 and p == acronym_key(gold_name):
        return True
    initials = acronym_key(pred_name)
    return len(initials) >= 3 and any(" " not in g and g == initials for g in gold_keys)


def person_match(a: Any, b: Any) -> bool:
    a, b = norm_person(a), norm_person(b)
    if not a or not b:
        return False
    return a == b or fuzz.ratio(a, b) >= 90 or fuzz.token_sort_ratio(a, b) >= 92


def name_match(a: Any, b: Any) -> bool:
    a, b = norm(a), norm(b)
    if not a or not b:
        return False
    return a == b or fuzz.token_set_ratio(a, b) >= 90


# --- counting ----------------------------------------------------------------------------------------------


@dataclass
class FieldScore:
    """Counts for one field; for the side accuracies ``tp`` is right and ``fn`` wrong."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        if self.tp + self.fp:
            return self.tp / (self.tp + self.fp)
        return 1.0 if self.fn == 0 else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: FieldScore) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {"p": round(self.precision, 3), "r": round(self.recall, 3), "f1": round(self.f1, 3),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Report:
    """Micro-averaged scores over all documents."""

    fields: dict[str, FieldScore] = field(default_factory=dict)
    docs: int = 0
    invalid: list[str] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        return round(sum(round(self.fields.get(f, FieldScore()).f1, 3) for f in MAIN_FIELDS) / len(MAIN_FIELDS), 3)

    @property
    def accuracies(self) -> dict[str, float]:
        """The side accuracies (organization kind and role, opportunity amount, home jurisdiction)."""
        return {k: round(self.fields[k].recall, 3) for k in SIDE_FIELDS if k in self.fields}

    def as_dict(self) -> dict[str, Any]:
        """The reference scorer's ``--json`` shape."""
        return {"docs": self.docs, "missing_or_invalid": list(self.invalid),
                "fields": {k: v.as_dict() for k, v in self.fields.items()}, "macro_f1": self.macro_f1}


@dataclass
class FieldErrors:
    """One field's errors in one document: gold items not found, and predictions that match none."""

    missed: list[Any] = field(default_factory=list)
    extra: list[Any] = field(default_factory=list)


def _optional(item: Any) -> bool:
    return isinstance(item, dict) and item.get("optional") is True


def match_sets(golds: Sequence[Any], preds: Sequence[Any], same: Callable[[Any, Any], Any],
               errors: FieldErrors | None = None) -> tuple[FieldScore, list[tuple[Any, Any]]]:
    """Greedy one-to-one matching, required gold items first; the counts and the matched required pairs.

    With ``errors``, the required gold items left unmatched go to its ``missed`` and the predictions
    left over to its ``extra``."""
    used: set[int] = set()
    score = FieldScore()
    pairs: list[tuple[Any, Any]] = []
    for g in sorted(golds, key=_optional):  # stable: required items keep their order, then the optional ones
        hit = next((j for j, p in enumerate(preds) if j not in used and same(g, p)), None)
        if hit is not None:
            used.add(hit)
            if not _optional(g):
                score.tp += 1
                pairs.append((g, preds[hit]))
        elif not _optional(g):
            score.fn += 1
            if errors is not None:
                errors.missed.append(g)
    score.fp = len(preds) - len(used)
    if errors is not None:
        errors.extra.extend(p for j, p in enumerate(preds) if j not in used)
    return score, pairs


def _unique(items: Iterable[Any], key: Callable[[Any], Any]) -> list[Any]:
    """First item of each non-empty key, in order."""
    seen: set[Any] = set()
    out = []
    for it in items:
        k = key(it)
        if k and k not in seen:
            seen.add(k)
            out.append(it)
    return out


def _accuracy(right: int, total: int) -> FieldScore:
    return FieldScore(tp=right, fn=total - right)


def _same_amount(gold: Item, pred: Item) -> bool:
    if not pred:
        return False
    # A value of 0 or null counts as -1, as the reference scorer does; a non-number makes the prediction invalid.
    value = float(pred.get("value") or -1)
    return (abs(value - float(gold["value"])) < 1e-6
            and (pred.get("currency") or "").upper() == (gold.get("currency") or "").upper()
            and (pred.get("unit") or None) == (gold.get("unit") or None))


def _flat_engagements(engagements: Any, is_gold: bool) -> list[Item]:
    """One item per (counterpart, city); a gold engagement's optional mark passes to its items."""
    return [{"org": c, "city": e.get("city"), **({"optional": True} if is_gold and _optional(e) else {})}
            for e in engagements or [] for c in e.get("counterparts", []) or []]


def score_document(gold: Item, pred: Item,
                   errors: dict[str, FieldErrors] | None = None) -> dict[str, FieldScore]:
    """The counts of one document; raises on a prediction of the wrong shape. With ``errors`` (a dict to
    fill), each main field's missed and extra items are recorded under its name."""
    out: dict[str, FieldScore] = {}

    def err(name: str) -> FieldErrors | None:
        return None if errors is None else errors.setdefault(name, FieldErrors())

    gold_orgs = gold.get("organizations", [])
    gold_index = [(org_keys(o["name"], o.get("acronym")), o["name"]) for o in gold_orgs]

    def resolve(name: Any) -> tuple[set[str], Any]:
        """The gold organization a name refers to (so an engagement may name it by acronym)."""
        for keys, gname in gold_index:
            if org_match(name, keys, gname) or norm_org(name) in keys:
                return keys, gname
        return org_keys(name), name

    for f in ("delegates", "people"):
        preds = _unique(pred.get(f, []) or [], lambda x: norm_person(x.get("name")))
        out[f], _ = match_sets(gold.get(f, []), preds, lambda g, p: person_match(g["name"], p.get("name")), err(f))

    def same_org(g: Item, p: Item) -> bool:
        keys = org_keys(g["name"], g.get("acronym"))
        return org_match(p.get("name"), keys, g["name"]) or bool(
            p.get("acronym") and org_match(p.get("acronym"), keys, g["name"]))

    preds = _unique(pred.get("organizations", []) or [], lambda x: norm_org(x.get("name")))
    out["organizations"], pairs = match_sets(gold_orgs, preds, same_org, err("organizations"))
    out["org_kind_acc"] = _accuracy(sum(g.get("kind") == p.get("kind") for g, p in pairs), len(pairs))
    out["org_role_acc"] = _accuracy(sum(g.get("role") == p.get("role") for g, p in pairs), len(pairs))

    def met(g: Item, p: Item) -> bool:
        return org_match(p["org"], *resolve(g["org"]))

    gold_eng = _flat_engagements(gold.get("engagements"), True)
    pred_eng = _unique(_flat_engagements(pred.get("engagements"), False),
                       lambda x: (norm_org(x["org"]), norm(x["city"])))
    out["engagements_org"], _ = match_sets(gold_eng, _unique(pred_eng, lambda x: norm_org(x["org"])), met,
                                           err("engagements_org"))
    out["engagements_org_city"], _ = match_sets(
        gold_eng, pred_eng, lambda g, p: met(g, p) and norm(g["city"]) == norm(p["city"]), err("engagements_org_city"))

    gold_sectors = [s if isinstance(s, dict) else {"id": s} for s in gold.get("sectors", [])]
    # Sorted as the reference does: ids of mixed types make the prediction invalid.
    pred_ids: set[Any] = {(x.get("id") if isinstance(x, dict) else x) for x in pred.get("sectors", []) or []} - {None}
    pred_sectors = sorted(pred_ids)
    out["sectors"], _ = match_sets(gold_sectors, pred_sectors, lambda g, p: g["id"] == p, err("sectors"))

    for f in ("policies", "offerings"):
        preds = _unique(pred.get(f, []) or [], lambda x: norm(x.get("name")))
        out[f], _ = match_sets(gold.get(f, []), preds, lambda g, p: name_match(g["name"], p.get("name")), err(f))

    def same_counterpart(g: Item, p: Item) -> bool:
        return bool(p.get("counterpart")) and org_match(p["counterpart"], *resolve(g["counterpart"]))

    out["opportunities"], pairs = match_sets(gold.get("opportunities", []), pred.get("opportunities", []) or [],
                                             same_counterpart, err("opportunities"))
    with_amount = [(g, p) for g, p in pairs if g.get("amount")]
    out["opp_amount_acc"] = _accuracy(sum(_same_amount(g["amount"], p.get("amount") or {}) for g, p in with_amount),
                                      len(with_amount))
    out["outcomes"], _ = match_sets(gold.get("outcomes", []), pred.get("outcomes", []) or [],
                                    lambda g, p: g.get("kind") == p.get("kind"), err("outcomes"))

    gold_dest = [{"c": d["country"], **({"optional": True} if _optional(d) else {})}
                 for d in gold.get("destinations", []) if d.get("country")]
    pred_dest = sorted({(d.get("country") or "").upper() for d in pred.get("destinations", []) or []
                        if d.get("country")})
    out["destinations"], _ = match_sets(gold_dest, pred_dest, lambda g, p: g["c"].upper() == p,
                                        err("destinations"))

    gold_home = (gold.get("home") or {}).get("jurisdiction")
    pred_home = (pred.get("home") or {}).get("jurisdiction")
    right = 1 if gold_home and pred_home and name_match(gold_home, pred_home) else 0
    out["home_acc"] = FieldScore(tp=right, fn=1 - right if gold_home else 0)
    return out


def score(pairs: Iterable[tuple[Item, Any]], *, names: Sequence[str] | None = None) -> Report:
    """Score (gold, prediction) pairs, given as parsed JSON; ``names`` label the invalid ones in the report."""
    report = Report()
    for i, (gold, pred) in enumerate(pairs):
        name = names[i] if names is not None and i < len(names) else str(i)
        if not isinstance(pred, dict):
            report.invalid.append(name)
            pred = {}
        try:
            counts = score_document(gold, pred)
        except Exception as exc:  # noqa: BLE001  a malformed prediction of any shape scores as an empty one
            report.invalid.append(f"{name} ({type(exc).__name__})")
            counts = score_document(gold, {})
        for k, v in counts.items():
            report.fields.setdefault(k, FieldScore()).add(v)
        report.docs += 1
    return report


__all__ = ["MAIN_FIELDS", "SIDE_FIELDS", "FieldErrors", "FieldScore", "Report", "match_sets",
           "name_match", "norm", "norm_org", "norm_person", "org_keys", "org_match", "person_match", "score",
           "score_document"]
