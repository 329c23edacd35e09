"""outbox delivery state: status, attempts, next attempt, last error; unique organisation names (sec-robust)

Revision ID: secrob01
Revises: 400b07a543d5
Create Date: 2026-12-01 10:33:50.759097

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'secrob01'
down_revision = 'secpriv01'
branch_labels = None
depends_on = None


def upgrade():
    # Every row so far was a message the server accepted (a failed send deleted its row): "sent", one attempt.
    with op.batch_alter_table('sent_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=10), nullable=False, server_default='sent'))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('sent_at', existing_type=sa.DateTime(timezone=True), nullable=True)
        batch_op.create_index('ix_sent_messages_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)
    # The application always sets both; no default may quietly mark a new row as sent.
    with op.batch_alter_table('sent_messages', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=sa.String(length=10), server_default=None)
        batch_op.alter_column('attempts', existing_type=sa.Integer(), server_default=None)
    # The form always refused a second organisation of the same name; now the database does too, under concurrency.
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_organisations_name'), ['name'])


def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_organisations_name'), type_='unique')
    # The old ledger held only sent messages; unsent ones are simply tried again by the old code.
    op.execute("DELETE FROM sent_messages WHERE status <> 'sent' OR sent_at IS NULL")
    with op.batch_alter_table('sent_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_sent_messages_status_next_attempt_at')
        batch_op.alter_column('sent_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('last_error')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('status')
