"""The two languages of the interface, English and Hindi: message catalogues, the current language, and the
Indian ways of writing amounts and dates.

Every user-facing string is written in English in the code and templates, marked with ``_()`` (Python) or
``{% trans %}`` / ``_()`` (Jinja), and translated in ``locale/hi/LC_MESSAGES/messages.po``. The catalogue is
compiled from the ``.po`` file when it is first needed (so a fresh install needs no build step and the shipped
``.po`` is the one truth); a string it lacks, or translates with an empty text, falls back to its English.

The current language is a context variable: the web's door sets it for each request (the signed-in user's
choice, or before sign-in the browser's ``Accept-Language``), and mail or papers made for one person are
written inside ``using(that_person's_language)``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

LANGUAGES: dict[str, str] = {"en": "English", "hi": "हिन्दी"}
DEFAULT = "en"
BABEL_LOCALES = {"en": "en_IN", "hi": "hi_IN"}

_current: contextvars.ContextVar[str] = contextvars.ContextVar("investdesk_language", default=DEFAULT)


def catalogue_path() -> Any:
    return resources.files("investdesk").joinpath("locale/hi/LC_MESSAGES/messages.po")


@lru_cache(maxsize=4)
def translations(language: str) -> NullTranslations:
    """The compiled catalogue of a language (English is the source: no catalogue)."""
    if language != "hi":
        return NullTranslations()
    with catalogue_path().open("rb") as fh:
        return compile_po(fh, language)


def compile_po(fh: Any, language: str) -> Translations:
    """A ``.po`` file compiled in memory. A fuzzy (unchecked) or empty translation is left out, so that string
    shows in English: a partial catalogue falls back per string, never to a blank."""
    catalog = read_po(fh, locale=language)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(buf)


def normalize(language: str | None) -> str:
    """A known language code, or the default (a stored value from an older version, a typo in a setting)."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else DEFAULT


def current() -> str:
    return _current.get()


def set_current(language: str | None) -> contextvars.Token[str]:
    return _current.set(normalize(language))


@contextmanager
def using(language: str | None) -> Iterator[str]:
    """Write in a language for a while (a mail to one recipient, a paper asked for by one user)."""
    token = _current.set(normalize(language))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def gettext(message: str, /, **variables: Any) -> str:
    """The message in the current language (English when it has no translation); ``%(name)s`` placeholders are
    filled from ``variables``."""
    text = translations(current()).gettext(message) or message
    if not variables:
        return text
    try:
        return text % variables
    except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder: the English, filled in
        return message % variables


def ngettext(singular: str, plural: str, n: int, /, **variables: Any) -> str:
    text = translations(current()).ngettext(singular, plural, n)
    variables.setdefault("num", n)
    try:
        return text % variables
    except (KeyError, ValueError, TypeError):
        return (singular if n == 1 else plural) % variables


def pgettext(context: str, message: str, /, **variables: Any) -> str:
    """A message whose translation depends on where it is shown ("Home": the home page, or the home side)."""
    text = str(translations(current()).pgettext(context, message) or message)
    return text % variables if variables else text


_ = gettext


def N_(message: str) -> str:
    """Marks a string for the catalogue where it is defined; it is translated where it is shown."""
    return message


# --- Accept-Language ------------------------------------------------------------------------------------------

_RANGE = re.compile(r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([01](?:\.\d{0,3})?))?\s*$")


def from_accept_language(header: str | None) -> str:
    """The preferred known language of a browser's ``Accept-Language`` ("hi-IN,hi;q=0.9,en;q=0.8" -> "hi").

    A malformed header (or a malformed part of one) is ignored, never an error: the default language."""
    if not header or len(header) > 500:
        return DEFAULT
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        match = _RANGE.match(part)
        if not match:
            continue
        tag, q = match.group(1), match.group(2)
        weight = float(q) if q else 1.0
        code = tag.lower().split("-")[0]
        if weight > 0 and code in LANGUAGES:
            ranked.append((-weight, index, code))
    return min(ranked)[2] if ranked else DEFAULT


# --- numbers, money and dates -----------------------------------------------------------------------------------

def babel_locale(language: str | None = None) -> str:
    code = language or current()
    return BABEL_LOCALES.get(code) or BABEL_LOCALES[normalize(code)]


def _babel_number(value: float | int | Decimal, decimals: int, locale: str) -> str:
    pattern = "#,##,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale)


