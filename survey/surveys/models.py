"""Survey responses (one per enrolment and wave) and their answers."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.db import utcnow
from survey.instruments.models import InstrumentVersion
from survey.extensions import db


class Response(db.Model):
    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("enrolment_id", "wave"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    wave: Mapped[str] = mapped_column(String(20))  #: pre, post or follow_up
    instrument_version_id: Mapped[int] = mapped_column(ForeignKey("instrument_versions.id"))
    current_section: Mapped[int] = mapped_column(default=1)  #: page to resume at (1-based)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]

    answers: Mapped[list["Answer"]] = relationship(cascade="all, delete-orphan")
    version: Mapped[InstrumentVersion] = relationship()

    def answer_map(self) -> dict[str, str]:
        return {a.item_id: a.value for a in self.answers}


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("response_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(Text)
