"""User language: each user's interface language (en or hi)

Revision ID: 7a3e9c4d2b18
Revises: 5e7a1c2b9d40
Create Date: 2026-12-01 17:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7a3e9c4d2b18"
down_revision: str | None = "5e7a1c2b9d40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), server_default="en", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("language")
