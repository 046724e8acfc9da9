"""Reports: covering indexes so the summaries by country, district and sector read no table rows

Revision ID: 9698725b8a04
Revises: 5b7e1c2d9a40
Create Date: 2026-11-30 17:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "9698725b8a04"
down_revision: str | None = "5b7e1c2d9a40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (name, table, columns): each leads with the summary's group key and holds every column it reads.
INDEXES = (
    ("ix_opportunities_country_stage_amount", "opportunities", ["country", "stage", "amount_inr_crore"]),
    ("ix_opportunities_district_stage_amount", "opportunities", ["district", "stage", "amount_inr_crore"]),
    ("ix_mous_district_status_updated_amount", "mous", ["district", "status", "status_updated_at", "amount_inr_crore"]),
    ("ix_mous_sector_status_amount", "mous", ["sector_id", "status", "amount_inr_crore"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
