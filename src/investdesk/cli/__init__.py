"""The ``investdesk`` command line. Commands are thin: parse, call a service, render."""

from __future__ import annotations

import sys

from pydantic import ValidationError
from sqlalchemy.exc import OperationalError

from investdesk.cli import backup as _backup  # noqa: F401  (each module registers its commands)
from investdesk.cli import blockers as _blockers  # noqa: F401
from investdesk.cli import db as _db  # noqa: F401
from investdesk.cli import demo as _demo  # noqa: F401
from investdesk.cli import documents as _documents  # noqa: F401
from investdesk.cli import engagements as _engagements  # noqa: F401
from investdesk.cli import enquiries as _enquiries  # noqa: F401
from investdesk.cli import exchange as _exchange  # noqa: F401
from investdesk.cli import extract as _extract  # noqa: F401
from investdesk.cli import followups as _followups  # noqa: F401
from investdesk.cli import incentives as _incentives  # noqa: F401
from investdesk.cli import ingest as _ingest  # noqa: F401
from investdesk.cli import jobs as _jobs  # noqa: F401
from investdesk.cli import merge as _merge  # noqa: F401
from investdesk.cli import missions as _missions  # noqa: F401
from investdesk.cli import organizations as _organizations  # noqa: F401
from investdesk.cli import papers as _papers  # noqa: F401
from investdesk.cli import people as _people  # noqa: F401
from investdesk.cli import pipeline as _pipeline  # noqa: F401
from investdesk.cli import reports as _reports  # noqa: F401
from investdesk.cli import search as _search  # noqa: F401
from investdesk.cli import sectors as _sectors  # noqa: F401
from investdesk.cli import serve as _serve  # noqa: F401
from investdesk.cli import users as _users  # noqa: F401
from investdesk.cli.app import app
from investdesk.cli.common import err_console
from investdesk.errors import InvestDeskError

__all__ = ["app", "main"]


def _pydantic_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{field}: {err.get('msg')}" if field else str(err.get("msg")))
    return "; ".join(parts)


def main() -> None:
    """Run the CLI; user errors print one line and exit 2, never a traceback."""
    try:
        app()
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
