"""``investdesk jobs``: the scheduled jobs (run by ``investdesk serve``), listed or run by hand. They act as
the operator of the machine."""

from __future__ import annotations

import typer

from investdesk.cli.app import app
from investdesk.cli.common import FormatOption, OutputFormat, console, render
from investdesk.cli.context import engine, operator_actor, unit_of_work
from investdesk.jobs import service
from investdesk.jobs.registry import jobs as all_jobs

jobs_app = typer.Typer(help="Scheduled jobs: escalation, pending MoUs, deadlines, digests, mail.",
                       no_args_is_help=True)
app.add_typer(jobs_app, name="jobs")


def _when(value: object) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else "never"


@jobs_app.command("list")
def list_jobs(fmt: OutputFormat = FormatOption) -> None:
    """Each job's schedule, last run, status and result, and next run."""
    with unit_of_work() as session:
        rows = service.list_jobs(session, actor=operator_actor("jobs list"))
    render([{"job": r.name, "schedule": r.schedule, "last run": _when(r.started_at), "status": r.status,
             "result": r.result, "next run": _when(r.next_run)} for r in rows], fmt, title="Scheduled jobs")


@jobs_app.command("run")
def run(name: str | None = typer.Argument(None, help="A job's name; none: every job.")) -> None:
    """Run a job now (every job when no name is given), unless another server is running it."""
    eng = engine()
    names = [name] if name else list(all_jobs())
    failed = False
    for n in names:
        result = service.run_now(eng, actor=operator_actor(f"job {n}"), name=n)
        console.print(f"{result.name}: {result.status} ({result.result})", highlight=False)
        failed = failed or result.status == "failed"
    if failed:
        raise typer.Exit(1)
