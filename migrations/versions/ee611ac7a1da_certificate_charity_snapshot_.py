"""certificate charity snapshot, reflections per module

Revision ID: ee611ac7a1da
Revises: 429a667d4913
Create Date: 2026-11-24 22:32:11.419894

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ee611ac7a1da'
down_revision = '429a667d4913'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('charity_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('charity_colour', sa.String(length=7), nullable=True))

    # Certificates issued before this revision take the organisation as it is now: the best
    # snapshot there is. From here on the snapshot is taken at issue.
    op.execute("""
        UPDATE certificates SET
          charity_name = (SELECT o.name FROM enrolments e JOIN campaigns c ON c.id = e.campaign_id
                          JOIN organisations o ON o.id = c.organisation_id WHERE e.id = certificates.enrolment_id),
          charity_colour = (SELECT o.colour FROM enrolments e JOIN campaigns c ON c.id = e.campaign_id
                            JOIN organisations o ON o.id = c.organisation_id WHERE e.id = certificates.enrolment_id)
    """)

    # Existing reflections are all on a whole campaign (the server default fills them).
    with op.batch_alter_table('reflections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.String(length=80), nullable=False, server_default='campaign'))
        batch_op.drop_constraint(batch_op.f('uq_reflections_enrolment_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_reflections_enrolment_id_scope'), ['enrolment_id', 'scope'])


def downgrade():
    # The old schema holds one reflection per enrolment: per-module reflections cannot be kept.
    op.execute("DELETE FROM reflections WHERE scope <> 'campaign'")
    with op.batch_alter_table('reflections', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_reflections_enrolment_id_scope'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_reflections_enrolment_id'), ['enrolment_id'])
        batch_op.drop_column('scope')

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('charity_colour')
        batch_op.drop_column('charity_name')
