"""Papers as PDF: a Jinja2 template (autoescaped) laid out by WeasyPrint with the fonts shipped in the package.

Nothing is fetched from the network: the fetcher reads files of this package (fonts, the default logo) and the
configured logo only, and charts come inline as SVG. The fonts are named by file, so a machine without Noto
fonts prints the same pages.
"""

from __future__ import annotations

import atexit
import base64
import mimetypes
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pydantic import BaseModel

from investdesk import formatting, i18n
from investdesk.config import get_settings
from investdesk.errors import ValidationFailed
from investdesk.i18n import _
from investdesk.papers import weasy
from investdesk.startup import long_lived

HERE = Path(__file__).resolve().parent
FONTS = HERE / "fonts"
DEFAULT_LOGO = HERE / "static" / "agency-logo.svg"
_lock = threading.Lock()
_cache: dict[str, Any] = {}
# The font configuration keeps copies of the fonts in a temporary folder, removed when it is dropped: drop it
# while the interpreter is still whole, not during its teardown.
atexit.register(_cache.clear)


_LONG_RUN = re.compile(r"\S{31,}")


def _breakable(value: Any) -> Any:
    """Text with a zero-width break opportunity every 30 characters of a long unbroken run (a URL, a name typed
    without spaces), so a table column keeps its natural width and the run wraps instead of leaving the page."""
    if isinstance(value, str) and not isinstance(value, Markup) and len(value) > 30:
        return _LONG_RUN.sub(lambda m: "\u200b".join(m.group(0)[i:i + 30] for i in range(0, len(m.group(0)), 30)),
                             value)
    return value


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True, finalize=_breakable)
    formatting.install(env)
    i18n.install_jinja(env)
    return env


def logo_uri() -> str:
    """The agency's logo as a data URI (the configured file, else the shipped emblem)."""
    path = get_settings().agency_logo or DEFAULT_LOGO
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ValidationFailed(_('INVESTDESK_AGENCY_LOGO: cannot read %(path)s: %(strerror)s', path=path,
                                 strerror=exc.strerror),
                               field="agency_logo") from None
    kind = mimetypes.guess_type(str(path))[0] or "image/svg+xml"
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def html(template: str, paper: BaseModel, **extra: Any) -> str:
    """The paper as HTML (also what the tests and the browser preview read)."""
    return environment().get_template(template).render(paper=paper, logo=logo_uri(), **extra)


def _fetcher() -> Any:
    """A fetcher that serves data URIs and this package's own files, and refuses anything else (a network
    address, or a file elsewhere on the machine named in a record)."""
    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            if parsed.scheme == "file" and not Path(unquote(parsed.path)).resolve().is_relative_to(HERE):
                raise ValueError(_('papers read only their own files, not %(url)s', url=url))
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols={"file", "data"})


def _prepare() -> None:
    """WeasyPrint loaded, the fonts read and the stylesheet parsed, once per process (under ``_lock``)."""
    if _cache:
        return
    with long_lived():
        weasyprint = weasy.load()
        from weasyprint.text.fonts import FontConfiguration

        fetcher = _fetcher()
        fonts = FontConfiguration()
        css = weasyprint.CSS(filename=str(HERE / "templates" / "paper.css"), font_config=fonts, url_fetcher=fetcher)
    _cache.update(fetcher=fetcher, fonts=fonts, css=css)


def warm() -> None:
    """Do now what the first paper of a process would (a few seconds: loading WeasyPrint and the fonts), so a
    server's first brief is as quick as the next one."""
    environment()
    with _lock:
        _prepare()


def render(template: str, paper: BaseModel, **extra: Any) -> bytes:
    """The paper as PDF bytes."""
    page = html(template, paper, **extra)
    # The fonts are read and decompressed once per process (a second each); the font configuration is not made
    # for threads, so one layout runs at a time, which also keeps a server's memory bounded.
    with _lock:
        _prepare()
        from weasyprint import HTML

        document = HTML(string=page, base_url=str(HERE) + "/", url_fetcher=_cache["fetcher"])
        return document.write_pdf(stylesheets=[_cache["css"]],
                                  font_config=_cache["fonts"])
