"""Matchmaking indexes: open leads, documents and sectors per organization read from indexes alone

Revision ID: b4d81f3e6a25
Revises: 7a3e9c4d2b18
Create Date: 2026-12-01 21:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "b4d81f3e6a25"
down_revision: str | None = "7a3e9c4d2b18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_opportunities_counterpart_stage", "opportunities", ["counterpart_id", "stage"])
    op.create_index("ix_evidence_entity_document", "evidence", ["entity_type", "entity_id", "document_id"])
    op.create_index("ix_organization_sectors_sector_organization", "organization_sectors",
                    ["sector_id", "organization_id"])


def downgrade() -> None:
    op.drop_index("ix_organization_sectors_sector_organization", table_name="organization_sectors")
    op.drop_index("ix_evidence_entity_document", table_name="evidence")
    op.drop_index("ix_opportunities_counterpart_stage", table_name="opportunities")
