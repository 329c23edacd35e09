"""test-retest mini-wave: campaign settings and the per-enrolment draw

Revision ID: retest16a01
Revises: evaldesign1801
Create Date: 2026-12-01 17:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'retest16a01'
down_revision = 'emails13a01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('retest_draws',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('selected', sa.Boolean(), nullable=False),
    sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_retest_draws_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_retest_draws_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retest_draws')),
    sa.UniqueConstraint('campaign_id', 'position', name=op.f('uq_retest_draws_campaign_id_position')),
    sa.UniqueConstraint('enrolment_id', name=op.f('uq_retest_draws_enrolment_id'))
    )
    with op.batch_alter_table('retest_draws', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retest_draws_campaign_id'), ['campaign_id'], unique=False)

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retest_enabled', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('retest_percent', sa.Integer(), server_default='20', nullable=False))
        batch_op.add_column(sa.Column('retest_days', sa.Integer(), server_default='14', nullable=False))


def downgrade():
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('retest_days')
        batch_op.drop_column('retest_percent')
        batch_op.drop_column('retest_enabled')

    with op.batch_alter_table('retest_draws', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retest_draws_campaign_id'))

    op.drop_table('retest_draws')
