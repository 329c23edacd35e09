"""emails13: campaigns' edited email wording (versions), and the version each invitation was queued with

Revision ID: emails13a01
Revises: evaldesign1801
Create Date: 2026-12-01 16:58:59.642936

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'emails13a01'
down_revision = 'evaldesign1801'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('campaign_email_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('edited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_email_texts_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['edited_by_id'], ['users.id'], name=op.f('fk_campaign_email_texts_edited_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_email_texts'))
    )
    with op.batch_alter_table('campaign_email_texts', schema=None) as batch_op:
        batch_op.create_index('ix_campaign_email_texts_campaign_id_kind', ['campaign_id', 'kind'], unique=False)

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_text_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_invitations_email_text_id_campaign_email_texts'), 'campaign_email_texts', ['email_text_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_invitations_email_text_id_campaign_email_texts'), type_='foreignkey')
        batch_op.drop_column('email_text_id')

    with op.batch_alter_table('campaign_email_texts', schema=None) as batch_op:
        batch_op.drop_index('ix_campaign_email_texts_campaign_id_kind')

    op.drop_table('campaign_email_texts')
