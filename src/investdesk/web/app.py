"""The FastAPI application: REST API under /api, pages, health and OpenAPI docs."""

from __future__ import annotations

import gc
import logging

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from investdesk import __version__
from investdesk.audit.api import router as audit_router
from investdesk.blockers.api import router as blockers_router
from investdesk.calendars.api import router as calendars_router
from investdesk.config import Settings, get_settings
from investdesk.db import get_engine
from investdesk.documents.api import router as documents_router
from investdesk.engagements.api import router as engagements_router
from investdesk.enquiries.api import router as enquiries_router
from investdesk.errors import InvestDeskError
from investdesk.exchange.api import router as exchange_router
from investdesk.followups.api import router as followups_router
from investdesk.incentives.api import router as incentives_router
from investdesk.jobs.api import router as jobs_router
from investdesk.jobs.lifespan import lifespan
from investdesk.matchmaking.api import router as matchmaking_router
from investdesk.missions.api import router as missions_router
from investdesk.mous.api import router as mous_router
from investdesk.notifications.api import router as notifications_router
from investdesk.offerings.api import router as offerings_router
from investdesk.organizations.api import router as organizations_router
from investdesk.papers.api import router as papers_router
from investdesk.people.api import router as people_router
from investdesk.pipeline.api import router as pipeline_router
from investdesk.reports.api import router as reports_router
from investdesk.users.api import router as account_router
from investdesk.web.auth import install_auth
from investdesk.web.deps import check_path_ids, get_actor, refuse_nul_characters
from investdesk.web.routes import install as install_pages
from investdesk.web.routes.auth import router as auth_router
from investdesk.web.templating import STATIC_DIR, templates

log = logging.getLogger("investdesk.web")


def _validation_message(exc: RequestValidationError) -> list[dict[str, object]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        out.append({"field": ".".join(loc) or None, "message": err.get("msg", "invalid")})
    return out


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    # In production the API's description is for signed-in users only (it maps every door of the server).
    private_docs = settings.environment == "production"
    docs_deps = [Depends(get_actor)] if private_docs else []
    # The default docs page pulls Swagger UI from a CDN; ours serves it from the package (offline networks).
    # FastAPI's own OpenTelemetry is off: the application sets up no tracing, metrics or log export, and with it
    # on FastAPI asks the global providers on every request whether any is configured.
    app = FastAPI(title="InvestDesk", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
                  openapi_url=None if private_docs else "/openapi.json",
                  dependencies=[Depends(check_path_ids), Depends(refuse_nul_characters)],
                  description="Engagement records, leads and MoUs of an investment promotion agency.")
    app.state.settings = settings
    app.state.engine = engine or get_engine(settings)

    @app.exception_handler(InvestDeskError)
    async def _domain_error(_request: Request, exc: InvestDeskError) -> JSONResponse:
        return JSONResponse(exc.to_dict(), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_message(exc)
        detail = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else str(e["message"]) for e in errors)
        return JSONResponse({"error": "validation_failed", "detail": detail, "errors": errors}, status_code=422)

    @app.get("/health", tags=["meta"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/docs", include_in_schema=False, dependencies=docs_deps)
    def api_docs(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "api_docs.html")

    if private_docs:
        @app.get("/openapi.json", include_in_schema=False, dependencies=docs_deps)
        def openapi_schema() -> JSONResponse:
            return JSONResponse(app.openapi())

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    app.include_router(organizations_router, prefix="/api")
    app.include_router(people_router, prefix="/api")
    app.include_router(missions_router, prefix="/api")
    app.include_router(engagements_router, prefix="/api")
    app.include_router(offerings_router, prefix="/api")
    app.include_router(documents_router, prefix="/api")
    # Before the MoU and lead routers: /mous/import and /mous/export are not /mous/{mou_id}.
    app.include_router(exchange_router, prefix="/api")
    app.include_router(pipeline_router, prefix="/api")
    app.include_router(enquiries_router, prefix="/api")
    app.include_router(mous_router, prefix="/api")
    app.include_router(blockers_router, prefix="/api")
    app.include_router(followups_router, prefix="/api")
    app.include_router(reports_router, prefix="/api")
    app.include_router(papers_router, prefix="/api")
    app.include_router(audit_router, prefix="/api")
    app.include_router(incentives_router, prefix="/api")
    app.include_router(matchmaking_router, prefix="/api")
    app.include_router(notifications_router, prefix="/api")
    app.include_router(jobs_router, prefix="/api")
    app.include_router(account_router, prefix="/api")
    app.include_router(auth_router)
    app.include_router(calendars_router)  # before the pages: /missions/3.ics is not /missions/{mission_id}
    install_pages(app)
    # Last added runs first: every request is identified (and checked for size and CSRF) before anything else,
    # after the trusted proxy's forwarded address and scheme are applied (the cookie is Secure behind https).
    install_auth(app, settings.resolved_secret_key())
    if settings.forwarded_allow_ips:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)
    return app


def tune_collector() -> None:
    """For a long-running server process. A request allocates thousands of short-lived objects (rows, ORM states,
    template output) that reference counting frees by itself: a pass of the cyclic collector every 20,000
    allocations instead of every 700 finds the same garbage for a fraction of the work (measured by
    benchmarks/mix.py: about 1 ms of CPU per request of the load mix). What the start built (modules, routes,
    templates, the mappers) is frozen by the app's start-up itself (``jobs.lifespan``), in every process."""
    gc.set_threshold(20_000, 20, 10)


def server_app() -> FastAPI:
    """The application as each process of ``investdesk serve --workers N`` runs it."""
    app = create_app()
    tune_collector()
    return app
