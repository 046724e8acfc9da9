"""The HTML pages: one router per area, installed on the app by :func:`install`."""

from __future__ import annotations

from fastapi import FastAPI

from investdesk.web.routes import errors


def install(app: FastAPI) -> None:
    """Mount every page router, the chart library and the HTML error pages."""
    from investdesk.web.routes import (
        assets,
        documents,
        home,
        missions,
        mous,
        opportunities,
        organizations,
        people,
        search,
    )

    for module in (assets, home, organizations, people, missions, documents, opportunities, mous, search):
        app.include_router(module.router)
    errors.install(app)
