"""Incentive policies (files plus the versions edited in the app) and the calculator for a project, lead or MoU.

Nothing commits here; an edit writes its audit row in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk import formatting, places
from investdesk.audit import service as audit
from investdesk.errors import NotFound, PermissionDenied, ValidationFailed
from investdesk.i18n import N_, _
from investdesk.incentives import calculator, loader
from investdesk.incentives.rules import REGION_NAMES, Confidence, PolicyDoc
from investdesk.incentives.schemas import (
    CalculateIn,
    CalculationOut,
    PolicyEdit,
    PolicySummary,
    ProjectIn,
)
from investdesk.models import IncentivePolicyVersion, Opportunity, Organization
from investdesk.models.enums import Role
from investdesk.mous import service as mous
from investdesk.papers import service as papers
from investdesk.papers.schemas import PaperSection
from investdesk.permissions import Actor, Perm, require
from investdesk.pipeline import service as pipeline
from investdesk.sectors import service as sectors

EDITORS = (Role.manager, Role.admin)


@dataclass(frozen=True)
class Current:
    """A policy as in force on a date: the document, its YAML text and where it comes from."""

    doc: PolicyDoc
    text: str
    version: str
    version_id: int | None
    file: str


@lru_cache(maxsize=256)
def _parse(text: str, name: str) -> PolicyDoc:
    return loader.validate(PolicyDoc, text, name)


def current(session: Session, *, on: dt.date) -> dict[str, Current]:
    """Every policy as in force on ``on``: the latest edited version already effective, else its file."""
    data = loader.policy_data()
    out = {pid: Current(doc=doc, text="", version=_('file %(pid)s', pid=data.files[pid]), version_id=None,
                        file=data.files[pid]) for pid, doc in data.policies.items()}
    rows = session.scalars(select(IncentivePolicyVersion).where(IncentivePolicyVersion.effective_from <= on)
                           .order_by(IncentivePolicyVersion.effective_from, IncentivePolicyVersion.id))
    for row in rows:
        if row.policy_id in out:
            doc = _parse(row.document, f"{row.policy_id} version {row.id}")
            out[row.policy_id] = Current(doc=doc, text=row.document, version_id=row.id,
                                         version=_('edited, in force from %(effective_from)s (version %(id)s)',
                                                   effective_from=row.effective_from, id=row.id),
                                         file=out[row.policy_id].file)
    return out


def list_policies(session: Session, *, actor: Actor, on: dt.date | None = None) -> list[PolicySummary]:
    """The policies in force (or not) on a date, each with its version and how many rules are unknown."""
    require(actor, Perm.read)
    out = []
    for pid, cur in sorted(current(session, on=on or dt.date.today()).items()):
        d = cur.doc
        out.append(PolicySummary(
            id=pid, name=d.name, short_name=d.short_name, family=d.family, valid_from=d.validity.valid_from,
            valid_to=d.validity.valid_to, validity_confidence=d.validity.confidence.value,
            sectors=d.eligibility.sectors.ids, incentives=len(d.incentives),
            unknown_rules=sum(i.confidence is Confidence.unknown for i in d.incentives), data_date=d.data_date,
            version=cur.version, file=cur.file))
    return out


def get_policy(session: Session, *, actor: Actor, policy_id: str, on: dt.date | None = None) -> Current:
    require(actor, Perm.read)
    found = current(session, on=on or dt.date.today()).get(policy_id)
    if found is None:
        raise NotFound(_('incentive policy %(policy_id)s not found', policy_id=repr(policy_id)), field="policy_id")
    if not found.text:
        found = Current(doc=found.doc, text=loader.shipped_text(policy_id), version=found.version, version_id=None,
                        file=found.file)
    return found


def versions(session: Session, *, actor: Actor, policy_id: str) -> list[IncentivePolicyVersion]:
    """Every edited version of a policy, newest effective date first."""
    require(actor, Perm.read)
    return list(session.scalars(select(IncentivePolicyVersion).where(IncentivePolicyVersion.policy_id == policy_id)
                                .order_by(IncentivePolicyVersion.effective_from.desc())))


def edit_policy(session: Session, *, actor: Actor, policy_id: str, data: PolicyEdit) -> IncentivePolicyVersion:
    """A new version of a policy from its whole YAML text, in force from ``effective_from`` (audited)."""
    if actor.role not in EDITORS:
        raise PermissionDenied(_('%(label)s (%(role)s) may not edit incentive policies', label=actor.label,
                                 role=actor.role.value))
    before = get_policy(session, actor=actor, policy_id=policy_id, on=data.effective_from)
    if "\x00" in data.document:
        raise ValidationFailed(_("document: NUL characters are not allowed"), field="document")
    doc = loader.validate(PolicyDoc, data.document, f"{policy_id} (edited)")
    if doc.id != policy_id:
        raise ValidationFailed(_("%(policy_id)s (edited): id: the policy's id must stay %(policy_id2)s",
                                 policy_id=policy_id, policy_id2=repr(policy_id)), field="id")
    pdata = loader.policy_data()
    others = {pid: c.doc for pid, c in current(session, on=data.effective_from).items() if pid != policy_id}
    loader.check_policy(doc, f"{policy_id} (edited)", sources=pdata.sources, maps=pdata.region_maps, others=others)
    row = session.scalar(select(IncentivePolicyVersion).where(
        IncentivePolicyVersion.policy_id == policy_id, IncentivePolicyVersion.effective_from == data.effective_from))
    old = {"policy_id": policy_id, "version": before.version, "document": before.text}
    if row is None:
        row = IncentivePolicyVersion(policy_id=policy_id, effective_from=data.effective_from,
                                     document=data.document, note=data.note, created_by_id=actor.id)
        session.add(row)
    else:
        row.document, row.note = data.document, data.note
    session.flush()
    new = {"policy_id": policy_id, "version": f"edited, in force from {data.effective_from} (version {row.id})",
           "document": data.document}
    audit.record(session, actor=actor, action="update", entity_type="incentive_policy", entity_id=row.id,
                 before=old, after=new, summary=f"edited incentive policy {policy_id}, in force from "
                                                f"{data.effective_from}{': ' + data.note if data.note else ''}")
    return row


def _from_records(session: Session, actor: Actor, data: CalculateIn) -> tuple[CalculateIn, list[str]]:
    """The lead's or MoU's sector, amount, jobs and district as defaults for what the form leaves empty."""
    assumptions: list[str] = []
    values = data.model_dump()
    record = None
    if data.mou_id is not None:
        m = mous.get(session, actor=actor, mou_id=data.mou_id)  # scoped: a nodal officer's districts only
        record = (_('MoU %(id)s', id=m.id), m.sector_id, m.amount_inr_crore, m.jobs, m.district)
    elif data.opportunity_id is not None:
        o = pipeline.get(session, actor=actor, opportunity_id=data.opportunity_id)
        record = (_('lead %(id)s',
                    id=o.id), o.sectors[0].id if o.sectors else None, o.amount_inr_crore, o.jobs, o.district)
    if record is not None:
        label, sector, amount, jobs, district = record
        if not data.sector and sector:
            values["sector"] = sector
        if not data.district and district:
            values["district"] = district
        if not data.jobs and jobs:
            values["jobs"] = jobs
        if not (data.land or data.building or data.plant_machinery) and amount:
            values["plant_machinery"] = amount
            assumptions.append(_('%(label)s: its amount (%(amount)s) is not split; it is read as building, plant and '
                                 'machinery, with no land', label=label, amount=calculator.crore(amount)))
    return CalculateIn.model_validate(values), assumptions


def calculate(session: Session, *, actor: Actor, data: CalculateIn) -> CalculationOut:
    """What the project would get under each policy in force, and why not under the others."""
    require(actor, Perm.read)
    data, assumptions = _from_records(session, actor, data)
    if not data.sector:
        raise ValidationFailed(_("sector: give the project's sector"), field="sector")
    if not data.district:
        raise ValidationFailed(_("district: give the project's district"), field="district")
    sector = sectors.resolve(session, [data.sector], field="sector")[0]
    district = places.district(data.district)
    assert district is not None
    as_of = data.as_of or dt.date.today()
    project = ProjectIn.model_validate({**data.model_dump(exclude={"opportunity_id", "mou_id"}),
                                        "sector": sector.id, "district": district, "as_of": as_of})
    pdata = loader.policy_data()
    refs = calculator.Refs(pdata)
    results = []
    for cur in current(session, on=as_of).values():
        table = pdata.district_region[cur.doc.region_map]
        if district not in table:
            raise ValidationFailed(_('district: %(district)s is in no region of map %(region_map)s (regions.yaml)',
                                     district=repr(district), region_map=repr(cur.doc.region_map)), field="district")
        p = calculator.Project(data=project, region=table[district], as_of=as_of)
        results.append(calculator.evaluate(cur.doc, p, refs, sector.id, cur.version))
    rmap = pdata.region_maps.maps["up"]
    region = pdata.district_region["up"][district]
    notes = []
    covering = [r for r in results if any(x.text.startswith(f"sector {sector.id} is among") for x in r.reasons)]
    if not covering:
        notes.append(_('No sector policy names %(name)s; only the policies open to every sector can apply.',
                       name=sector.name))
    eligible = sorted([r for r in results if r.status == "eligible"], key=lambda r: -r.total)
    exclusive = [r.short_name for r in eligible if r.stacking and r.stacking.ok is False]
    if len(eligible) > 1:
        notes.append(_("Totals are per policy and are not added up: ") + (
            _('%(exclusive)s cannot be combined with other state policies; ',
              exclusive=', '.join(exclusive)) if exclusive else "") +
            _("whether the others combine is for the Letter of Comfort to settle."))
    if project.land + project.building + project.plant_machinery == 0:
        assumptions.append(_("no investment given: every amount is zero"))
    total = project.land + project.building + project.plant_machinery
    return CalculationOut(
        as_of=as_of, policy_data_date=max(r.data_date for r in results), project=project, sector_name=sector.name,
        region=region, region_name=REGION_NAMES[region], region_rule=refs.of("regions", "maps.up", rmap),
        total_investment=total, assumptions=assumptions, notes=notes,
        eligible=eligible, not_eligible=[r for r in results if r.status != "eligible"])


def in_force_today(cur: Current) -> bool:
    return calculator.in_force(cur.doc, dt.date.today())


@dataclass(frozen=True)
class RecordEstimate:
    """The Incentives section of a lead's or an MoU's page: the calculation from the record's own figures, or why
    there is none (the record names no sector or no district)."""
    result: CalculationOut | None
    missing: str | None = None


def record_estimate(session: Session, *, actor: Actor, opportunity_id: int | None = None,
                    mou_id: int | None = None) -> RecordEstimate:
    """The calculation for a lead or an MoU as its page shows it, in place; what it lacks instead of an error."""
    try:
        return RecordEstimate(calculate(session, actor=actor,
                                        data=CalculateIn(opportunity_id=opportunity_id, mou_id=mou_id)))
    except ValidationFailed as exc:
        return RecordEstimate(None, exc.message)


BRIEF_POLICIES = 4  # eligible policies a brief lists, the largest totals first


def brief_section(session: Session, actor: Actor, org: Organization) -> PaperSection | None:
    """The incentive estimate of a meeting brief: the organization's largest open lead that names a sector and a
    district, calculated; nothing when no lead does (or the reader may not see it)."""
    leads = session.scalars(
        select(Opportunity.id).where(Opportunity.counterpart_id == org.id, Opportunity.stage.in_(pipeline.OPEN),
                                     Opportunity.district.is_not(None), Opportunity.sectors.any())
        .order_by(Opportunity.amount_inr_crore.desc().nulls_last(), Opportunity.id).limit(1)).all()
    if not leads:
        return None
    out = calculate(session, actor=actor, data=CalculateIn(opportunity_id=leads[0]))
    p = out.project
    note = " ".join([
        _('For lead %(id)s: %(sector)s in %(district)s (%(region)s), %(amount)s.', id=leads[0], sector=out.sector_name,
          district=p.district, region=out.region_name, amount=calculator.crore(out.total_investment)),
        *out.assumptions, *out.notes,
        _('Indicative, subject to the Letter of Comfort; policy data of %(date)s.',
          date=formatting.date(out.policy_data_date))])
    rows = [[r.short_name, calculator.crore(r.total),
             "; ".join(f"{f.label} {calculator.crore(f.amount)}" for f in r.figures if f.counted and f.amount)
             or r.total_note] for r in out.eligible[:BRIEF_POLICIES]]
    if not rows:
        note = " ".join([note, _('No policy in force is open to this project.')])
    return PaperSection(title=_('Incentive estimate'), note=note,
                        columns=[_('Policy'), _('Indicative total'), _('Basis')], rows=rows)


brief_section.title = N_('Incentive estimate')  # type: ignore[attr-defined]
papers.register_brief_section(brief_section)
