"""Jinja2 templates for the pages; autoescaping is on for every template, and every text is marked for
translation (the i18n extension's ``{% trans %}`` and ``_()``, answered in the request's language)."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from investdesk import i18n
from investdesk.permissions import can

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.autoescape = True
i18n.install_jinja(templates.env)

# Pages hide or disable what the signed-in user may not do, with the reason: ``can(actor, "move_lead", o)``.
templates.env.globals["can"] = can
