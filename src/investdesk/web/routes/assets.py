"""Plotly's JavaScript, served from the installed plotly package (no CDN, no copy in the repository)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=1)
def plotly_js() -> Path:
    return Path(str(resources.files("plotly").joinpath("package_data/plotly.min.js")))


@router.get("/vendor/plotly.min.js")
def plotly() -> FileResponse:
    # A day of caching: the file changes only when the plotly package is upgraded (ETag covers the rest).
    return FileResponse(plotly_js(), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})
