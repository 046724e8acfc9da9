"""Documents: whether the text was read by OCR and whether it was cut at the text limit

Revision ID: 3c1f0a9e7d52
Revises: 9698725b8a04
Create Date: 2026-12-01 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3c1f0a9e7d52"
down_revision: str | None = "9698725b8a04"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("ocr", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("text_truncated", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("text_truncated")
        batch.drop_column("ocr")
