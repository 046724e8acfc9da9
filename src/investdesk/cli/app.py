"""The Typer application every command module registers on."""

import typer

app = typer.Typer(
    name="investdesk",
    help="InvestDesk: engagement documents to records, leads and MoUs tracked to grounding.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
