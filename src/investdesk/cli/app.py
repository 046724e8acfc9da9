"""The Typer application every command module registers on."""

import typer

from investdesk.cli.context import set_acting_as

app = typer.Typer(
    name="investdesk",
    help="InvestDesk: engagement documents to records, leads and MoUs tracked to grounding.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _global_options(
    acting_as: str | None = typer.Option(
        None, "--as", metavar="EMAIL",
        help="Act as this user (default: INVESTDESK_USER); record commands obey that user's role and scope."),
) -> None:
    set_acting_as(acting_as)
