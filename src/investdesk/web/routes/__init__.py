"""The HTML pages: one router per area, installed on the app by :func:`install`."""

from __future__ import annotations

from fastapi import FastAPI

from investdesk.web.routes import errors


def install(app: FastAPI) -> None:
    """Mount every page router, the chart library and the HTML error pages."""
    from investdesk.web.routes import (
        assets,
        documents,
        exchange,
        followups,
        home,
        incentives,
        missions,
        missions_edit,
        mous,
        notifications,
        opportunities,
        organizations,
        people,
        reports,
        search,
    )

    # The import pages come before the MoU and lead pages: /mous/import is not /mous/{mou_id}.
    for module in (assets, exchange, home, organizations, people, missions, missions_edit, documents, opportunities,
                   mous, followups, reports, search, incentives):
        app.include_router(module.router)
    app.include_router(mous.blocker_pages)
    app.include_router(notifications.router)
    app.include_router(notifications.public)
    errors.install(app)
