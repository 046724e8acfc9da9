from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from investdesk.db import Base, utcnow

# The kinds of record searched, in the order of their entry ids (search.index.entry_id).
KINDS = ("organization", "person", "opportunity", "mou", "mission", "engagement", "document")


class SearchEntry(Base):
    """One record or document as the search sees it: a title, a line under it and the words it is found by.

    Kept current by ``search.index`` on every flush. The words are matched by SQLite FTS5 (one table per kind,
    ``search_fts_<kind>``, kept in step by triggers) or by PostgreSQL's ``tsv`` column (filled by a trigger,
    GIN-indexed, the body then emptied: PostgreSQL keeps the words, not a second copy of the text); neither is
    written from Python."""

    __tablename__ = "search_entries"
    # On PostgreSQL one GIN index per kind: a query narrowed to a kind reads that kind's matches only.
    # Their pending lists are kept short (gin_pending_list_limit, set by the migration): a search reads all of it.
    __table_args__ = (UniqueConstraint("kind", "record_id"),
                      *(Index(f"ix_search_entries_tsv_{kind}", "tsv", postgresql_using="gin",
                              postgresql_where=text(f"kind = '{kind}'")).ddl_if(dialect="postgresql")
                        for kind in KINDS),
                      Index("ix_search_entries_tsv_title", "tsv_title", postgresql_using="gin").ddl_if(
                          dialect="postgresql"))

    # The kind's number times 2**40 plus the record's id (search.index.entry_id): a kind's newest matches are read
    # from its FTS5 table in rowid order, without a sort.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True,
                                    autoincrement=False)
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    subtitle: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    tsv: Mapped[str | None] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"))
    # The title's words alone (PostgreSQL): small, so "the newest with the words in their name" is cheap to read.
    tsv_title: Mapped[str | None] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
