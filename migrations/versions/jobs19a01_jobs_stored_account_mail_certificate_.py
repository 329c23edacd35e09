"""jobs: stored account mail, certificate PDFs, certificate bundles

Revision ID: jobs19a01
Revises: scale19a01
Create Date: 2026-12-01 13:30:32.598007

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'jobs19a01'
down_revision = 'scale19a01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_bundles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('cohort_ids', sa.JSON(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('failures', sa.JSON(), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archive', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_certificate_bundles_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_certificate_bundles_requested_by_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_bundles'))
    )
    with op.batch_alter_table('certificate_bundles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_bundles_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_bundles_requested_by_id'), ['requested_by_id'], unique=False)

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pdf', sa.LargeBinary(), nullable=True))

    with op.batch_alter_table('sent_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('subject', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('body', sa.Text(), nullable=True))



def downgrade():
    with op.batch_alter_table('sent_messages', schema=None) as batch_op:
        batch_op.drop_column('body')
        batch_op.drop_column('subject')
        batch_op.drop_column('recipient')

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('pdf')

    with op.batch_alter_table('certificate_bundles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_bundles_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_bundles_campaign_id'))

    op.drop_table('certificate_bundles')
