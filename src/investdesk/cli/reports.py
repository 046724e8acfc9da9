"""The summary reports: funnel, pipeline, pending MoUs, blockers, conversion."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

import typer
from pydantic import BaseModel

from investdesk.cli.app import app
from investdesk.cli.common import FormatOption, OutputFormat, render
from investdesk.cli.context import cli_actor, unit_of_work
from investdesk.models.enums import OpportunityStage
from investdesk.reports import service as reports
from investdesk.reports.schemas import (
    BlockerDimension,
    ConversionDimension,
    ConversionRow,
    FunnelRow,
    GroupTotal,
    PendingDimension,
    PipelineDimension,
)

report_app = typer.Typer(help="Pipeline, pending MoUs, blockers and conversion summaries.", no_args_is_help=True)
app.add_typer(report_app, name="report")


def _by(default: StrEnum) -> Any:
    """The ``--by`` option of a report: its dimensions, listed in the help."""
    names = [d.value for d in type(default)]
    return typer.Option(default, help=f"{', '.join(names[:-1])} or {names[-1]}.")


def _report(query: Callable[..., Sequence[BaseModel]], fmt: OutputFormat, model: type[BaseModel], title: str,
            **params: Any) -> None:
    """Run one report as the user at the command line and print its rows with the model's columns."""
    with unit_of_work() as session:
        rows = query(session, actor=cli_actor(session), **params)
        render([r.model_dump(mode="json") for r in rows], fmt, columns=model.model_fields, title=title)


@report_app.command("funnel")
def report_funnel(fmt: OutputFormat = FormatOption) -> None:
    """Leads by stage: now at each stage, reached it, and value (INR crore)."""
    _report(reports.funnel, fmt, FunnelRow, "Pipeline funnel")


@report_app.command("pipeline")
def report_pipeline(by: PipelineDimension = _by(PipelineDimension.sector),
                    stage: OpportunityStage | None = typer.Option(None, help="Only leads at this stage."),
                    fmt: OutputFormat = FormatOption) -> None:
    """The funnel by sector, country or district."""
    with unit_of_work() as session:
        rows = [{**r.model_dump(mode="json", exclude={"stages"}),
                 **{s.value: r.stages.get(s, 0) for s in OpportunityStage}}
                for r in reports.pipeline_by(session, actor=cli_actor(session), by=by, stage=stage)]
        render(rows, fmt, columns=[*GroupTotal.model_fields, *OpportunityStage], title=f"Pipeline by {by.value}")


@report_app.command("pending")
def report_pending(by: PendingDimension = _by(PendingDimension.district), fmt: OutputFormat = FormatOption) -> None:
    """Pending MoUs by district or nodal officer."""
    _report(reports.pending_mous_by, fmt, GroupTotal, f"Pending MoUs by {by.value}", by=by)


@report_app.command("blockers")
def report_blockers(by: BlockerDimension = _by(BlockerDimension.category), fmt: OutputFormat = FormatOption) -> None:
    """Open blockers by category, department, escalation level or age."""
    _report(reports.open_blockers_by, fmt, GroupTotal, f"Open blockers by {by.value}", by=by)


@report_app.command("conversion")
def report_conversion(by: ConversionDimension = _by(ConversionDimension.year),
                      fmt: OutputFormat = FormatOption) -> None:
    """MoUs signed and grounded, by signing year or sector."""
    _report(reports.conversion, fmt, ConversionRow,
            f"MoU conversion by {by.value} (grounded: under construction or operating)", by=by)
