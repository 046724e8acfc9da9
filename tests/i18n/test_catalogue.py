"""Every user-facing string is marked for translation and has its Hindi: the check that fails when a template,
a mail, a paper or a message in the code shows English that nobody marked, or marked text the catalogue lacks."""

from __future__ import annotations

import importlib
import io
import pkgutil
import re
from enum import Enum
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import investdesk
from investdesk import i18n
from investdesk.formatting import english_label
from investdesk.vocabulary import LABELS
from investdesk.web.templating import templates
from tests.i18n import python_text, template_text

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "investdesk"
PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


def _catalogue():  # type: ignore[no-untyped-def]
    with i18n.catalogue_path().open("rb") as fh:
        return read_po(fh, locale="hi")


def _extracted() -> set[str]:
    """Every marked string, found as `make messages` finds it (babel.cfg)."""
    method_map = [("src/investdesk/**.py", "python"), ("src/investdesk/**/templates/**.html", "jinja2"),
                  ("src/investdesk/**/templates/**.txt", "jinja2")]
    options = {"src/investdesk/**/templates/**.html": {"extensions": "jinja2.ext.i18n"},
               "src/investdesk/**/templates/**.txt": {"extensions": "jinja2.ext.i18n"}}
    found: set[str] = set()
    # Every directory but hidden ones: Babel leaves out "_partials" by default.
    def visible(path: str) -> bool:
        return not Path(path).name.startswith(".")

    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, options,
                                                                        directory_filter=visible):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _templates() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("templates/**/*") if p.suffix in (".html", ".txt"))


def test_every_template_text_is_marked_for_translation() -> None:
    unmarked = [f"{p.relative_to(PACKAGE)}:{line}: {text[:80]!r}" for p in _templates()
                for line, text in template_text.untranslated(p.read_text(encoding="utf-8"))]
    assert not unmarked, "text outside {% trans %} / _():\n" + "\n".join(unmarked)


def test_every_label_passed_in_a_template_expression_is_marked() -> None:
    unmarked = [f"{p.relative_to(PACKAGE)}:{line}: {text[:80]!r}" for p in _templates() if p.suffix == ".html"
                for line, text in template_text.untranslated_literals(templates.env, p.read_text(encoding="utf-8"))]
    assert not unmarked, "string literals in expressions without _():\n" + "\n".join(unmarked)


def test_every_message_in_the_code_is_marked() -> None:
    unmarked = [f"{f}:{line}: {text}" for f, line, text in python_text.unmarked(PACKAGE)]
    assert not unmarked, "error, validation and flash messages without _():\n" + "\n".join(unmarked)


def test_every_marked_string_has_a_hindi_translation() -> None:
    catalogue = _catalogue()
    translated = {(m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalogue
                  if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)}
    missing = sorted(_extracted() - translated)
    assert not missing, f"{len(missing)} strings without Hindi (run `make messages`, then translate):\n" + \
        "\n".join(missing[:40])


def test_translations_keep_their_placeholders() -> None:
    """A translation that drops or renames a %(name)s would fail at run time (and then show English)."""
    wrong = []
    for m in _catalogue():
        if not m.id or not m.string:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        want = sorted(PLACEHOLDER.findall(ids[-1]))
        for s in strings:
            if s and sorted(PLACEHOLDER.findall(s)) != want and not (len(ids) > 1 and "num" in want):
                wrong.append(f"{ids[0]!r} -> {s!r}")
    assert not wrong, "\n".join(wrong)


def test_the_catalogue_is_mostly_hindi() -> None:
    """Hindi, not English copied across: most translations are written in Devanagari."""
    strings = [m.string for m in _catalogue() if m.id and isinstance(m.string, str) and m.string]
    devanagari = [s for s in strings if re.search(r"[\u0900-\u097f]", s)]
    assert len(strings) > 1000 and len(devanagari) / len(strings) > 0.95


def test_every_vocabulary_value_has_a_label_in_the_catalogue() -> None:
    """Stages, statuses, kinds, roles... are shown through the `label` filter, which translates their English
    label: each must be listed in vocabulary.py (so it is extracted)."""
    shown = ["investdesk.models.enums", "investdesk.reports.schemas", "investdesk.incentives.rules"]
    labels = set(LABELS)
    missing = []
    for name in shown:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Enum) and value.__module__ == name:
                if value.__name__ in ("RecordKind",):
                    continue
                missing += [f"{value.__name__}.{m.name}" for m in value if english_label(m) not in labels]
    # The fields of the records whose "Changes" box lists them by name.
    from investdesk.db import Base

    labels |= _extracted()  # "Name", "Notes"... marked where the forms show them
    for table in ("organizations", "people", "missions", "engagements", "opportunities", "mous", "blockers",
                  "documents"):
        missing += [f"{table}.{c.name}" for c in Base.metadata.tables[table].columns
                    if english_label(c.name) not in labels]
    assert not missing, missing


def test_every_module_imports_with_the_catalogue() -> None:
    """Marking strings changed many modules: each still imports (no stray placeholder, no import cycle)."""
    for info in pkgutil.walk_packages(investdesk.__path__, "investdesk."):
        if ".migrations" in info.name or info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)


def test_a_missing_or_partial_translation_falls_back_to_english_per_string() -> None:
    partial = io.BytesIO(b'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgid "Sign in"
msgstr "\xe0\xa4\xb8\xe0\xa4\xbe\xe0\xa4\x87\xe0\xa4\xa8 \xe0\xa4\x87\xe0\xa4\xa8"

msgid "Sign out"
msgstr ""

#, fuzzy
msgid "Reports"
msgstr "rough"
''')
    compiled = i18n.compile_po(partial, "hi")
    assert compiled.gettext("Sign in") == "साइन इन"
    assert compiled.gettext("Sign out") == "Sign out"  # empty: English, never a blank
    assert compiled.gettext("Reports") == "Reports"  # fuzzy (unchecked): English
    assert compiled.gettext("Not in the catalogue") == "Not in the catalogue"
    with i18n.using("hi"):
        assert i18n.gettext("Not in the catalogue, %(n)s", n=3) == "Not in the catalogue, 3"
        assert i18n.gettext("Sign out") == "साइन आउट"


@pytest.mark.parametrize(("header", "expected"), [
    ("hi-IN,hi;q=0.9,en-US;q=0.8,en;q=0.7", "hi"),
    ("en-GB,en;q=0.9,hi;q=0.8", "en"),
    ("en;q=0.5, hi", "hi"),
    ("fr-FR,hi;q=0.3", "hi"),
    ("fr-FR,de", "en"),
    ("", "en"),
    (None, "en"),
    ("hi;q=abc", "en"),  # malformed: ignored
    (";;;,,,\x00", "en"),
    ("hi;q=0", "en"),  # "not Hindi"
    ("*", "en"),
    ("x" * 600, "en"),
])
def test_accept_language_picks_a_known_language_and_ignores_nonsense(header: str | None, expected: str) -> None:
    assert i18n.from_accept_language(header) == expected


def test_the_catalogue_ships_with_the_package() -> None:
    """The .po file is the one compiled at start (no build step): it must be package data, or an installed
    InvestDesk would show English only."""
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "**/*.po" in data["tool"]["setuptools"]["package-data"]["investdesk"]
    assert i18n.catalogue_path().is_file()
    i18n.translations.cache_clear()
    assert i18n.translations("hi").gettext("Sign in") == "साइन इन करें"
