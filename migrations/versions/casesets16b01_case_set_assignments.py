"""matrix sampling of vignettes: the set of cases each GP answers

Revision ID: casesets16b01
Revises: retest16a01
Create Date: 2026-12-01 20:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'casesets16b01'
down_revision = 'retest16a01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_set_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('vignette_ids', sa.String(length=400), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_case_set_assignments_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_case_set_assignments_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_set_assignments')),
    sa.UniqueConstraint('campaign_id', 'position', name=op.f('uq_case_set_assignments_campaign_id_position')),
    sa.UniqueConstraint('enrolment_id', name=op.f('uq_case_set_assignments_enrolment_id'))
    )
    with op.batch_alter_table('case_set_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_set_assignments_campaign_id'), ['campaign_id'], unique=False)


def downgrade():
    with op.batch_alter_table('case_set_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_set_assignments_campaign_id'))

    op.drop_table('case_set_assignments')
