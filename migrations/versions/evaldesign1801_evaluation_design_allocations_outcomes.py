"""evaluation design: allocations, outcomes

Revision ID: evaldesign1801
Revises: jobs19a01
Create Date: 2026-12-01 13:28:23.224677

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'evaldesign1801'
down_revision = 'jobs19a01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outcome_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_outcome_changes_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_outcome_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_changes'))
    )
    with op.batch_alter_table('outcome_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_changes_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('stratum', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('arm', sa.String(length=20), nullable=False),
    sa.Column('allocated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_allocations_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_allocations_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocations')),
    sa.UniqueConstraint('campaign_id', 'stratum', 'position', name=op.f('uq_allocations_campaign_id_stratum_position')),
    sa.UniqueConstraint('enrolment_id', name=op.f('uq_allocations_enrolment_id'))
    )
    with op.batch_alter_table('allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocations_campaign_id'), ['campaign_id'], unique=False)

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('design', sa.String(length=20), server_default='uncontrolled', nullable=False))
        batch_op.add_column(sa.Column('start_delay_days', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('stratify_by_cohort', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('allocation_seed', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('primary_outcome', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('secondary_outcomes', sa.JSON(), server_default='[]', nullable=False))



def downgrade():
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('secondary_outcomes')
        batch_op.drop_column('primary_outcome')
        batch_op.drop_column('allocation_seed')
        batch_op.drop_column('stratify_by_cohort')
        batch_op.drop_column('start_delay_days')
        batch_op.drop_column('design')

    with op.batch_alter_table('allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allocations_campaign_id'))

    op.drop_table('allocations')
    with op.batch_alter_table('outcome_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_changes_campaign_id'))

    op.drop_table('outcome_changes')
