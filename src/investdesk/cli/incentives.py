"""`investdesk incentives` (the calculator) and `investdesk match` (matchmaking)."""

from __future__ import annotations

import json
import sys

import typer
from rich.table import Table

from investdesk.cli.app import app
from investdesk.cli.common import FormatOption, OutputFormat, console, render
from investdesk.cli.context import cli_actor, unit_of_work
from investdesk.errors import ValidationFailed
from investdesk.incentives import service as incentives
from investdesk.incentives.calculator import crore
from investdesk.incentives.schemas import CalculateIn, CalculationOut
from investdesk.matchmaking import service as matchmaking
from investdesk.matchmaking.schemas import MatchResult, TripIn

match_app = typer.Typer(help="Matchmaking: who fits an offering or policy, what fits an organization, whom to meet.",
                        no_args_is_help=True)
app.add_typer(match_app, name="match")


def _print_calculation(out: CalculationOut) -> None:
    console.print(f"[bold]{out.disclaimer}[/bold] · policy data of {out.policy_data_date} · read on {out.as_of}")
    console.print(f"{out.sector_name} · {out.project.district} ({out.region_name}) · investment "
                  f"{crore(out.total_investment)} · {out.project.jobs:,} jobs")
    for line in out.assumptions + out.notes:
        console.print(f"  {line}")
    for p in out.eligible:
        table = Table(title=f"{p.short_name}: eligible{f' ({p.category})' if p.category else ''} · total "
                            f"{crore(p.total)}{f' · {p.total_note}' if p.total_note else ''}")
        for col in ("incentive", "amount", "how", "confidence", "sources"):
            table.add_column(col)
        for f in p.figures:
            amount = crore(f.amount) if f.amount is not None else f.status.replace("_", " ")
            if f.choose_one:
                amount += " (choose one)" if not f.counted else " (chosen)"
            table.add_row(f.label, amount, f.explanation + (f" ({f.cap_applied})" if f.cap_applied else ""),
                          f.rule.confidence, ", ".join(s.id for s in f.rule.sources))
        console.print(table)
    for p in out.not_eligible:
        why = "; ".join(r.text for r in p.reasons if r.ok is not True)
        console.print(f"[dim]{p.short_name}: {p.status.replace('_', ' ')}: {why}[/dim]", highlight=False)


@app.command("incentives")
def incentives_command(
        sector: str = typer.Option("", help="Sector id or name (see `investdesk sectors`)."),
        investment: float | None = typer.Option(None, help="Total investment, INR crore (land included)."),
        land: float = typer.Option(0.0, help="Of which land, INR crore."),
        building: float | None = typer.Option(None, help="Of which building, INR crore."),
        plant_machinery: float | None = typer.Option(None, help="Of which plant and machinery, INR crore."),
        district: str = typer.Option("", help="District of the project."),
        jobs: int = typer.Option(0, min=0, help="Direct jobs."),
        fdi_share: float | None = typer.Option(None, help="Share of foreign capital, 0 to 1."),
        fortune500: bool = typer.Option(False, "--fortune500", help="A Fortune Global/India 500 company."),
        capacity: float | None = typer.Option(None, help="Capacity in the unit the policy names (GWh for cells)."),
        term_loan: float | None = typer.Option(None, help="Term loan, INR crore."),
        as_of: str | None = typer.Option(None, help="Read the policies as on this date (YYYY-MM-DD)."),
        opportunity: int | None = typer.Option(None, help="Take the figures of this lead."),
        mou: int | None = typer.Option(None, help="Take the figures of this MoU."),
        fmt: OutputFormat = FormatOption) -> None:
    """What a project would get under each incentive policy, and why not under the others (indicative)."""
    fields: dict[str, object] = {"sector": sector, "land": land, "district": district, "jobs": jobs,
                                 "foreign_share": fdi_share, "fortune500": fortune500, "capacity": capacity,
                                 "term_loan": term_loan, "as_of": as_of, "opportunity_id": opportunity,
                                 "mou_id": mou}
    if building is not None or plant_machinery is not None:
        fields.update(building=building or 0.0, plant_machinery=plant_machinery or 0.0)
    elif investment is not None:
        if investment < 0:
            raise ValidationFailed(f"--investment: {investment} is negative", field="investment")
        if investment < land:
            raise ValidationFailed(f"--land: {land} is more than --investment {investment}", field="land")
        fields["plant_machinery"] = investment - land  # the rest of the investment, not split further
    data = CalculateIn.model_validate(fields)
    with unit_of_work() as session:
        out = incentives.calculate(session, actor=cli_actor(session), data=data)
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(out.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n")
    else:
        _print_calculation(out)


def _print_matches(result: MatchResult, fmt: OutputFormat) -> None:
    rows = [{"rank": i, "kind": m.kind, "id": m.id, "name": m.name, "score": m.score,
             "signals": "; ".join(f"{s.label} {s.count:g}×{s.weight:g}={s.points:g}"
                                  + (f" ({s.detail})" if s.detail else "") for s in m.signals),
             "tier": m.tier, "last_contact": m.last_contact, "contact": m.contact_person, "country": m.country}
            for i, m in enumerate(result.matches, 1)]
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n")
        return
    cols = ["rank", "kind", "id", "name", "score", "signals"]
    if result.target.kind == "trip":
        cols += ["tier", "last_contact", "contact"]
    render(rows, fmt, columns=cols, title=f"{result.target.name}: {result.total} matches "
                                          f"(sectors: {', '.join(result.target.sectors) or 'any'})")


@match_app.command("offering")
def match_offering(offering: str = typer.Argument(..., help="An offering id, or an incentive policy id "
                                                           "(e.g. fdi_fci_2023)."),
                   limit: int = typer.Option(50, min=1, max=500), fmt: OutputFormat = FormatOption) -> None:
    """The organizations that fit an offering or a policy, ranked, with each signal."""
    with unit_of_work() as session:
        actor = cli_actor(session)
        result = (matchmaking.for_offering(session, actor=actor, offering_id=int(offering), limit=limit)
                  if offering.isdigit() else
                  matchmaking.for_policy(session, actor=actor, policy_id=offering, limit=limit))
    _print_matches(result, fmt)


@match_app.command("organization")
def match_organization(organization_id: int, fmt: OutputFormat = FormatOption) -> None:
    """The offerings and policies that fit an organization."""
    with unit_of_work() as session:
        result = matchmaking.for_organization(session, actor=cli_actor(session), organization_id=organization_id)
    _print_matches(result, fmt)


@match_app.command("trip")
def match_trip(country: str = typer.Option(..., help="ISO country code, e.g. JP."),
               city: list[str] = typer.Option([], help="A city of the trip (repeat)."),
               sector: list[str] = typer.Option([], help="A sector of the trip (repeat)."),
               limit: int = typer.Option(100, min=1, max=500), fmt: OutputFormat = FormatOption) -> None:
    """Whom to meet: open leads and overdue follow-ups first, then new fits, with last contact and person."""
    trip = TripIn(country=country, cities=city, sectors=sector)
    with unit_of_work() as session:
        result = matchmaking.for_trip(session, actor=cli_actor(session), trip=trip, limit=limit)
    _print_matches(result, fmt)
