"""Search on PostgreSQL: short GIN pending lists, and a GIN index on the titles' words

Revision ID: c4f1a9e07b35
Revises: b4d81f3e6a25
Create Date: 2026-12-01 21:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c4f1a9e07b35"
down_revision: str | None = "b4d81f3e6a25"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("organization", "person", "opportunity", "mou", "mission", "engagement", "document")
# New entries wait in a GIN index's pending list until it is merged (at vacuum, or when the list is full), and every
# search reads the whole list: 4 MB by default, tens of milliseconds a query after a bulk import. Kept to 256 kB;
# the bulk writers merge it themselves (search.index.refresh).
PENDING_KB = 256


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for kind in KINDS:
        op.execute(f"ALTER INDEX ix_search_entries_tsv_{kind} SET (gin_pending_list_limit = {PENDING_KB})")
    # "The newest with the words in their name" (a word found in more records than are ranked) reads the titles'
    # matches from this index instead of every entry of the kind.
    op.execute("CREATE INDEX ix_search_entries_tsv_title ON search_entries USING gin (tsv_title) "
               f"WITH (gin_pending_list_limit = {PENDING_KB})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_search_entries_tsv_title")
    for kind in KINDS:
        op.execute(f"ALTER INDEX ix_search_entries_tsv_{kind} RESET (gin_pending_list_limit)")
