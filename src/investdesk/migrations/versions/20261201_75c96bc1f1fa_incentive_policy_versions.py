"""Incentives: policies edited in the app, one row per version with its effective date

Revision ID: 75c96bc1f1fa
Revises: 3c1f0a9e7d52
Create Date: 2026-12-01 14:49:00.733520
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "75c96bc1f1fa"
down_revision: str | None = "3c1f0a9e7d52"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('incentive_policy_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.String(length=60), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_incentive_policy_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incentive_policy_versions')),
    sa.UniqueConstraint('policy_id', 'effective_from', name=op.f('uq_incentive_policy_versions_policy_id_effective_from'))
    )
    with op.batch_alter_table('incentive_policy_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incentive_policy_versions_policy_id'), ['policy_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('incentive_policy_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incentive_policy_versions_policy_id'))

    op.drop_table('incentive_policy_versions')
