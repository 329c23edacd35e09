"""page views: time and version per page shown

Revision ID: 429a667d4913
Revises: 6515dd372b84
Create Date: 2026-11-24 22:25:21.624894

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '429a667d4913'
down_revision = '6515dd372b84'
branch_labels = None
depends_on = None


def upgrade():
    # Per-view records replace the single 'page opened at' stamp: time per page is CPD evidence.
    op.create_table('page_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('progress_id', sa.Integer(), nullable=False),
    sa.Column('module_version_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('page_file', sa.String(length=120), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['module_version_id'], ['module_versions.id'], name=op.f('fk_page_views_module_version_id_module_versions')),
    sa.ForeignKeyConstraint(['progress_id'], ['module_progress.id'], name=op.f('fk_page_views_progress_id_module_progress'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page_views'))
    )
    with op.batch_alter_table('page_views', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_page_views_progress_id'), ['progress_id'], unique=False)

    with op.batch_alter_table('module_progress', schema=None) as batch_op:
        batch_op.drop_column('page_opened_at')



def downgrade():
    with op.batch_alter_table('module_progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('page_opened_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('page_views', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_page_views_progress_id'))

    op.drop_table('page_views')
