"""The README stays true: every setting and every command is documented there."""

from __future__ import annotations

from pathlib import Path

import typer.main

from investdesk.cli import app
from investdesk.config import Settings

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    missing = [f"INVESTDESK_{name.upper()}" for name in Settings.model_fields
               if f"`INVESTDESK_{name.upper()}`" not in README]
    assert missing == []


def test_every_command_is_documented() -> None:
    group = typer.main.get_group(app)
    missing = [name for name in group.commands if f"investdesk {name}" not in README]
    assert missing == []


def test_quickstart_has_the_two_commands() -> None:
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = [line.split("#")[0].strip() for line in quickstart.split("```")[1].strip().splitlines()]
    assert commands == ["make run", "make test"]
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text()
    assert "make test" in ci and "INVESTDESK_TEST_DATABASE_URL" in ci
