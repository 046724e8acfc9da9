"""Recompute name keys: organizations, their aliases and people keyed by the one normaliser

The stored keys (``organizations.normalized_name``, ``organization_aliases.normalized``,
``people.normalized_name``) were made with word lists of their own; they are now the comparison rules of
``investdesk.extraction.normalize`` (honorific phrases such as "His Excellency" or "Datuk Seri" dropped from
people, typographic dashes read as hyphens). Every key is recomputed with the functions the application
uses, so a name typed today finds a record stored before.

Revision ID: b4d2e8f1a6c3
Revises: c4f1a9e07b35
Create Date: 2026-12-01 21:10:00
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from investdesk.extraction.normalize import normalize, normalize_org, normalize_person

revision: str = "b4d2e8f1a6c3"
down_revision: str | None = "c4f1a9e07b35"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column holding the name, column holding its key, key function)
KEYS: list[tuple[str, str, str, Callable[[str | None], str]]] = [
    ("organizations", "name", "normalized_name", normalize_org),
    ("organization_aliases", "alias", "normalized", normalize),
    ("people", "name", "normalized_name", normalize_person),
]


def upgrade() -> None:
    bind = op.get_bind()
    for table_name, name_col, key_col, key in KEYS:
        table = sa.table(table_name, sa.column("id", sa.Integer), sa.column(name_col, sa.String),
                         sa.column(key_col, sa.String))
        changed = [{"row_id": row_id, "new_key": key(name)}
                   for row_id, name, stored in bind.execute(sa.select(table.c.id, table.c[name_col], table.c[key_col]))
                   if key(name) != stored]
        if changed:
            bind.execute(table.update().where(table.c.id == sa.bindparam("row_id"))
                         .values({key_col: sa.bindparam("new_key")}), changed)


def downgrade() -> None:
    # The recomputed keys stay: the earlier rules differ from them only for names with an honorific phrase or a
    # typographic dash, and saving such a record under the earlier code writes its earlier key again.
    pass
