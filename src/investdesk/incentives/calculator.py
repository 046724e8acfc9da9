"""The incentive calculator: a project and the policy data in, every policy's verdict and figures out.

Pure: no database. A rule whose confidence is ``unknown`` never produces a number; a share of a cost the form
does not carry (stamp duty payable, SGST paid) is shown as a rate, never guessed into rupees; conflicting
sources are each computed and the lowest reading is the one counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from investdesk import i18n
from investdesk.incentives.loader import PolicyData
from investdesk.incentives.rules import (
    BASE_LABELS,
    REGION_NAMES,
    Base,
    Category,
    Cited,
    Confidence,
    Incentive,
    PolicyDoc,
    Value,
)
from investdesk.incentives.schemas import (
    Alternative,
    Figure,
    Instalment,
    PolicyResult,
    ProjectIn,
    ReadingOut,
    Reason,
    RuleRef,
    SourceRef,
)


def crore(x: float) -> str:
    """An amount in crore as an officer writes it: crore, lakh below one crore, rupees below a lakh (the one
    money formatter, in the reader's language)."""
    return i18n.money_crore(x)


@dataclass(frozen=True)
class Project:
    """The project with its derived figures."""

    data: ProjectIn
    region: str
    as_of: dt.date

    @property
    def total(self) -> float:
        return self.data.land + self.data.building + self.data.plant_machinery

    def base(self, base: Base) -> float | None:
        return {Base.investment_excluding_land: self.data.building + self.data.plant_machinery,
                Base.total_investment: self.total, Base.land: self.data.land, Base.building: self.data.building,
                Base.plant_machinery: self.data.plant_machinery, Base.term_loan: self.data.term_loan,
                }.get(base)


class Refs:
    """Turns a rule's source ids into titles and addresses."""

    def __init__(self, data: PolicyData) -> None:
        self.sources = data.sources.sources

    def of(self, policy_id: str, rule: str, cited: Cited) -> RuleRef:
        return RuleRef(policy_id=policy_id, rule=rule, confidence=cited.confidence.value, quote=cited.quote,
                       sources=self.ids(cited.source))

    def ids(self, ids: list[str]) -> list[SourceRef]:
        return [SourceRef(id=i, title=self.sources[i].title, url=self.sources[i].url) for i in ids]


def regional(value: Value | None, region: str) -> float | None:
    if isinstance(value, dict):
        return value.get(region)  # type: ignore[call-overload]
    return value


def _tag(cited: Cited) -> str:
    return "" if cited.confidence in (Confidence.verified, Confidence.paraphrased) else f" ({cited.confidence.value})"


def in_force(doc: PolicyDoc, on: dt.date) -> bool:
    v = doc.validity
    return v.valid_from <= on and (v.valid_to is None or on <= v.valid_to)


def category_of(doc: PolicyDoc, p: Project) -> tuple[Category | None, list[Category]]:
    """The highest category whose conditions the project meets, and the categories the sources leave open."""
    chosen: Category | None = None
    open_ = []
    for cat in doc.eligibility.categories:
        if cat.confidence is Confidence.unknown:
            open_.append(cat)
            continue
        floor = regional(cat.min_investment, p.region)
        by_money = floor is None or p.total >= floor
        by_jobs = cat.min_jobs is None or p.data.jobs >= cat.min_jobs
        ok = (by_money or by_jobs) if cat.jobs_instead else (by_money and by_jobs)
        ok = ok and (cat.max_investment is None or p.total <= cat.max_investment)
        ok = ok and (cat.min_capacity is None or (p.data.capacity or 0) >= cat.min_capacity)
        if ok:
            chosen = cat
    return chosen, open_


def eligibility(doc: PolicyDoc, p: Project, refs: Refs, sector: str) -> tuple[list[Reason], Category | None]:
    """Each condition of the policy, met or not (None: the sources cannot settle it)."""
    reasons: list[Reason] = []
    v = doc.validity
    span = f"{v.valid_from} to {v.valid_to or 'no end date found'}{_tag(v)}"
    reasons.append(Reason(ok=in_force(doc, p.as_of), rule=refs.of(doc.id, "validity", v),
                          text=f"in force on {p.as_of}: {span}" if in_force(doc, p.as_of)
                          else f"not in force on {p.as_of}: {span}"))
    s = doc.eligibility.sectors
    if s.ids == "any":
        reasons.append(Reason(ok=True, text=f"open to every sector{_tag(s)}", rule=refs.of(doc.id, "sectors", s)))
    else:
        ok = sector in s.ids
        reasons.append(Reason(ok=ok, rule=refs.of(doc.id, "sectors", s),
                              text=f"sector {sector} {'is' if ok else 'is not'} among {', '.join(s.ids)}{_tag(s)}"))
    t = doc.eligibility.min_investment
    if t is not None:
        floor = regional(t.value, p.region)
        amount = p.base(Base(t.basis)) or 0.0
        if floor is None:
            reasons.append(Reason(ok=None, rule=refs.of(doc.id, "min_investment", t),
                                  text="minimum investment not found in the sources"))
        else:
            ok = amount >= floor or (t.or_jobs is not None and p.data.jobs >= t.or_jobs)
            jobs = f" or {t.or_jobs:,} jobs" if t.or_jobs else ""
            reasons.append(Reason(ok=ok, rule=refs.of(doc.id, "min_investment", t),
                                  text=f"{BASE_LABELS[Base(t.basis)]} {crore(amount)} against a minimum of "
                                       f"{crore(floor)}{jobs}{_tag(t)}"))
    f = doc.eligibility.foreign
    if f is not None:
        share = p.data.foreign_share
        by_share = f.min_share is not None and share is not None and share >= f.min_share
        by_fortune = f.fortune500_qualifies and p.data.fortune500
        need = f"foreign capital of at least {f.min_share:.0%}" if f.min_share else "foreign capital"
        need += " or Fortune Global/India 500 status" if f.fortune500_qualifies else ""
        got = "not given" if share is None else f"{share:.0%}"
        reasons.append(Reason(ok=by_share or by_fortune, rule=refs.of(doc.id, "foreign", f),
                              text=f"needs {need}; foreign share {got}"
                                   f"{', Fortune 500' if p.data.fortune500 else ''}{_tag(f)}"))
    cat: Category | None = None
    if doc.eligibility.categories:
        cat, open_ = category_of(doc, p)
        if cat is not None:
            reasons.append(Reason(ok=True, text=f"category {cat.name}{_tag(cat)}",
                                  rule=refs.of(doc.id, f"categories.{cat.id}", cat)))
        elif open_:
            reasons.append(Reason(ok=None, rule=refs.of(doc.id, f"categories.{open_[0].id}", open_[0]),
                                  text="category cannot be settled: the thresholds of "
                                       f"{', '.join(c.name for c in open_)} are not in the sources"))
        else:
            smallest = doc.eligibility.categories[0]
            names = "; ".join(c.name for c in doc.eligibility.categories)
            reasons.append(Reason(ok=False, rule=refs.of(doc.id, f"categories.{smallest.id}", smallest),
                                  text=f"total investment {crore(p.total)} meets no category's conditions ({names})"))
    return reasons, cat


def _amount_of(inc: Incentive, p: Project, rate: float | None, cap: float | None,
               amount: float | None) -> tuple[float, list[Instalment], str | None, float | None, str]:
    """Amount, schedule, the cap that bit (if any), the base in crore, and how it was worked out."""
    capped: str | None = None
    if inc.base in (Base.per_job, Base.fixed):
        units = 1 if inc.base is Base.fixed else min(p.data.jobs, inc.max_units or p.data.jobs)
        per_year = units * (amount or 0.0)
        how = (f"{units:,} jobs × {crore(amount or 0)}" if inc.base is Base.per_job else crore(amount or 0))
        base_amount: float | None = float(units) if inc.base is Base.per_job else None
    else:
        raw = p.base(inc.base) or 0.0
        counted = max(raw - (inc.base_from or 0.0), 0.0)
        if inc.base_upto is not None and counted > inc.base_upto:
            counted = inc.base_upto
            capped = f"base counted up to {crore(inc.base_upto)}"
        per_year = counted * (rate or 0.0) / 100
        how = f"{rate:g}% of {crore(counted)}"
        base_amount = counted
    yearly = inc.base in (Base.per_job, Base.fixed, Base.term_loan) and inc.years
    if yearly:
        if inc.cap_per_year is not None and per_year > inc.cap_per_year:
            per_year, capped = inc.cap_per_year, f"at most {crore(inc.cap_per_year)} a year"
        n = inc.years or 1
        total = per_year * n
        how += f" a year for {n} years"
    else:
        total, n = per_year, inc.instalments or 1
    if cap is not None and total > cap:
        total, capped = cap, f"capped at {crore(cap)}"
    each = total / n
    if not yearly and inc.cap_per_year is not None and each > inc.cap_per_year:
        each, capped = inc.cap_per_year, f"each instalment at most {crore(inc.cap_per_year)}"
        total = each * n
    schedule = [Instalment(year=y, amount=round(each, 4)) for y in range(1, n + 1)]
    if n > 1 and not yearly:
        how += f", paid in {n} annual instalments"
    return round(total, 4), schedule, capped, base_amount, how


def figure(doc: PolicyDoc, inc: Incentive, p: Project, refs: Refs) -> Figure:
    """One incentive for the project: computed, or why not."""
    rule = refs.of(doc.id, f"incentives.{inc.id}", inc)
    rate = regional(inc.rate, p.region)
    cap = regional(inc.cap, p.region)
    out = Figure(incentive_id=inc.id, label=inc.label, kind=inc.kind.value, status="not_computed", rule=rule,
                 base=inc.base_note or BASE_LABELS[inc.base],
                 rate=f"{rate:g}%" if rate is not None else ("" if inc.rate is None else "not known here"))
    region = REGION_NAMES[p.region]
    if inc.max_investment is not None and p.total > inc.max_investment:
        out.status, out.explanation = "not_applicable", f"only for projects up to {crore(inc.max_investment)}"
        return out
    if inc.min_jobs is not None and p.data.jobs < inc.min_jobs:
        out.status, out.explanation = "not_applicable", f"only with at least {inc.min_jobs:,} jobs"
        return out
    if inc.confidence is Confidence.unknown:
        out.explanation = "not found in the sources: not computed" + (f" ({inc.note})" if inc.note else "")
        return out
    if isinstance(inc.rate, dict) and rate is None:
        out.explanation = f"no figure for {region} in the sources: not computed"
        return out
    if rate == 0:
        out.status, out.explanation = "not_applicable", f"not offered in {region}"
        return out
    if inc.base is Base.cost_not_in_form:
        out.status = "rate_only"
        limit = f", up to {crore(cap)}" if cap is not None else ""
        limit += f", up to {crore(inc.cap_per_year)} a year" if inc.cap_per_year is not None else ""
        years = f" for {inc.years} years" if inc.years else ""
        out.explanation = f"{out.rate or 'a share'} of {inc.base_note or 'the cost'}{years}{limit}: the form does " \
                          "not carry that cost, so no amount is given"
        return out
    if inc.base is Base.term_loan and p.data.term_loan is None:
        out.status, out.explanation = "needs_input", "give the term loan to compute it"
        return out
    readings = [(r.label, regional(r.rate, p.region) if r.rate is not None else rate,
                 regional(r.cap, p.region) if r.cap is not None else cap,
                 r.amount if r.amount is not None else inc.amount, r.source) for r in inc.readings]
    if not readings:
        readings = [("", rate, cap, inc.amount, inc.source)]
    results = []
    for label, r_rate, r_cap, r_amount, source in readings:
        total, schedule, capped, base_amount, how = _amount_of(inc, p, r_rate, r_cap, r_amount)
        results.append((total, schedule, capped, base_amount, how))
        if inc.readings:
            out.readings.append(ReadingOut(label=label, amount=total, sources=refs.ids(source)))
    low = min(range(len(results)), key=lambda i: results[i][0])
    out.amount, out.schedule, out.cap_applied, out.base_amount, out.explanation = results[low]
    if inc.readings:
        out.explanation += f"; the sources conflict, the lowest of {len(results)} readings is counted"
    out.status = "computed"
    return out


def _choose(doc: PolicyDoc, figures: list[Figure], refs: Refs) -> list[Alternative]:
    """The investor picks one option of each group: compared side by side, the best computed one counted."""
    out = []
    for group in doc.choose_one:
        options = [f for f in figures if f.incentive_id in group.incentives]
        for f in options:
            f.choose_one = group.id
            f.counted = False
        computed = [f for f in options if f.status == "computed"]
        chosen = max(computed, key=lambda f: f.amount or 0.0) if computed else None
        if chosen is not None:
            chosen.counted = True
        open_ = [f.label for f in options if f.status != "computed" and f.status != "not_applicable"]
        note = "the investor chooses one"
        if chosen is not None:
            note += f"; {chosen.label} counts in the total as the largest computed option"
        if open_:
            note += f"; {', '.join(open_)} cannot be computed here, so compare them before choosing"
        out.append(Alternative(id=group.id, label=group.label, options=options, rule=refs.of(
            doc.id, f"choose_one.{group.id}", group), chosen=chosen.incentive_id if chosen else None, note=note))
    return out


def evaluate(doc: PolicyDoc, p: Project, refs: Refs, sector: str, version: str) -> PolicyResult:
    """One policy: eligible or not and why, then every incentive and the total."""
    reasons, cat = eligibility(doc, p, refs, sector)
    status = "eligible" if all(r.ok for r in reasons) else (
        "not_eligible" if any(r.ok is False for r in reasons) else "undetermined")
    result = PolicyResult(policy_id=doc.id, name=doc.name, short_name=doc.short_name, status=status,
                          reasons=reasons, category=cat.name if cat else None, data_date=doc.data_date,
                          version=version)
    st = doc.stacking
    result.stacking = Reason(ok=st.combinable_with_state_policies, rule=refs.of(doc.id, "stacking", st), text={
        True: "may be combined with other state policies", False: "cannot be combined with other state policies",
        None: "whether it combines with other state policies is not found in the sources"}[
            st.combinable_with_state_policies])
    if status != "eligible":
        return result
    for inc in doc.incentives:
        if inc.effective_from and p.as_of < inc.effective_from or inc.effective_to and p.as_of > inc.effective_to:
            continue
        if inc.categories and (cat is None or cat.id not in inc.categories):
            continue
        fig = figure(doc, inc, p, refs)
        fig.counted = fig.status == "computed"
        result.figures.append(fig)
    result.alternatives = _choose(doc, result.figures, refs)
    counted = [f for f in result.figures if f.counted]
    total = sum(f.amount or 0.0 for f in counted)
    years: dict[int, float] = {}
    for f in counted:
        for i in f.schedule:
            years[i.year] = years.get(i.year, 0.0) + i.amount
    oc = doc.overall_cap
    if oc is not None and total > p.total * oc.percent_of_investment / 100:
        limit = p.total * oc.percent_of_investment / 100
        result.total_note = f"capped at {oc.percent_of_investment:g}% of the project cost ({crore(limit)})"
        years = {y: a * limit / total for y, a in years.items()}
        total = limit
    if not counted:
        result.total_note = "no amount can be computed: the figures of this policy are rates of costs the form " \
                            "does not carry, or are not in the sources"
    result.total = round(total, 4)
    result.schedule = [Instalment(year=y, amount=round(a, 4)) for y, a in sorted(years.items())]
    return result
