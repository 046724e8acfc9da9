"""Backups that move between SQLite and PostgreSQL, checked before they replace anything.

A backup is one gzip file of JSON lines: a header (format, schema revision), every table's rows in
dependency order, the stored original documents in chunks, and a closing manifest with the row count and
sha256 of each table and the size and sha256 of each document. The rows are read in one consistent
snapshot (PostgreSQL: one REPEATABLE READ read-only transaction; SQLite: one read transaction), so an
organization is never written without the audit row committed with it.

A restore reads the whole file first and refuses anything damaged, truncated or not matching its manifest
(one line, nothing touched); then it replaces every table in one transaction and writes the documents.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Engine, Integer, Numeric, Table, func, select, text
from sqlalchemy.exc import DataError, IntegrityError

from investdesk.db import Base
from investdesk.errors import ValidationFailed
from investdesk.i18n import _
from investdesk.migrate import current_revision

FORMAT = "investdesk.backup/2"
BATCH = 1000
CHUNK = 1 << 20  # document bytes per line: a 50 MB original never sits in memory as one JSON string
DOCUMENT_TABLE = "documents"


@dataclass
class Manifest:
    """What a backup holds: checked against the file's own content before a restore replaces anything."""

    revision: str | None
    written: str = ""
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)      # name -> {"rows", "sha256"}
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)   # path -> {"bytes", "sha256"}
    missing_documents: list[str] = field(default_factory=list)            # referenced but absent when written

    @property
    def rows(self) -> int:
        return sum(int(t["rows"]) for t in self.tables.values())

    def as_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "revision": self.revision, "written": self.written, "tables": self.tables,
                "documents": self.documents, "missing_documents": self.missing_documents}


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _fail(path: Path, message: str) -> ValidationFailed:
    return ValidationFailed(_('%(path)s: %(message)s; nothing was changed', path=path, message=message), field="file")


# --- writing -------------------------------------------------------------------------------------------

@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One connection that sees every table as of one moment, whatever commits meanwhile."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn
        elif engine.dialect.name == "sqlite":
            # The sqlite3 module opens no transaction for a SELECT, so each would see the latest commit; an
            # explicit BEGIN makes every read share the snapshot taken at the first one (WAL: writers go on).
            conn.exec_driver_sql("BEGIN")
            try:
                yield conn
            finally:
                conn.rollback()
        else:
            with conn.begin():
                yield conn


def _open_private(path: Path) -> int:
    """A new file only its owner can read (a backup holds password and token hashes)."""
    path.unlink(missing_ok=True)
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


def backup(engine: Engine, path: Path, *, documents_dir: Path | None = None) -> Manifest:
    """Write every table (and the stored documents under ``documents_dir``) to ``path``, readable by its
    owner only; the file appears whole or not at all."""
    manifest = Manifest(revision=current_revision(engine), written=dt.datetime.now(dt.UTC).isoformat())
    tmp = path.with_name(f".{path.name}.part")
    stored: set[str] = set()
    try:
        with os.fdopen(_open_private(tmp), "wb") as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as out:
                out.write(_line({"format": FORMAT, "revision": manifest.revision, "written": manifest.written}))
                with _snapshot(engine) as conn:
                    for table in Base.metadata.sorted_tables:
                        manifest.tables[table.name] = _write_table(conn, table, out, stored)
                for rel in sorted(stored):
                    source = documents_dir / rel if documents_dir is not None else None
                    if source is None or not source.is_file():
                        manifest.missing_documents.append(rel)
                        continue
                    manifest.documents[rel] = _write_document(source, rel, out)
                out.write(_line({"manifest": manifest.as_json()}))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return manifest


def _line(obj: dict[str, Any]) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _write_table(conn: Connection, table: Table, out: gzip.GzipFile, stored: set[str]) -> dict[str, Any]:
    digest, rows = hashlib.sha256(), 0
    stmt = select(table).order_by(*table.primary_key.columns)
    for row in conn.execution_options(stream_results=True, yield_per=BATCH).execute(stmt).mappings():
        data = _line({"t": table.name, "r": {k: _plain(v) for k, v in row.items()}})
        digest.update(data)
        out.write(data)
        rows += 1
        if table.name == DOCUMENT_TABLE and row.get("stored_path"):
            stored.add(row["stored_path"])
    return {"rows": rows, "sha256": digest.hexdigest()}


def _write_document(source: Path, rel: str, out: gzip.GzipFile) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(_line({"d": rel, "b": base64.b64encode(chunk).decode("ascii")}))
    return {"bytes": size, "sha256": digest.hexdigest()}


