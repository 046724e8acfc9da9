"""The incentive calculator: a project and the policy data in, every policy's verdict and figures out.

Pure: no database. A rule whose confidence is ``unknown`` never produces a number; a share of a cost the form
does not carry (stamp duty payable, SGST paid) is shown as a rate, never guessed into rupees; conflicting
sources are each computed and the lowest reading is the one counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from investdesk import i18n
from investdesk.i18n import _
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
    span = f"{v.valid_from} to {v.valid_to or _('no end date found')}{_tag(v)}"
    reasons.append(Reason(ok=in_force(doc, p.as_of), rule=refs.of(doc.id, "validity", v),
                          text=_('in force on %(as_of)s: %(span)s', as_of=p.as_of, span=span) if in_force(doc, p.as_of)
                          else _('not in force on %(as_of)s: %(span)s', as_of=p.as_of, span=span)))
    s = doc.eligibility.sectors
    if s.ids == "any":
        reasons.append(Reason(ok=True, text=_('open to every sector%(s)s',
                                              s=_tag(s)), rule=refs.of(doc.id, "sectors", s)))
    else:
        ok = sector in s.ids
        reasons.append(Reason(ok=ok, rule=refs.of(doc.id, "sectors", s),
                              text=(_("sector %(sector)s is among %(ids)s%(tag)s", sector=sector,
                                      ids=", ".join(s.ids), tag=_tag(s)) if ok else
                                    _("sector %(sector)s is not among %(ids)s%(tag)s", sector=sector,
                                      ids=", ".join(s.ids), tag=_tag(s)))))
    t = doc.eligibility.min_investment
    if t is not None:
        floor = regional(t.value, p.region)
        amount = p.base(Base(t.basis)) or 0.0
        if floor is None:
            reasons.append(Reason(ok=None, rule=refs.of(doc.id, "min_investment", t),
                                  text=_("minimum investment not found in the sources")))
        else:
            ok = amount >= floor or (t.or_jobs is not None and p.data.jobs >= t.or_jobs)
            jobs = f" or {t.or_jobs:,} jobs" if t.or_jobs else ""
            reasons.append(Reason(ok=ok, rule=refs.of(doc.id, "min_investment", t),
                                  text=_('%(basis)s %(amount)s against a minimum of %(floor)s%(jobs)s%(t)s',
                                         basis=BASE_LABELS[Base(t.basis)], amount=crore(amount), floor=crore(floor),
                                         jobs=jobs, t=_tag(t))))
    f = doc.eligibility.foreign
    if f is not None:
        share = p.data.foreign_share
        by_share = f.min_share is not None and share is not None and share >= f.min_share
        by_fortune = f.fortune500_qualifies and p.data.fortune500
        need = _('foreign capital of at least %(min_share)s',
                 min_share=format(f.min_share, '.0%')) if f.min_share else _("foreign capital")
        need += " or Fortune Global/India 500 status" if f.fortune500_qualifies else ""
        got = _("not given") if share is None else f"{share:.0%}"
        reasons.append(Reason(ok=by_share or by_fortune, rule=refs.of(doc.id, "foreign", f),
                              text=_("needs %(need)s; foreign share %(got)s%(fortune)s%(tag)s", need=need, got=got,
                                     fortune=", Fortune 500" if p.data.fortune500 else "", tag=_tag(f))))
    cat: Category | None = None
    if doc.eligibility.categories:
        cat, open_ = category_of(doc, p)
        if cat is not None:
            reasons.append(Reason(ok=True, text=_('category %(name)s%(cat)s', name=cat.name, cat=_tag(cat)),
                                  rule=refs.of(doc.id, f"categories.{cat.id}", cat)))
        elif open_:
            reasons.append(Reason(ok=None, rule=refs.of(doc.id, f"categories.{open_[0].id}", open_[0]),
                                  text=_('category cannot be settled: the thresholds of %(open_)s are not in the '
                                         'sources', open_=', '.join(c.name for c in open_))))
        else:
            smallest = doc.eligibility.categories[0]
            names = "; ".join(c.name for c in doc.eligibility.categories)
            reasons.append(Reason(ok=False, rule=refs.of(doc.id, f"categories.{smallest.id}", smallest),
                                  text=_("total investment %(total)s meets no category's conditions (%(names)s)",
                                         total=crore(p.total), names=names)))
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
            capped = _('base counted up to %(base_upto)s', base_upto=crore(inc.base_upto))
        per_year = counted * (rate or 0.0) / 100
        how = f"{rate:g}% of {crore(counted)}"
        base_amount = counted
    yearly = inc.base in (Base.per_job, Base.fixed, Base.term_loan) and inc.years
    if yearly:
        if inc.cap_per_year is not None and per_year > inc.cap_per_year:
            per_year, capped = inc.cap_per_year, _('at most %(cap_per_year)s a year',
                                                   cap_per_year=crore(inc.cap_per_year))
        n = inc.years or 1
        total = per_year * n
        how += _(' a year for %(n)s years', n=n)
    else:
        total, n = per_year, inc.instalments or 1
    if cap is not None and total > cap:
        total, capped = cap, _('capped at %(cap)s', cap=crore(cap))
    each = total / n
    if not yearly and inc.cap_per_year is not None and each > inc.cap_per_year:
        each, capped = inc.cap_per_year, _('each instalment at most %(cap_per_year)s',
                                           cap_per_year=crore(inc.cap_per_year))
        total = each * n
    schedule = [Instalment(year=y, amount=round(each, 4)) for y in range(1, n + 1)]
    if n > 1 and not yearly:
        how += _(', paid in %(n)s annual instalments', n=n)
    return round(total, 4), schedule, capped, base_amount, how


def figure(doc: PolicyDoc, inc: Incentive, p: Project, refs: Refs) -> Figure:
    """One incentive for the project: computed, or why not."""
    rule = refs.of(doc.id, f"incentives.{inc.id}", inc)
    rate = regional(inc.rate, p.region)
    cap = regional(inc.cap, p.region)
    out = Figure(incentive_id=inc.id, label=inc.label, kind=inc.kind.value, status="not_computed", rule=rule,
                 base=inc.base_note or BASE_LABELS[inc.base],
                 rate=f"{rate:g}%" if rate is not None else ("" if inc.rate is None else _("not known here")))
    region = REGION_NAMES[p.region]
    if inc.max_investment is not None and p.total > inc.max_investment:
        out.status, out.explanation = "not_applicable", _('only for projects up to %(max_investment)s',
                                                          max_investment=crore(inc.max_investment))
        return out
    if inc.min_jobs is not None and p.data.jobs < inc.min_jobs:
        out.status, out.explanation = "not_applicable", _('only with at least %(min_jobs)s jobs',
                                                          min_jobs=format(inc.min_jobs, ','))
        return out
    if inc.confidence is Confidence.unknown:
        out.explanation = _("not found in the sources: not computed") + (f" ({inc.note})" if inc.note else "")
        return out
    if isinstance(inc.rate, dict) and rate is None:
        out.explanation = _('no figure for %(region)s in the sources: not computed', region=region)
        return out
    if rate == 0:
        out.status, out.explanation = "not_applicable", _('not offered in %(region)s', region=region)
        return out
    if inc.base is Base.cost_not_in_form:
        out.status = "rate_only"
        limit = _(', up to %(cap)s', cap=crore(cap)) if cap is not None else ""
        limit += _(', up to %(cap_per_year)s a year',
                   cap_per_year=crore(inc.cap_per_year)) if inc.cap_per_year is not None else ""
        years = f" for {inc.years} years" if inc.years else ""
        out.explanation = _("%(share)s of %(cost)s%(years)s%(limit)s: the form does not carry that cost, so no "
                            "amount is given", share=out.rate or _("a share"), cost=inc.base_note or _("the cost"),
                            years=years, limit=limit)
        return out
    if inc.base is Base.term_loan and p.data.term_loan is None:
        out.status, out.explanation = "needs_input", _("give the term loan to compute it")
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
        out.explanation += _('; the sources conflict, the lowest of %(results)s readings is counted',
                             results=len(results))
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
        note = _("the investor chooses one")
        if chosen is not None:
            note += _('; %(label)s counts in the total as the largest computed option', label=chosen.label)
        if open_:
            note += _('; %(open_)s cannot be computed here, so compare them before choosing', open_=', '.join(open_))
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
        True: _("may be combined with other state policies"), False: _("cannot be combined with other state policies"),
        None: _("whether it combines with other state policies is not found in the sources")}[
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
        result.total_note = _('capped at %(g)s%% of the project cost (%(limit)s)',
                              g=format(oc.percent_of_investment, 'g'), limit=crore(limit))
        years = {y: a * limit / total for y, a in years.items()}
        total = limit
    if not counted:
        result.total_note = _("no amount can be computed: the figures of this policy are rates of costs the form " \
                            "does not carry, or are not in the sources")
    result.total = round(total, 4)
    result.schedule = [Instalment(year=y, amount=round(a, 4)) for y, a in sorted(years.items())]
    return result
