"""Organisations."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from survey.db import TimestampMixin
from survey.extensions import db


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)  #: unique, so two admins at once cannot both add one
    #: Brand colour for certificates and reports, "#rrggbb".
    colour: Mapped[str] = mapped_column(String(7), default="#0b6b66")
    #: Logo file name under the instance's uploads folder, if any.
    logo_filename: Mapped[str | None] = mapped_column(String(200))
