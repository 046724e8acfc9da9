"""Lists shared by every area: pages of results, a sort among allowed columns, streaming a selection in batches.

A service builds the selection (its filters and the reader's scope); these helpers order, count, limit and stream
it, so neither the pages nor the command line write a query of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import Engine, Executable, Select, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from investdesk.db import session_factory

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int = Field(ge=1)
    per_page: int = Field(ge=1)


class PageParams(BaseModel):
    page: int = Field(default=1, ge=1, le=1_000_000)
    per_page: int = Field(default=50, ge=1, le=500)


def count(session: Session, stmt: Select[Any]) -> int:
    """How many rows the selection holds."""
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def first(session: Session, stmt: Select[Any], limit: int) -> list[Any]:
    """The first ``limit`` records of the selection, in its order."""
    return list(session.scalars(stmt.limit(limit)))


def total_of(session: Session, stmt: Select[Any], *, offset: int, limit: int, fetched: int) -> int:
    """The selection's count after reading ``fetched`` rows of it from ``offset`` with ``limit``: known without a
    query when they came back neither ``limit`` rows nor none past the start, as they are then all the rest."""
    if fetched < limit and (fetched or offset == 0):
        return offset + fetched
    return count(session, stmt)


def _total(session: Session, stmt: Select[Any], params: PageParams, fetched: int) -> int:
    return total_of(session, stmt, offset=(params.page - 1) * params.per_page, limit=params.per_page,
                    fetched=fetched)


def paginate(session: Session, stmt: Select[Any], params: PageParams, total: int | None = None
             ) -> tuple[list[Any], int]:
    """Rows of one page and the total count of the whole selection (``total`` when the caller knows it already;
    otherwise counted in SQL only when the page is full, or empty past the first)."""
    fetched = session.scalars(stmt.limit(params.per_page).offset((params.page - 1) * params.per_page)).all()
    rows = list(dict.fromkeys(fetched))  # a record once, in order, as the rows of a join may repeat it
    return rows, total if total is not None else _total(session, stmt, params, len(fetched))


def paginate_columns(session: Session, stmt: Select[Any], columns: Sequence[Any],
                     params: PageParams) -> tuple[list[Any], int]:
    """As ``paginate``, one page of the selection read as plain ``columns`` (its filter and order kept): for an
    answer built from a few columns, without an ORM object, identity-map entry and loaded state per row."""
    page = stmt.with_only_columns(*columns, maintain_column_froms=True)
    rows = session.execute(page.limit(params.per_page).offset((params.page - 1) * params.per_page)).all()
    return list(rows), _total(session, stmt, params, len(rows))


def grouped(session: Session, stmt: Executable) -> dict[Any, list[Any]]:
    """The rows of ``stmt`` by their first column (a parent's id), in the statement's order."""
    out: dict[Any, list[Any]] = {}
    for row in session.execute(stmt):
        out.setdefault(row[0], []).append(row)
    return out


@dataclass(frozen=True)
class Sort:
    """A ``?sort=name`` / ``?sort=-name`` choice among the columns a list allows."""

    key: str
    descending: bool
    columns: Mapping[str, ColumnElement[Any] | Any]

    @classmethod
    def parse(cls, value: str | None, columns: Mapping[str, Any], default: str) -> Sort:
        raw = (value or default).strip()
        desc = raw.startswith("-")
        key = raw.lstrip("-")
        if key not in columns:
            desc, key = default.startswith("-"), default.lstrip("-")
        return cls(key=key, descending=desc, columns=columns)

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    def toggle(self, key: str) -> str:
        """The sort parameter a click on column ``key`` asks for."""
        if key == self.key:
            return key if self.descending else f"-{key}"
        return key

    def apply(self, stmt: Select, tiebreak: Any) -> Select:
        col = self.columns[self.key]
        order = (col.desc() if self.descending else col.asc()).nulls_last()
        return stmt.order_by(None).order_by(order, tiebreak.desc() if self.descending else tiebreak.asc())


@dataclass(frozen=True)
class Pager:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_row(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_row(self) -> int:
        return min(self.total, self.page * self.per_page)

    def window(self, size: int = 2) -> list[int | None]:
        """Page numbers to show, with None for a gap: 1 … 4 5 [6] 7 8 … 20."""
        keep = {1, self.pages, *range(self.page - size, self.page + size + 1)}
        out: list[int | None] = []
        for n in sorted(p for p in keep if 1 <= p <= self.pages):
            if out and out[-1] is not None and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return out


def lean(stmt: Select[Any], entity: Any, *options: Any) -> Select[Any]:
    """The same filter as ``stmt`` (a service's selection), loading only what a list shows of each row."""
    out = select(entity).options(*options)
    return out if stmt.whereclause is None else out.where(stmt.whereclause)


def listing(session: Session, stmt: Select[Any], sort: Sort, tiebreak: Any,
            params: PageParams, total: int | None = None) -> tuple[list[Any], Pager]:
    """One sorted page of a selection, counted (unless the caller knows its ``total``) and limited in SQL."""
    rows, total = paginate(session, sort.apply(stmt, tiebreak), params, total)
    if rows == [] and total and params.page > 1:  # past the end (rows deleted, a stale link): show the last page
        last = PageParams(page=max(1, -(-total // params.per_page)), per_page=params.per_page)
        rows, total = paginate(session, sort.apply(stmt, tiebreak), last, total)
        params = last
    return rows, Pager(page=params.page, per_page=params.per_page, total=total)


def batches(engine: Engine, stmt: Select[Any], *, size: int = 2000, columns: bool = False,
            lookup: Callable[[Session, Sequence[Any]], Any] | None = None) -> Iterator[list[Any]]:
    """The whole selection in batches, read from a session of its own (a download outlives the request's).

    ``stmt`` selects one entity (small tables) or, with ``columns``, plain columns (large ones: no ORM objects).
    ``lookup(session, batch)``, when given, fetches what the batch's rows need in one query (their sectors);
    each item is then ``(record, looked_up)``.
    """
    session = session_factory(engine)()
    try:
        result = session.execute(stmt.execution_options(yield_per=size))
        parts = result.partitions() if columns else result.scalars().partitions()
        for part in parts:
            if lookup is None:
                yield list(part)
            else:
                extra = lookup(session, part)
                yield [(record, extra) for record in part]
    finally:
        session.close()
