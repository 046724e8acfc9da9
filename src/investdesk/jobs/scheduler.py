"""The scheduler inside ``investdesk serve``: APScheduler 3 fires each job at its times in the agency's time
zone; ``jobs.service.run_due`` makes sure only one server (or uvicorn worker) runs each slot.

APScheduler is used for the timing (cron fields, time zones, missed fire times, a thread pool that does not
block the event loop) rather than a hand-written loop; its own job store stays in memory, because which
server runs a slot is decided in our database, not by the scheduler.
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from investdesk.jobs import service
from investdesk.jobs.registry import agency_zone, jobs

log = logging.getLogger("investdesk.jobs")


def start(engine: Engine) -> BackgroundScheduler:
    """Start the jobs: each at its times, and once now for any slot missed while no server ran."""
    zone = agency_zone()
    scheduler = BackgroundScheduler(timezone=zone, job_defaults={"coalesce": True, "max_instances": 1,
                                                                 "misfire_grace_time": 3600})
    for name, job in jobs().items():
        if job.daily_at:
            hour, minute = job.daily_at.split(":")
            trigger: CronTrigger | IntervalTrigger = CronTrigger(hour=int(hour), minute=int(minute), timezone=zone)
        else:
            trigger = CronTrigger(minute=f"*/{job.every_minutes}", timezone=zone)
        scheduler.add_job(service.run_due, trigger, args=[engine, name], id=name, name=name)
    scheduler.add_job(service.run_all_due, args=[engine], id="catch-up", name="catch-up")
    scheduler.start()
    log.info("scheduler started (%s): %s", zone.key, ", ".join(sorted(jobs())))
    return scheduler


def stop(scheduler: BackgroundScheduler) -> None:
    scheduler.shutdown(wait=True)
