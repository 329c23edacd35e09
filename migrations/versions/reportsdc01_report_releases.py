"""report releases: dated snapshots of charity reports (public part and server-only memberships)

Revision ID: reportsdc01
Revises: 400b07a543d5
Create Date: 2026-12-01 10:26:17.531931

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'reportsdc01'
down_revision = 'instrv201'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_releases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('min_cell_size', sa.Integer(), nullable=False),
    sa.Column('public', sa.JSON(), nullable=False),
    sa.Column('private', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_report_releases_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_report_releases_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_releases')),
    sa.UniqueConstraint('campaign_id', 'number', name=op.f('uq_report_releases_campaign_id_number'))
    )
    with op.batch_alter_table('report_releases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_releases_campaign_id'), ['campaign_id'], unique=False)



def downgrade():
    with op.batch_alter_table('report_releases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_releases_campaign_id'))

    op.drop_table('report_releases')
