"""The command line loads only what a command needs: each top-level word is mapped to the modules that register
it (checked against what they register), and a brief loads neither the extraction, exchange and backup code nor
Alembic on a current database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import investdesk
import investdesk.cli as cli
from investdesk.cli import COMMANDS, command_word


def _modules(typer_app: Any) -> set[str]:
    """The cli modules whose functions a Typer application (and its groups) runs."""
    found = {info.callback.__module__ for info in typer_app.registered_commands}
    for group in typer_app.registered_groups:
        found |= _modules(group.typer_instance)
    return {m.rsplit(".", 1)[-1] for m in found if m.startswith("investdesk.cli.")}


def test_every_command_is_mapped_to_the_modules_that_register_it() -> None:
    app = cli.app  # every module loaded
    words = {info.name or info.callback.__name__ for info in app.registered_commands}
    words |= {group.name for group in app.registered_groups}
    assert words == set(COMMANDS)
    for group in app.registered_groups:
        assert _modules(group.typer_instance) <= set(COMMANDS[group.name]), group.name
    for info in app.registered_commands:
        assert info.callback.__module__.rsplit(".", 1)[-1] in COMMANDS[info.name or info.callback.__name__]


def test_the_command_word_skips_global_options() -> None:
    assert command_word(["--as", "a@b.c", "brief", "organization", "1"]) == "brief"
    assert command_word(["--as=a@b.c", "pack", "mous"]) == "pack"
    assert command_word(["--help"]) is None and command_word([]) is None


def test_a_brief_loads_only_what_it_needs(env_db: Any, tmp_path: Path) -> None:
    """In a fresh process, on a current database: the brief command's modules, the database check and the brief's
    services leave spaCy, pandas, plotly, dask, openpyxl, matplotlib, Alembic, the other commands, the notifications
    of a refused edit and the review pack's queries unloaded."""
    src = str(Path(investdesk.__file__).resolve().parents[1])
    code = ("import sys, investdesk.cli as c; c.load_commands(['brief']); "
            "from investdesk.cli.context import engine; engine(); import investdesk.papers.files; "
            "heavy = ('spacy', 'pandas', 'plotly', 'dask', 'openpyxl', 'matplotlib', 'alembic', 'docx', "
            "'investdesk.cli.extract', 'investdesk.cli.exchange', 'investdesk.cli.backup', 'investdesk.backup', "
            "'investdesk.notifications.events', 'investdesk.papers.reviews'); "
            "print(sorted(m for m in heavy if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": src}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.strip() == "[]"


def test_the_head_read_from_the_revision_files_is_alembics() -> None:
    from investdesk import migrate

    assert migrate.shipped_head() == migrate.head_revision() is not None
