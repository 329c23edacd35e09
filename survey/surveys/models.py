"""Survey responses (one per enrolment and wave) and their answers."""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
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


class PageTime(db.Model):
    """Time a response spent on one survey page, from server-side timestamps.

    Each time the page is shown, ``shown_at`` is set; each save of the page adds the time since
    then, capped per visit (an idle tab is not counted as reading), to ``seconds``.
    """

    __tablename__ = "page_times"
    __table_args__ = (UniqueConstraint("response_id", "page"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    page: Mapped[int]  #: 1-based page of the wave
    shown_at: Mapped[datetime | None]  #: when the current visit began (None after it was saved)
    seconds: Mapped[int] = mapped_column(Integer, default=0)  #: capped time on the page over all visits
    visits: Mapped[int] = mapped_column(Integer, default=0)  #: saves counted


class VignetteAssignment(db.Model):
    """The version of a randomised vignette a GP was assigned (once, at their first survey start).

    ``position`` is the GP's place in the campaign's sequence for that vignette: the n-th GP
    assigned gets element n of the campaign's permuted-block sequence, so the sequence is
    balanced and can be re-derived from the campaign's seed.
    """

    __tablename__ = "vignette_assignments"
    __table_args__ = (UniqueConstraint("enrolment_id", "vignette_id"),
                      UniqueConstraint("campaign_id", "vignette_id", "position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    vignette_id: Mapped[str] = mapped_column(String(60))
    version_key: Mapped[str] = mapped_column(String(60))
    position: Mapped[int]
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseSetAssignment(db.Model):
    """Which of a matrix-sampled instrument's cases a GP answers (once, at their first survey start).

    ``position`` is the GP's place in the campaign's sequence of case sets (as for vignette versions);
    ``vignette_ids`` lists the GP's cases, comma-separated in the instrument's order.
    """

    __tablename__ = "case_set_assignments"
    __table_args__ = (UniqueConstraint("enrolment_id"), UniqueConstraint("campaign_id", "position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    position: Mapped[int]
    vignette_ids: Mapped[str] = mapped_column(String(400))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def cases(self) -> tuple[str, ...]:
        return tuple(self.vignette_ids.split(","))
