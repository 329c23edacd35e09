"""report cache: the last full report per campaign or cohort and the data version it was built from

Revision ID: scale19a01
Revises: reports17a01
Create Date: 2026-12-01 13:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'scale19a01'
down_revision = 'reports17a01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_cache',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('data_version', sa.String(length=64), nullable=True),
    sa.Column('report', sa.JSON(), nullable=True),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_report_cache_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_cache')),
    sa.UniqueConstraint('campaign_id', 'scope', name=op.f('uq_report_cache_campaign_id_scope'))
    )
    with op.batch_alter_table('report_cache', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_cache_campaign_id'), ['campaign_id'], unique=False)


def downgrade():
    with op.batch_alter_table('report_cache', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_cache_campaign_id'))

    op.drop_table('report_cache')
