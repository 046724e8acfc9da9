"""Where extraction runs: in this process, in N worker processes, or on a Dask cluster.

Each backend takes batches of (key, text) lazily and yields result batches as they complete (not in
submission order), keeping a bounded number in flight so memory stays flat on any corpus size.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from investdesk.errors import InvestDeskError
from investdesk.extraction import KnownNames
from investdesk.i18n import _
from investdesk.ingest import worker
from investdesk.ingest.worker import Result

Batch = list[tuple[int, str]]


class Backend:
    name = "this process"

    def results(self, batches: Iterable[Batch]) -> Iterator[list[Result]]:
        raise NotImplementedError

    def close(self) -> None:
        """Release processes or the cluster connection."""


class InProcess(Backend):
    def __init__(self, known: KnownNames | None) -> None:
        self.known = known

    def results(self, batches: Iterable[Batch]) -> Iterator[list[Result]]:
        for batch in batches:
            yield worker.extract_batch(batch, self.known)


class Processes(Backend):
    """N worker processes, each with its own model; the writer (this process) works meanwhile."""

    def __init__(self, known: KnownNames | None, workers: int) -> None:
        self.name = f"{workers} worker process{'es' if workers > 1 else ''}"
        # Spawned, not forked: no database connection or lock of this process crosses over.
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=worker.init, initargs=(known, os.getpid()))
        self.in_flight = workers * 2

    def results(self, batches: Iterable[Batch]) -> Iterator[list[Result]]:
        todo = iter(batches)
        running: set[Future[list[Result]]] = set()
        while True:
            while len(running) < self.in_flight and (batch := next(todo, None)) is not None:
                running.add(self.pool.submit(worker.extract_batch, batch))
            if not running:
                return
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                yield fut.result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class Dask(Backend):
    """A Dask cluster: ``local`` starts a LocalCluster of N processes, else the scheduler at the address."""

    def __init__(self, known: KnownNames | None, address: str, workers: int) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - a dependency of the package
            raise InvestDeskError(_("--dask needs the 'distributed' package")) from None
        self.cluster: Any = None
        try:
            if address == "local":
                self.cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                            dashboard_address=None)
                self.client = Client(self.cluster)
            else:
                if not address.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
                    raise InvestDeskError(_("--dask: %(address)s is neither 'local' nor a scheduler address such as "
                                            "tcp://10.0.0.5:8786", address=repr(address)))
                self.client = Client(address, timeout="20s")
        except InvestDeskError:
            raise
        except (OSError, TimeoutError) as exc:
            self.close()
            raise InvestDeskError(_('--dask: cannot reach the Dask scheduler at %(address)s (%(exc)s)',
                                    address=address, exc=exc)) from None
        self.name = f"Dask at {self.client.scheduler.address}"
        n = len(self.client.scheduler_info().get("workers", {})) or max(1, workers)
        self.in_flight = n * 3
        self.known = self.client.scatter(known, broadcast=True) if known is not None else None

    def results(self, batches: Iterable[Batch]) -> Iterator[list[Result]]:
        from distributed import as_completed

        todo = iter(batches)
        first = [self.client.submit(worker.extract_batch, b, self.known, pure=False)
                 for b in (next(todo, None) for _ in range(self.in_flight)) if b is not None]
        if not first:
            return
        queue = as_completed(first)
        for fut in queue:
            yield fut.result()
            fut.release()
            batch = next(todo, None)
            if batch is not None:
                queue.add(self.client.submit(worker.extract_batch, batch, self.known, pure=False))

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_backend(known: KnownNames | None, *, workers: int | None, dask: str | None) -> Backend:
    """``workers`` unset: one extraction process, or one Dask worker per core for a local cluster."""
    if dask:
        return Dask(known, dask, workers if workers is not None else (os.cpu_count() or 1))
    if workers is None:
        workers = 1
    if workers >= 1:
        return Processes(known, workers)
    return InProcess(known)
