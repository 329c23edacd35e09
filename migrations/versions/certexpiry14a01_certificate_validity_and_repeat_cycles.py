"""certificate validity and repeat cycles: campaigns.validity_months, certificates.valid_until and cycle
(several issues per enrolment and scope), and the study cycle of progress, page views, attempts and reflections

Revision ID: certexpiry14a01
Revises: oidc2001
Create Date: 2026-12-01 13:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'certexpiry14a01'
down_revision = 'oidc2001'
branch_labels = None
depends_on = None

CYCLE_TABLES = ('module_progress', 'page_views', 'quiz_attempts', 'reflections')


def upgrade():
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('validity_months', sa.Integer(), nullable=True))
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cycle', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('valid_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint('uq_certificates_enrolment_id_scope', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_certificates_enrolment_id_scope_cycle'),
                                          ['enrolment_id', 'scope', 'cycle'])
    for table in CYCLE_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('cycle', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    for table in reversed(CYCLE_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('cycle')
    # Later cycles' certificates cannot survive the old one-per-scope constraint.
    op.execute("DELETE FROM certificates WHERE cycle > 1")
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint('uq_certificates_enrolment_id_scope_cycle', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_certificates_enrolment_id_scope'), ['enrolment_id', 'scope'])
        batch_op.drop_column('valid_until')
        batch_op.drop_column('cycle')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('validity_months')
