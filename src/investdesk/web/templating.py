"""Jinja2 templates for the pages; autoescaping is on for every template."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import Undefined
from markupsafe import Markup

from investdesk.permissions import can

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"



class _Undefined(Undefined):
    """Prints as nothing, as Jinja's own does, but says so to the escaper at once: ``{{ a if b }}`` with ``b``
    false is common in the pages, and the escaper's probe of a plain Undefined raises and catches an error."""

    def __html__(self) -> Markup:
        return Markup("")


templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.autoescape = True
templates.env.undefined = _Undefined
# The templates ship with the package and change only with it: no file check on every render.
templates.env.auto_reload = False

# Pages hide or disable what the signed-in user may not do, with the reason: ``can(actor, "move_lead", o)``.
templates.env.globals["can"] = can
