"""Reading scored responses for reports: one bulk read per campaign, never a query per participant."""
from dataclasses import dataclass

from sqlalchemy import select

from survey.campaigns.models import Campaign, Enrolment
from survey.extensions import db
from survey.instruments.models import InstrumentVersion
from survey.instruments.services import definition_of
from survey.surveys.models import Answer, Response
from survey.surveys.scoring import score_scales


@dataclass(frozen=True)
class ScaleChange:
    key: str
    label: str
    n: int  #: participants with a score at both waves
    pre_mean: float | None
    post_mean: float | None


def scale_scores(campaign: Campaign, wave: str) -> dict[int, dict[str, float | None]]:
    """Scale scores of each consenting participant's submitted response to ``wave``, by enrolment id."""
    rows = db.session.execute(
        select(Response.id, Response.enrolment_id, Response.instrument_version_id, Answer.item_id, Answer.value)
        .join(Enrolment, Enrolment.id == Response.enrolment_id)
        .join(Answer, Answer.response_id == Response.id)
        .where(Enrolment.campaign_id == campaign.id, Enrolment.research_consent.is_(True),
               Response.wave == wave, Response.submitted_at.is_not(None))
    ).all()
    answers: dict[tuple[int, int], dict[str, str]] = {}
    for _, enrolment_id, version_id, item, value in rows:
        answers.setdefault((enrolment_id, version_id), {})[item] = value
    versions = {v.id: definition_of(v) for v in db.session.scalars(select(InstrumentVersion))}
    return {enrolment_id: score_scales(versions[version_id], given) for (enrolment_id, version_id), given in answers.items()}


def matched_change(campaign: Campaign, definition) -> list[ScaleChange]:
    """Pre and post means per scale over matched participants only (both scores present)."""
    pre, post = scale_scores(campaign, "pre"), scale_scores(campaign, "post")
    changes = []
    for scale in definition.scales:
        pairs = [
            (pre[e][scale.key], post[e][scale.key])
            for e in pre.keys() & post.keys()
            if pre[e].get(scale.key) is not None and post[e].get(scale.key) is not None
        ]
        n = len(pairs)
        changes.append(ScaleChange(
            key=scale.key, label=scale.label, n=n,
            pre_mean=sum(p for p, _ in pairs) / n if n else None,
            post_mean=sum(q for _, q in pairs) / n if n else None,
        ))
    return changes
