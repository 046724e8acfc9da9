"""The ``investdesk`` command line. Commands are thin: parse, call a service, render.

Each module below registers its commands on the one Typer application when it is imported. A command loads
only the module(s) that register it (``investdesk brief ...`` does not import extraction, exchange or backup
code: a fresh process starts in a fraction of the time), and ``--help`` or an unknown word loads them all.
``from investdesk.cli import app`` gives the application with every command.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

from investdesk.startup import long_lived

# What every command needs (Typer, Rich, SQLAlchemy, Pydantic, the models, the unit of work) is loaded here, before
# main() runs, and lives as long as the process: loaded with the garbage collector paused, then frozen.
with long_lived():
    from pydantic import ValidationError
    from sqlalchemy.exc import OperationalError

    from investdesk.cli.common import err_console
    from investdesk.errors import InvestDeskError

    _app_module = importlib.import_module("investdesk.cli.app")
# The top-level word of each command and the modules that register it or its subcommands (``report mission``
# is in papers, ``mou import`` in exchange, ``org merge`` in merge). tests/cli/test_lazy.py checks it against
# what the modules register.
COMMANDS: dict[str, tuple[str, ...]] = {
    "backup": ("backup",), "restore": ("backup",),
    "blocker": ("blockers",),
    "db": ("db",),
    "demo": ("demo",),
    "documents": ("documents",), "review": ("documents",),
    "engagement": ("engagements",),
    "enquiry": ("enquiries",),
    "extract": ("extract",), "evaluate": ("extract",),
    "followup": ("followups",), "followups": ("followups",),
    "match": ("incentives",), "incentives": ("incentives",),
    "ingest": ("ingest",),
    "jobs": ("jobs",),
    "mission": ("missions",),
    "org": ("organizations", "merge"),
    "brief": ("papers",), "pack": ("papers",),
    "person": ("people",),
    "opportunity": ("pipeline", "exchange"), "mou": ("pipeline", "exchange"),
    "report": ("reports", "papers"),
    "search": ("search",),
    "sectors": ("sectors",),
    "serve": ("serve",),
    "user": ("users",),
}
MODULES: tuple[str, ...] = tuple(sorted({m for mods in COMMANDS.values() for m in mods}))
# Global options that take a value: skipped when looking for the command's word.
_VALUED_OPTIONS = ("--as",)


def command_word(argv: Sequence[str]) -> str | None:
    """The first word of the command line that is not a global option (``--as EMAIL brief ...`` -> brief)."""
    words = iter(argv)
    for word in words:
        if word in _VALUED_OPTIONS:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def load_commands(argv: Sequence[str] | None = None) -> None:
    """Import the modules that register the command in ``argv``; all of them when ``argv`` is None, names no
    known command, or asks for help at the top level."""
    word = None if argv is None else command_word(argv)
    for name in COMMANDS.get(word, MODULES) if word is not None else MODULES:
        importlib.import_module(f"investdesk.cli.{name}")


def __getattr__(name: str) -> Any:
    if name == "app":
        load_commands()
        return _app_module.app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ``investdesk.cli.app`` is also the name of the module that holds the application: drop the module from this
# package's namespace so that ``app`` here resolves through __getattr__ to the application with every command.
globals().pop("app", None)

__all__ = ["app", "main"]


def _pydantic_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{field}: {err.get('msg')}" if field else str(err.get("msg")))
    return "; ".join(parts)


def main() -> None:
    """Run the CLI; user errors print one line and exit 2, never a traceback."""
    with long_lived():
        load_commands(sys.argv[1:])
    try:
        _app_module.app()
    except InvestDeskError as exc:
        err_console.print(f"[red]error:[/red] {exc.message}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except ValidationError as exc:
        err_console.print(f"[red]error:[/red] {_pydantic_message(exc)}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except OperationalError as exc:
        reason = " ".join(str(exc.orig or exc).split())
        err_console.print(f"[red]error:[/red] database: {reason}", highlight=False, soft_wrap=True)
        sys.exit(2)
