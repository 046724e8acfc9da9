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


CONTRIBUTING = (Path(__file__).parent.parent / "CONTRIBUTING.md").read_text(encoding="utf-8")
PACKAGE = Path(__file__).parent.parent / "src" / "investdesk"


def _layout() -> str:
    return CONTRIBUTING.split("## Layout", 1)[1].split("```")[1]


def _entries(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.iterdir()
                  if not p.name.startswith(("_", ".")) and (p.suffix == ".py" or p.is_dir()))


def test_contributing_layout_names_every_module_and_area() -> None:
    layout = _layout()
    words = set(layout.replace("/", " ").replace(",", " ").replace("(", " ").replace(")", " ").split())
    missing = [f"{folder.relative_to(PACKAGE.parent)}/{name}"
               for folder in (PACKAGE, PACKAGE / "extraction")
               for name in _entries(folder) if name not in words and f"{name}.py" not in words]
    assert missing == []


def test_contributing_layout_names_nothing_that_is_gone() -> None:
    import re

    named = set(re.findall(r"^  (\w+)(?:\.py|/)", _layout(), flags=re.M))
    assert named and sorted(named - set(_entries(PACKAGE))) == []
