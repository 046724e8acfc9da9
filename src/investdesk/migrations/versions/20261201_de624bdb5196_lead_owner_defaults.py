"""Lead owner defaults: who owns a new lead of a sector or country

Revision ID: de624bdb5196
Revises: e30ee48afc8d
Create Date: 2026-12-01 16:07:21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "de624bdb5196"
down_revision: str | None = "e30ee48afc8d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lead_owner_defaults",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sector_id", sa.String(length=40), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("sector_id IS NOT NULL OR country IS NOT NULL",
                           name=op.f("ck_lead_owner_defaults_sector_or_country")),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_lead_owner_defaults_owner_id_users")),
        sa.ForeignKeyConstraint(["sector_id"], ["sectors.id"], name=op.f("fk_lead_owner_defaults_sector_id_sectors")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_owner_defaults")),
        sa.UniqueConstraint("sector_id", "country", name=op.f("uq_lead_owner_defaults_sector_id_country")),
    )
    with op.batch_alter_table("lead_owner_defaults") as batch_op:
        batch_op.create_index(batch_op.f("ix_lead_owner_defaults_owner_id"), ["owner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("lead_owner_defaults") as batch_op:
        batch_op.drop_index(batch_op.f("ix_lead_owner_defaults_owner_id"))
    op.drop_table("lead_owner_defaults")