@lru_cache(maxsize=4)
def _plain_symbols(locale: str) -> bool:
    """Whether a locale writes numbers with Latin digits, "." and "," and a plain minus (en_IN and hi_IN do):
    then :func:`number` groups the digits itself, as Babel would, at a tenth of the cost."""
    symbols = Locale.parse(locale).number_symbols
    symbols = symbols.get("latn", symbols)
    return (symbols.get("decimal"), symbols.get("group"), symbols.get("minusSign")) == (".", ",", "-") and \
        _babel_number(Decimal("-1234567.5"), 1, locale) == "-12,34,567.5"


_QUANTUM = [Decimal(1).scaleb(-n) for n in range(10)]


def number(value: float | int | Decimal, decimals: int = 0) -> str:
    """Indian digit grouping (12,34,567) as Babel's en_IN / hi_IN locales write it (rounded half to even, from
    the shortest decimal form of a float); pages call this thousands of times, so the grouping is done here
    and Babel is asked only for what this does not cover."""
    locale = babel_locale()
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if not (d.is_finite() and abs(d) < _LIMIT and 0 <= decimals < len(_QUANTUM) and _plain_symbols(locale)):
        return _babel_number(value, decimals, locale)
    rounded = d.quantize(_QUANTUM[decimals], rounding=ROUND_HALF_EVEN)
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    if len(whole) > 3:
        head, tail = whole[:-3], whole[-3:]
        pairs = [head[max(i - 2, 0):i] for i in range(len(head), 0, -2)]
        whole = ",".join(reversed(pairs)) + "," + tail
    return ("-" if rounded.is_signed() else "") + whole + ("." + fraction if decimals else "")


_LIMIT = Decimal(10) ** 15


def _trimmed(value: float) -> str:
    """Two decimals unless they are zero: 4,666.25 / 4,666."""
    text = number(round(value, 2), 2)
    return text[:-3] if text.endswith(".00") else text


def money_crore(value: float) -> str:
    """The one money formatter: an INR amount held in crore, as officers read it, with Indian digit grouping:
    "₹4,666 crore", below one crore "₹45 lakh", below a lakh rupees ("₹50,000"). The same amounts come back
    on every page: each is written once per language."""
    return _money_crore(float(value), current())


@lru_cache(maxsize=8192)
def _money_crore(value: float, language: str) -> str:
    with using(language):
        return _written_crore(value)


def _written_crore(value: float) -> str:
    sign = "-" if value < 0 else ""
    v = abs(value)
    if v == 0 or v >= 1:
        return sign + gettext("₹%(amount)s crore", amount=_trimmed(v))
    if v >= 0.01:
        return sign + gettext("₹%(amount)s lakh", amount=_trimmed(v * 100))
    return sign + "₹" + number(round(v * 1e7))


def date(value: dt.date | dt.datetime) -> str:
    """1 Dec 2026 / 1 दिसंबर 2026."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return _date(day, current())


def datetime(value: dt.datetime) -> str:
    """The time as read where it was taken (its own offset): keyed by that wall time, as two equal instants in
    different zones read differently."""
    return _datetime(value.replace(tzinfo=None), current())


# A list page writes the same few days over and over: each is formatted once per language.
@lru_cache(maxsize=4096)
def _date(day: dt.date, language: str) -> str:
    pattern = "d MMMM y" if language == "hi" else "d MMM y"
    return format_date(day, pattern, locale=BABEL_LOCALES[language])


@lru_cache(maxsize=4096)
def _datetime(wall: dt.datetime, language: str) -> str:
    pattern = "d MMMM y HH:mm" if language == "hi" else "d MMM y HH:mm"
    return format_datetime(wall, pattern, locale=BABEL_LOCALES[language], tzinfo=dt.UTC)


# --- Jinja ---------------------------------------------------------------------------------------------------------

def _template_gettext(message: str) -> str:
    return translations(current()).gettext(message) or message


def _template_ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


def _template_pgettext(context: str, message: str) -> str:
    return str(translations(current()).pgettext(context, message) or message)


def _template_npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return str(translations(current()).npgettext(context, singular, plural, n))


def install_jinja(env: Any) -> None:
    """The i18n extension on a Jinja environment (pages, mail, papers), answered in the current language.
    Newstyle: ``_("... %(name)s", name=x)`` fills and escapes its variables, as ``{% trans %}`` does."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_template_gettext, _template_ngettext, newstyle=True,
                                  pgettext=_template_pgettext, npgettext=_template_npgettext)
    env.globals["current_language"] = current
    env.globals["languages"] = LANGUAGES
