"""Scoring extractions against gold files, by the rules of the contract.

Each field is a set matched one-to-one (required gold items first, each taking the first unused
prediction that matches); items marked ``"optional": true`` in gold are neither rewarded nor
penalised. Precision, recall and F1 are summed over documents (micro average); ``macro_f1`` is the
mean F1 of the eleven main fields.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

MAIN_FIELDS = ("delegates", "people", "organizations", "engagements_org", "engagements_org_city", "sectors",
               "policies", "offerings", "opportunities", "outcomes", "destinations")
_HONORIFICS = {"dr", "mr", "mrs", "ms", "shri", "smt", "prof", "hon", "sri", "sir", "h.e", "he"}
_HONORIFIC_PHRASES = re.compile(r"\b(his|her) (royal )?(excellency|highness)\b|\b(the )?hono(u)?rable\b|\bhon ble\b|"
                                r"\btan sri\b|\bdatuk seri\b|\bdato seri\b|\bdato sri\b|\bdatuk\b|\bdato\b|\bphd\b")
_SUFFIXES = {"co", "ltd", "inc", "corp", "corporation", "limited", "pvt", "private", "llc", "plc", "gmbh", "kk",
             "k.k", "company"}
_DASHES = str.maketrans({"\u2019": "'", "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u2010": "-"})


def norm(text: Any) -> str:
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).lower().translate(_DASHES)
    s = re.sub(r"'s\b", "", s)
    words = re.sub(r"[^\w&\s-]", " ", s).split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def norm_person(text: Any) -> str:
    s = _HONORIFIC_PHRASES.sub(" ", norm(text).replace("'", " "))
    return " ".join(w for w in s.split() if w.strip(".") not in _HONORIFICS)


def norm_org(text: Any) -> str:
    return " ".join(w for w in norm(text).split() if w.strip(".,") not in _SUFFIXES)


def _initials(text: Any) -> str:
    words = [w for w in re.split(r"[\s-]+", norm_org(text)) if w and w not in {"of", "and", "&", "for", "the", "in"}]
    return "".join(w[0] for w in words)


def org_keys(name: Any, acronym: Any = None) -> set[str]:
    keys = {norm_org(name), norm_org(acronym) if acronym else ""}
    m = re.match(r"(.+?)\s*\(([^)]+)\)\s*$", name or "")
    if m:
        keys |= {norm_org(m.group(1)), norm_org(m.group(2))}
    return {k for k in keys if k}


def org_match(pred: Any, gold_keys: set[str], gold_name: str) -> bool:
    p = norm_org(pred)
    if not p:
        return False
    if org_keys(pred) & gold_keys or any(fuzz.ratio(p, g) >= 88 for g in gold_keys):
        return True
    if " " not in p and len(p) >= 3 and p == _initials(gold_name):
        return True
    initials = _initials(pred)
    return len(initials) >= 3 and any(" " not in g and g == initials for g in gold_keys)


def person_match(a: Any, b: Any) -> bool:
    a, b = norm_person(a), norm_person(b)
    return bool(a and b) and (a == b or fuzz.ratio(a, b) >= 90 or fuzz.token_sort_ratio(a, b) >= 92)


def name_match(a: Any, b: Any) -> bool:
    a, b = norm(a), norm(b)
    return bool(a and b) and (a == b or fuzz.token_set_ratio(a, b) >= 90)


def _optional(item: Any) -> bool:
    return isinstance(item, dict) and item.get("optional") is True


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if self.fn == 0 else 0.0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def match(golds: list[Any], preds: list[Any], same: Callable[[Any, Any], bool]) -> tuple[int, int, int, list[Any]]:
    """One-to-one greedy matching; returns tp, fp, fn and the matched (gold, prediction) pairs."""
    used: set[int] = set()
    tp = fn = 0
    pairs = []
    for g in sorted(golds, key=_optional):
        hit = next((j for j, p in enumerate(preds) if j not in used and same(g, p)), None)
        if hit is not None:
            used.add(hit)
            if not _optional(g):
                tp += 1
                pairs.append((g, preds[hit]))
        elif not _optional(g):
            fn += 1
    return tp, len(preds) - len(used), fn, pairs


def _unique(items: Iterable[Any], key: Callable[[Any], Any]) -> list[Any]:
    seen, out = set(), []
    for it in items:
        k = key(it)
        if k and k not in seen:
            seen.add(k)
            out.append(it)
    return out


@dataclass
class Report:
    fields: dict[str, Tally] = field(default_factory=dict)
    docs: int = 0

    def add(self, name: str, tp: int, fp: int, fn: int) -> None:
        t = self.fields.setdefault(name, Tally())
        t.tp, t.fp, t.fn = t.tp + tp, t.fp + fp, t.fn + fn

    @property
    def macro_f1(self) -> float:
        return round(sum(self.fields.get(f, Tally()).prf()[2] for f in MAIN_FIELDS) / len(MAIN_FIELDS), 3)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"docs": self.docs, "fields": {}, "macro_f1": self.macro_f1}
        for name, t in self.fields.items():
            p, r, f = t.prf()
            out["fields"][name] = {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "tp": t.tp, "fp": t.fp,
                                   "fn": t.fn}
        return out


def score_document(gold: dict[str, Any], pred: dict[str, Any], report: Report) -> None:
    report.docs += 1
    gorgs = gold.get("organizations", [])
    index = [(org_keys(o["name"], o.get("acronym")), o["name"]) for o in gorgs]

    def resolve(name: str) -> tuple[set[str], str]:
        for keys, gname in index:
            if org_match(name, keys, gname) or norm_org(name) in keys:
                return keys, gname
        return org_keys(name), name

    for f in ("delegates", "people"):
        preds = _unique(pred.get(f) or [], lambda x: norm_person(x.get("name")))
        report.add(f, *match(gold.get(f, []), preds, lambda g, p: person_match(g["name"], p.get("name")))[:3])
    preds = _unique(pred.get("organizations") or [], lambda x: norm_org(x.get("name")))
    def same_org(g: dict[str, Any], p: dict[str, Any]) -> bool:
        keys = org_keys(g["name"], g.get("acronym"))
        return org_match(p.get("name"), keys, g["name"]) or bool(p.get("acronym") and
                                                                 org_match(p.get("acronym"), keys, g["name"]))

    tp, fp, fn, pairs = match(gorgs, preds, same_org)
    report.add("organizations", tp, fp, fn)
    kinds = sum(g.get("kind") == p.get("kind") for g, p in pairs)
    roles = sum(g.get("role") == p.get("role") for g, p in pairs)
    report.add("org_kind_acc", kinds, 0, len(pairs) - kinds)
    report.add("org_role_acc", roles, 0, len(pairs) - roles)

    def flat(engs: Any, is_gold: bool) -> list[dict[str, Any]]:
        return [{"org": c, "city": e.get("city"), **({"optional": True} if is_gold and _optional(e) else {})}
                for e in engs or [] for c in e.get("counterparts") or []]

    ge = flat(gold.get("engagements"), True)
    pe = _unique(flat(pred.get("engagements"), False), lambda x: (norm_org(x["org"]), norm(x["city"])))
    def met(g: dict[str, Any], p: dict[str, Any]) -> bool:
        return org_match(p["org"], *resolve(g["org"]))

    report.add("engagements_org", *match(ge, _unique(pe, lambda x: norm_org(x["org"])), met)[:3])
    report.add("engagements_org_city",
               *match(ge, pe, lambda g, p: met(g, p) and norm(g["city"]) == norm(p["city"]))[:3])

    gs = [s if isinstance(s, dict) else {"id": s} for s in gold.get("sectors", [])]
    ps = sorted({str(x.get("id") if isinstance(x, dict) else x) for x in pred.get("sectors") or []} - {"None"})
    report.add("sectors", *match(gs, ps, lambda g, p: g["id"] == p)[:3])
    for f in ("policies", "offerings"):
        preds = _unique(pred.get(f) or [], lambda x: norm(x.get("name")))
        report.add(f, *match(gold.get(f, []), preds, lambda g, p: name_match(g["name"], p.get("name")))[:3])
    tp, fp, fn, pairs = match(gold.get("opportunities", []), pred.get("opportunities") or [],
                              lambda g, p: bool(p.get("counterpart")) and org_match(p["counterpart"],
                                                                                    *resolve(g["counterpart"])))
    report.add("opportunities", tp, fp, fn)
    with_amount = [(g, p) for g, p in pairs if g.get("amount")]
    ok = sum(1 for g, p in with_amount if _same_amount(g["amount"], p.get("amount") or {}))
    report.add("opp_amount_acc", ok, 0, len(with_amount) - ok)
    report.add("outcomes", *match(gold.get("outcomes", []), pred.get("outcomes") or [],
                                  lambda g, p: g.get("kind") == p.get("kind"))[:3])
    gd = [{"c": d["country"], **({"optional": True} if _optional(d) else {})}
          for d in gold.get("destinations", []) if d.get("country")]
    pd = sorted({(d.get("country") or "").upper() for d in pred.get("destinations") or [] if d.get("country")})
    report.add("destinations", *match(gd, pd, lambda g, p: g["c"].upper() == p)[:3])
    gh, ph = (gold.get("home") or {}).get("jurisdiction"), (pred.get("home") or {}).get("jurisdiction")
    hit = 1 if gh and ph and name_match(gh, ph) else 0
    report.add("home_acc", hit, 0, 1 - hit if gh else 0)


def _same_amount(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    try:
        value = float(pred["value"]) if pred.get("value") is not None else -1.0
    except (TypeError, ValueError):
        return False
    return abs(value - float(gold["value"])) < 1e-6 and (pred.get("currency") or "").upper() == \
        (gold.get("currency") or "").upper() and (pred.get("unit") or None) == (gold.get("unit") or None)


def score(pairs: Iterable[tuple[dict[str, Any], dict[str, Any]]]) -> Report:
    """Score (gold, prediction) pairs; a malformed prediction scores as an empty one."""
    report = Report()
    for gold, pred in pairs:
        trial = Report(fields={k: Tally(t.tp, t.fp, t.fn) for k, t in report.fields.items()}, docs=report.docs)
        try:
            score_document(gold, pred if isinstance(pred, dict) else {}, trial)
        except (AttributeError, KeyError, TypeError, ValueError):
            trial = Report(fields={k: Tally(t.tp, t.fp, t.fn) for k, t in report.fields.items()}, docs=report.docs)
            score_document(gold, {}, trial)
        report = trial
    return report
