"""The scheduler's part in the web server's life: started with the app, stopped (waiting for a running job)
with it. Every server and worker starts one; the claim in ``jobs.service`` keeps each slot to one of them.

As it starts, the process also sets aside for the garbage collector what it has loaded (modules, catalogues,
the app: a few hundred thousand objects that live as long as it does), so that a full collection walks only
what the requests made since: without, about every tenth large page (a mission's meetings, the reports) paid
some 150 ms of CPU walking them (benchmarks/web.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from investdesk.startup import set_aside


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
        with set_aside(collect=True):  # no garbage of the start-up is kept for good
            yield
    finally:
        if scheduler is not None:
            import anyio

            await anyio.to_thread.run_sync(jobs_scheduler.stop, scheduler)
