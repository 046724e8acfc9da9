"""The scheduler's part in the web server's life: started with the app, stopped (waiting for a running job)
with it. Every server and worker starts one; the claim in ``jobs.service`` keeps each slot to one of them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    scheduler = None
    if app.state.settings.warm_papers:
        import threading

        from investdesk.papers import pdf

        threading.Thread(target=pdf.warm, name="papers warm-up", daemon=True).start()
    if app.state.settings.scheduler:
        from investdesk.jobs import scheduler as jobs_scheduler

        scheduler = jobs_scheduler.start(app.state.engine)  # adds the triggers; no database call here
    try:
        yield
    finally:
        if scheduler is not None:
            import anyio

            await anyio.to_thread.run_sync(jobs_scheduler.stop, scheduler)
