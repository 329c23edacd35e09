"""Frozen instrument versions, so every response is read with the definition it was given."""
from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey.db import TimestampMixin
from survey.extensions import db


class InstrumentVersion(TimestampMixin, db.Model):
    __tablename__ = "instrument_versions"
    __table_args__ = (UniqueConstraint("slug", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    #: The validated definition as loaded (JSON), read back for scoring and reports.
    definition: Mapped[dict] = mapped_column(JSON)
