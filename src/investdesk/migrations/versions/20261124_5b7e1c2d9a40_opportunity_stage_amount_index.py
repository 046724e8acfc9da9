"""Opportunities: index on (stage, amount) so stage counts and values need no table scan

Revision ID: 5b7e1c2d9a40
Revises: 2993906331dd
Create Date: 2026-11-24 22:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5b7e1c2d9a40"
down_revision: str | None = "2993906331dd"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_opportunities_stage_amount", "opportunities", ["stage", "amount_inr_crore"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_opportunities_stage_amount", table_name="opportunities")
