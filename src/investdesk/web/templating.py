"""Jinja2 templates for the pages; autoescaping is on for every template, and every text is marked for
translation (the i18n extension's ``{% trans %}`` and ``_()``, answered in the request's language)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Undefined
from markupsafe import Markup

from investdesk import i18n
from investdesk.i18n import N_
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
i18n.install_jinja(templates.env)

# The few messages the page's script writes itself, given to it translated (data-messages on <body>).
JS_MESSAGES = (N_("No data yet."), N_("Waiting"), N_("Reading…"), N_("Already stored: open"),
               N_("Review %(num)s items"), N_("Upload failed (%(status)s)"), N_("Network error"),
               N_("The server refused that (%(status)s)."), N_("The server cannot be reached."))


def js_messages() -> dict[str, str]:
    return {m: i18n.gettext(m) for m in JS_MESSAGES}


templates.env.globals["js_messages"] = js_messages

# Pages hide or disable what the signed-in user may not do, with the reason: ``can(actor, "move_lead", o)``.
templates.env.globals["can"] = can


# The i18n extension's newstyle callables, without its indirections: Jinja's own ``_`` looks ``gettext`` up in the
# context and calls it through the context, which calls the translation through the context again, on each of the
# hundred or so strings of a page. These answer the same (the translation marked safe, as autoescaping is always
# on here, then filled with its escaped variables, even when there are none: "%%" reads "%").
def _gettext(message: str, /, **variables: Any) -> Markup:
    return Markup(i18n.translations(i18n.current()).gettext(message) or message) % variables


def _ngettext(singular: str, plural: str, n: int, /, **variables: Any) -> Markup:
    variables.setdefault("num", n)
    return Markup(i18n.translations(i18n.current()).ngettext(singular, plural, n)) % variables


def _pgettext(context: str, message: str, /, **variables: Any) -> Markup:
    variables.setdefault("context", context)
    return Markup(str(i18n.translations(i18n.current()).pgettext(context, message) or message)) % variables


def _npgettext(context: str, singular: str, plural: str, n: int, /, **variables: Any) -> Markup:
    variables.setdefault("context", context)
    variables.setdefault("num", n)
    return Markup(str(i18n.translations(i18n.current()).npgettext(context, singular, plural, n))) % variables


templates.env.globals.update(_=_gettext, gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext,
                             npgettext=_npgettext)