# --- reading -------------------------------------------------------------------------------------------

def _typed(path: Path, table: Table, row: Any, n: int) -> dict[str, Any]:
    """A row as the database takes it; an unknown column, an empty required one or a value that does not
    read as its type is one line naming the table and the row."""
    where = f"line {n}, table {table.name}"
    if not isinstance(row, dict):
        raise _fail(path, f"{where}: the row is not an object")
    where += f" row id {row['id']}" if "id" in row else ""
    unknown = sorted(set(row) - set(table.c.keys()))
    if unknown:
        raise _fail(path, f"{where}: unknown column {', '.join(unknown)}")
    out: dict[str, Any] = {}
    for column in table.c:
        if column.name not in row:
            if not column.nullable and column.default is None and column.server_default is None:
                raise _fail(path, f"{where}: column {column.name} is missing but required")
            continue
        value = row[column.name]
        if value is None:
            if not column.nullable:
                raise _fail(path, f"{where}: column {column.name} is empty (null) but required")
        else:
            try:
                if isinstance(column.type, DateTime):
                    value = dt.datetime.fromisoformat(value)
                elif isinstance(column.type, Date):
                    value = dt.date.fromisoformat(value)
                elif isinstance(column.type, Numeric):
                    value = Decimal(value)
            except (TypeError, ValueError, InvalidOperation):
                raise _fail(path, f"{where}: column {column.name} holds {value!r}, not a "
                                  f"{type(column.type).__name__.lower()}") from None
        out[column.name] = value
    return out


@dataclass
class _Item:
    kind: str          # "row" or "document"
    name: str          # table name, or the document's path
    value: Any         # the typed row, or a chunk of the document's bytes
    last: bool = False  # the document's last chunk


def _items(path: Path, found: list[Manifest] | None = None) -> Iterator[_Item]:
    """Every row and document chunk of the file, checked line by line; after the last one, the whole
    content is checked against the manifest (counts, sha256) before the generator ends."""
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    seen_tables: dict[str, Any] = {}
    seen_docs: dict[str, Any] = {}
    manifest: dict[str, Any] | None = None
    try:
        with gzip.open(path, "rb") as stream:
            header = _json(path, stream.readline(), 1)
            if header.get("format") != FORMAT:
                raise _fail(path, f"not an InvestDesk backup (format {header.get('format')!r}, expected {FORMAT})")
            pending_doc: tuple[str, bytes] | None = None
            for n, raw in enumerate(stream, start=2):
                if manifest is not None:
                    raise _fail(path, f"line {n}: content after the manifest")
                item = _json(path, raw, n)
                if "manifest" in item:
                    manifest = item["manifest"]
                    continue
                if "t" in item:
                    table = tables.get(item["t"]) if isinstance(item["t"], str) else None
                    if table is None:
                        raise _fail(path, f"line {n}: unknown table {item['t']!r}")
                    state = seen_tables.setdefault(table.name, [0, hashlib.sha256()])
                    state[0] += 1
                    state[1].update(raw)
                    yield _Item("row", table.name, _typed(path, table, item.get("r"), n))
                elif "d" in item:
                    rel = str(item["d"])
                    try:
                        chunk = base64.b64decode(item["b"], validate=True)
                    except (KeyError, TypeError, ValueError):
                        raise _fail(path, f"line {n}: document {rel} is damaged") from None
                    state = seen_docs.setdefault(rel, [0, hashlib.sha256()])
                    state[0] += len(chunk)
                    state[1].update(chunk)
                    if pending_doc is not None and pending_doc[0] != rel:
                        yield _Item("document", pending_doc[0], pending_doc[1], last=True)
                    elif pending_doc is not None:
                        yield _Item("document", pending_doc[0], pending_doc[1])
                    pending_doc = (rel, chunk)
                else:
                    raise _fail(path, f"line {n}: neither a row nor a document")
            if manifest is None:
                raise _fail(path, "the file ends before its manifest (truncated)")
            _check_manifest(path, header, manifest, seen_tables, seen_docs)
            if found is not None:
                found.append(Manifest(revision=manifest["revision"], written=str(manifest.get("written", "")),
                                      tables=manifest["tables"], documents=manifest.get("documents") or {},
                                      missing_documents=list(manifest.get("missing_documents") or [])))
            if pending_doc is not None:
                yield _Item("document", pending_doc[0], pending_doc[1], last=True)
    except EOFError:
        raise _fail(path, "the file is truncated (the compressed stream ends early)") from None
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise _fail(path, f"not a readable backup ({exc})") from None
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror or exc})") from None


