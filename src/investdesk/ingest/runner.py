"""The ingest run: read files, extract them (here, in processes or on Dask), write each as it arrives.

The documents of one extraction batch are written in one transaction (each one's row, items, records and
evidence together; when one fails, each is written in its own), so a run killed at any point leaves whole
documents only; running it again skips what is stored (by sha256) and
finishes the rest. A failure in one file is reported for that file and the run goes on.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from investdesk.db import session_factory, transaction
from investdesk.documents import service as documents
from investdesk.errors import InvestDeskError
from investdesk.extraction import DocumentError, DocumentText, Extraction, KnownNames, read_document
from investdesk.ingest.backends import Batch, make_backend
from investdesk.ingest.sources import expand
from investdesk.ingest.worker import Result
from investdesk.models import AuditEvent
from investdesk.permissions import Actor
from investdesk.resolution.index import Resolver
from investdesk.resolution.service import known_names

# Ingest writers on one PostgreSQL database take turns (a transaction-scoped advisory lock), so two runs
# resolving the same new name cannot both create it; SQLite admits one writer at a time anyway.
INGEST_LOCK = 0x1D35C


@dataclass
class FileResult:
    path: str
    status: str  # stored | known | error
    message: str
    document_id: int | None = None


@dataclass
class IngestReport:
    total: int = 0
    stored: int = 0
    known: int = 0
    left_for_review: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    backend: str = ""

    @property
    def rate(self) -> float:
        done = self.stored + self.known
        return done / self.seconds if self.seconds > 0 else 0.0


@dataclass
class _Pending:
    path: Path
    data: bytes
    doc: DocumentText


class Ingest:
    def __init__(self, engine: Engine, *, documents_dir: Path, actor: Actor, auto_accept: bool = False,
                 workers: int | None = None, dask: str | None = None, batch_size: int = 16, max_bytes: int = 50 * 2**20,
                 on_result: Callable[[FileResult], None] | None = None,
                 on_total: Callable[[int], None] | None = None) -> None:
        self.engine, self.documents_dir, self.actor = engine, documents_dir, actor
        self.auto_accept, self.workers, self.dask = auto_accept, workers, dask
        self.batch_size, self.max_bytes = batch_size, max_bytes
        self.on_result, self.on_total = on_result, on_total
        self.report = IngestReport()
        self._pending: dict[int, _Pending] = {}
        self._resolver: Resolver | None = None
        self._mark: int | None = None  # the newest audit row when the resolver was last known current
        self._is_pg = engine.dialect.name == "postgresql"

    # -- reporting ------------------------------------------------------------------------------------------------
    def _done(self, result: FileResult) -> None:
        if result.status == "stored":
            self.report.stored += 1
        elif result.status == "known":
            self.report.known += 1
        else:
            self.report.errors.append((result.path, result.message))
        if self.on_result:
            self.on_result(result)

    # -- reading --------------------------------------------------------------------------------------------------
    def _read(self, files: list[Path]) -> Iterator[Batch]:
        """Batches of new documents' texts; known ones (by sha256) and unreadable ones are reported here."""
        seen: dict[str, str] = {}
        key = 0
        for start in range(0, len(files), self.batch_size):
            chunk: list[tuple[Path, bytes, str]] = []
            for path in files[start:start + self.batch_size]:
                try:
                    size = path.stat().st_size
                    if size > self.max_bytes:
                        raise DocumentError(f"{path}: {size / 1e6:.1f} MB is over the "
                                            f"{self.max_bytes / 1e6:.0f} MB limit")
                    data = path.read_bytes()
                except OSError as exc:
                    self._done(FileResult(str(path), "error", f"cannot be read ({exc.strerror})"))
                    continue
                except DocumentError as exc:
                    self._done(FileResult(str(path), "error", str(exc).removeprefix(f"{path}: ")))
                    continue
                chunk.append((path, data, hashlib.sha256(data).hexdigest()))
            with session_factory(self.engine)() as session:
                stored = documents.known_sha256(session, [sha for _, _, sha in chunk])
            batch: Batch = []
            for path, data, sha in chunk:
                if sha in stored:
                    self._done(FileResult(str(path), "known", f"already ingested as document {stored[sha]}: "
                                          f"nothing changed", stored[sha]))
                    continue
                if sha in seen:
                    self._done(FileResult(str(path), "known", f"same bytes as {seen[sha]}: stored once"))
                    continue
                seen[sha] = str(path)
                try:
                    doc = read_document(path, data=data, max_bytes=self.max_bytes)
                except DocumentError as exc:
                    self._done(FileResult(str(path), "error", str(exc).removeprefix(f"{path}: ")))
                    continue
                key += 1
                self._pending[key] = _Pending(path, data, doc)
                batch.append((key, doc.text))
            if batch:
                yield batch

    # -- writing --------------------------------------------------------------------------------------------------
    def _resolver_for(self, session: Session) -> Resolver:
        """The in-memory indexes, reloaded when anyone else wrote since (every write leaves an audit row).
        Checked once per transaction: later in it, what it wrote itself is in the indexes already."""
        if self._resolver is not None and session.info.get("investdesk_resolver_checked"):
            return self._resolver
        if self._resolver is None or self._latest_audit(session) != self._mark:
            self._resolver = Resolver.load(session)
        session.info["investdesk_resolver_checked"] = True
        return self._resolver

    @staticmethod
    def _latest_audit(session: Session) -> int:
        return session.scalar(select(func.max(AuditEvent.id))) or 0

    def _committing(self, session: Session) -> int | None:
        """The mark to keep once this transaction commits: its own audit rows are no news."""
        return self._latest_audit(session) if self.auto_accept else None

    def _session_setup(self, session: Session) -> None:
        if self._is_pg:
            connection = session.connection()
            if not connection.info.get("investdesk_async_commit"):
                # Set once per connection. A server crash may lose the last few commits (the next run redoes
                # them), never consistency.
                connection.execute(text("SET synchronous_commit = off"))
                connection.info["investdesk_async_commit"] = True
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INGEST_LOCK})

    def _store_in(self, session: Session, item: _Pending, extraction: Extraction,
                  auto_accept: bool) -> documents.Stored:
        return documents.upload(session, actor=self.actor, documents_dir=self.documents_dir, data=item.data,
                                doc=item.doc, extraction=extraction, filename=item.path.name, source=str(item.path),
                                auto_accept=auto_accept, resolver=self._resolver_for if auto_accept else None)

    def _store(self, item: _Pending, extraction: Extraction, auto_accept: bool) -> documents.Stored:
        with transaction(self.engine) as session:
            self._session_setup(session)
            stored = self._store_in(session, item, extraction, auto_accept)
            mark = self._committing(session)
        self._mark = mark
        return stored

    def _write_batch(self, results: list[Result]) -> None:
        """The documents that arrived together, in one transaction; should one fail, each is written alone."""
        ready: list[tuple[_Pending, Extraction]] = []
        for key, payload, error in results:
            item = self._pending.pop(key)
            if payload is None:
                self._done(FileResult(str(item.path), "error", error or "extraction failed"))
            else:
                ready.append((item, Extraction.model_validate(payload)))
        if len(ready) > 1:
            try:
                with transaction(self.engine) as session:
                    self._session_setup(session)
                    stored = [self._store_in(session, item, x, self.auto_accept) for item, x in ready]
                    mark = self._committing(session)
            except Exception:  # noqa: BLE001 - retried one by one below, where the failure is reported
                self._resolver = None  # it may hold ids of rolled-back records
            else:
                self._mark = mark
                for (item, _x), done in zip(ready, stored, strict=True):
                    self._done(FileResult(str(item.path), "stored" if done.created else "known", done.message,
                                          done.document.id))
                return
        for item, x in ready:
            self._write(item, x)

    def _write(self, item: _Pending, extraction: Extraction) -> None:
        path = str(item.path)
        try:
            stored = self._store(item, extraction, self.auto_accept)
        except (documents.StoredMeanwhile, IntegrityError):
            self._resolver = None
            self._done(FileResult(path, "known", "stored meanwhile by another run: nothing changed"))
            return
        except Exception as exc:  # noqa: BLE001 - one file's failure is reported, the run goes on
            self._resolver = None  # it may hold ids of rolled-back records
            reason = exc.message if isinstance(exc, InvestDeskError) else f"{type(exc).__name__}: {exc}"
            if not self.auto_accept:
                self._done(FileResult(path, "error", reason))
                return
            try:
                stored = self._store(item, extraction, False)
            except Exception as exc2:  # noqa: BLE001
                msg = exc2.message if isinstance(exc2, InvestDeskError) else f"{type(exc2).__name__}: {exc2}"
                self._done(FileResult(path, "error", msg))
                return
            self.report.left_for_review += 1
            self._done(FileResult(path, "stored", f"stored as document {stored.document.id}, left for review: "
                                  f"{reason}", stored.document.id))
            return
        self._done(FileResult(path, "stored" if stored.created else "known", stored.message, stored.document.id))

    # -- the run --------------------------------------------------------------------------------------------------
    def run(self, paths: list[str]) -> IngestReport:
        started = time.perf_counter()
        files, missing = expand(paths)
        self.report.total = len(files) + len(missing)
        if self.on_total:
            self.on_total(self.report.total)
        for path, message in missing:
            self._done(FileResult(path, "error", message))
        if files:
            with session_factory(self.engine)() as session:
                known = known_names(session)
            batches = self._read(files)
            first = next(batches, None)
            if first is not None:  # else every file was known or unreadable: no extraction to start
                self._extract(known, itertools.chain([first], batches))
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _extract(self, known: KnownNames, batches: Iterator[Batch]) -> None:
        # No connection crosses into the worker processes.
        self.engine.dispose()
        backend = make_backend(known, workers=self.workers, dask=self.dask)
        self.report.backend = backend.name
        try:
            for results in backend.results(batches):
                self._write_batch(results)
        except Exception as exc:  # noqa: BLE001 - a dead worker or a lost cluster: report, keep what is written
            detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            reason = f"not extracted: the extraction stopped ({detail})"
            for _batch in batches:  # the files not yet read are reported too, so none goes unmentioned
                pass
            for key in list(self._pending):
                self._done(FileResult(str(self._pending.pop(key).path), "error", reason))
        finally:
            backend.close()
