"""Jinja2 templates for the pages; autoescaping is on for every template."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from investdesk.permissions import can

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.autoescape = True

# Pages hide or disable what the signed-in user may not do, with the reason: ``can(actor, "move_lead", o)``.
templates.env.globals["can"] = can