def _json(path: Path, raw: bytes, n: int) -> dict[str, Any]:
    try:
        obj = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise _fail(path, f"line {n} is damaged (not JSON)") from None
    if not isinstance(obj, dict):
        raise _fail(path, f"line {n} is damaged (not an object)")
    return obj


def _check_manifest(path: Path, header: dict[str, Any], manifest: Any, tables: dict[str, Any],
                    docs: dict[str, Any]) -> None:
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), dict):
        raise _fail(path, "the manifest is damaged")
    if manifest.get("revision") != header.get("revision"):
        raise _fail(path, "the manifest's schema revision differs from the header's")
    listed = manifest["tables"]
    for name in sorted(set(listed) | set(tables)):
        want = listed.get(name) or {}
        rows, digest = tables.get(name, [0, hashlib.sha256()])
        if want.get("rows") != rows:
            raise _fail(path, f"table {name}: the manifest says {want.get('rows')} rows, the file holds {rows}")
        if want.get("sha256") != digest.hexdigest():
            raise _fail(path, f"table {name}: the rows do not match the manifest's sha256")
    listed_docs = manifest.get("documents") or {}
    for rel in sorted(set(listed_docs) | set(docs)):
        want = listed_docs.get(rel) or {}
        size, digest = docs.get(rel, [0, hashlib.sha256()])
        if want.get("bytes") != size or want.get("sha256") != digest.hexdigest():
            raise _fail(path, f"document {rel}: the bytes do not match the manifest's size and sha256")


def verify(path: Path) -> Manifest:
    """Read the whole file and check it against its manifest, without touching any database."""
    found: list[Manifest] = []
    for _item in _items(path, found):
        pass
    return found[0]


# --- restoring -----------------------------------------------------------------------------------------

def restore(engine: Engine, path: Path, *, documents_dir: Path | None = None,
            verified: Manifest | None = None) -> Manifest:
    """Replace the database's content (and add the stored documents under ``documents_dir``) with the
    backup's. The file is verified in full first (``verified``: by the caller, just before); the tables
    are replaced in one transaction."""
    manifest = verified or verify(path)
    if manifest.revision != current_revision(engine):
        raise _fail(path, f"written at schema revision {manifest.revision}, but the database is at "
                          f"{current_revision(engine)}; run `investdesk db upgrade` on a database of the same "
                          f"version first")
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        pending: dict[str, list[dict[str, Any]]] = {}
        document: list[bytes] = []
        # The file is read again here: should it change since it was verified, the checks at its end
        # fail inside the transaction, which then rolls back.
        for item in _items(path):
            if item.kind == "row":
                rows = pending.setdefault(item.name, [])
                rows.append(item.value)
                if len(rows) >= BATCH:
                    _flush(conn, path, pending)
                continue
            document.append(item.value)
            if item.last:
                if documents_dir is not None:
                    _put_document(documents_dir, item.name, b"".join(document))
                document.clear()
        _flush(conn, path, pending)
        if engine.dialect.name == "postgresql":
            for table in tables.values():
                if "id" in table.c and table.c.id.primary_key and isinstance(table.c.id.type, Integer):
                    top = conn.scalar(select(func.max(table.c.id)))
                    conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v, :called)"),
                                 {"t": table.name, "v": top or 1, "called": top is not None})
    return manifest


def _flush(conn: Connection, path: Path, pending: dict[str, list[dict[str, Any]]]) -> None:
    # Rows arrive in dependency order, so writing the tables in that order keeps every foreign key satisfied.
    for table in Base.metadata.sorted_tables:
        rows = pending.get(table.name)
        if rows:
            try:
                conn.execute(table.insert(), rows)
            except (IntegrityError, DataError) as exc:
                reason = " ".join(str(exc.orig or exc).split())[:200]
                ids = f" (rows with id {rows[0].get('id')} to {rows[-1].get('id')})" if "id" in rows[0] else ""
                raise _fail(path, f"table {table.name}{ids}: the database refuses the rows ({reason})") from None
            rows.clear()


def _put_document(root: Path, rel: str, data: bytes) -> None:
    """Write one stored original (verified against the manifest already) where the documents live."""
    base = root.resolve()
    target = (base / rel).resolve()
    if not target.is_relative_to(base):
        raise ValidationFailed(_('document path %(rel)s is outside the documents directory',
                                 rel=repr(rel)), field="file")
    if target.is_file() and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".incoming-{target.name}")
    tmp.write_bytes(data)
    os.replace(tmp, target)
