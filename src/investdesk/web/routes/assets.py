"""Plotly's JavaScript, served from the installed plotly package (no CDN, no copy in the repository)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from investdesk.web.templating import templates

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=1)
def plotly_js() -> Path:
    return Path(str(resources.files("plotly").joinpath("package_data/plotly.min.js")))


@lru_cache(maxsize=1)
def plotly_style_guards() -> tuple[str, ...]:
    """Ids of the <style> elements plotly.js would inject for bundled libraries (maplibre) unless an element with
    that id is already on the page. The charts use none of them; a placeholder keeps the page within a CSP with
    no inline styles. Read from the installed file, so a plotly upgrade brings its own ids."""
    source = plotly_js().read_text(encoding="utf-8", errors="replace")
    pattern = r'getElementById\("([0-9a-f]{40,64})"\)\)\{var \w+=document\.createElement\("style"\)'
    return tuple(dict.fromkeys(re.findall(pattern, source)))


templates.env.globals["plotly_style_guards"] = plotly_style_guards


@router.get("/vendor/plotly.min.js")
def plotly() -> FileResponse:
    # A day of caching: the file changes only when the plotly package is upgraded (ETag covers the rest).
    return FileResponse(plotly_js(), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})
