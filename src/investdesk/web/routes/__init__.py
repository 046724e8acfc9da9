"""The HTML pages: one router per area, installed on the app by :func:`install`."""

from __future__ import annotations

from fastapi import FastAPI

from investdesk.web.routes import errors


def install(app: FastAPI) -> None:
    """Mount every page router, the chart library and the HTML error pages."""
    from investdesk.web.routes import (
        assets,
        documents,
        followups,
        home,
        missions,
        mous,
        opportunities,
        organizations,
        people,
        reports,
        search,
    )

    for module in (assets, home, organizations, people, missions, documents, opportunities, mous, followups, reports,
                   search):
        app.include_router(module.router)
    app.include_router(mous.blocker_pages)
    errors.install(app)
