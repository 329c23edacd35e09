"""scale direction: version 1's frozen barriers scale says better: lower (data only)

Reports now take which end of a scale is better from the instrument (``better``, default
"higher"). Version 1 was frozen in the database before the field existed, and its barriers
scale is the one scored so that lower is better; this writes the field into those frozen
copies, as the archived file now states it. No schema change.

Revision ID: reports17a01
Revises: lti20a01
Create Date: 2026-12-01 14:00:00

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'reports17a01'
down_revision = 'lti20a01'
branch_labels = None
depends_on = None

SLUG, VERSION, SCALE = "gp-work-health-attitudes", 1, "barriers"
versions = sa.table("instrument_versions", sa.column("id", sa.Integer), sa.column("slug", sa.String),
                    sa.column("version", sa.Integer), sa.column("definition", sa.JSON))


def _set_direction(better: str | None) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(versions.c.id, versions.c.definition)
                              .where(versions.c.slug == SLUG, versions.c.version == VERSION)).all()
    for row_id, definition in rows:
        definition = json.loads(definition) if isinstance(definition, str) else dict(definition)
        for scale in definition.get("scales", []):
            if scale.get("key") == SCALE:
                if better:
                    scale["better"] = better
                else:
                    scale.pop("better", None)
        connection.execute(versions.update().where(versions.c.id == row_id).values(definition=definition))


def upgrade():
    _set_direction("lower")


def downgrade():
    _set_direction(None)
