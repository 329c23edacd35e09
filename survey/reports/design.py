"""Study-design data for reports and exports: vignette assignments, the retest draw and time on survey pages.

Kept apart from the answer queries so the instrument's design features extend a Dataset
without changing how answers are read.
"""
import pandas as pd
from sqlalchemy import Select, func, select

from survey.evaluation.models import RetestDraw
from survey.extensions import db
from survey.surveys.models import PageTime, VignetteAssignment


def add_assignments(campaign_id: int, participants: pd.DataFrame, enrolled: Select) -> None:
    """Add ``vignette:<id>`` columns: the version of each randomised vignette each participant was assigned.

    ``enrolled`` selects the participants' enrolment ids (a subquery, not a list of parameters).
    """
    rows = db.session.execute(
        select(VignetteAssignment.enrolment_id, VignetteAssignment.vignette_id, VignetteAssignment.version_key)
        .where(VignetteAssignment.campaign_id == campaign_id, VignetteAssignment.enrolment_id.in_(enrolled))
    ).all() if len(participants) else []
    for vignette in sorted({r[1] for r in rows}):
        keys = {enrolment: key for enrolment, v, key in rows if v == vignette}
        participants[f"vignette:{vignette}"] = pd.Series(keys, dtype=object).reindex(participants.index)


def add_retest_draws(campaign_id: int, participants: pd.DataFrame, enrolled: Select) -> None:
    """Add ``retest_subsample`` (1 drawn for the retest, 0 not drawn, missing if never drawn) once anyone was drawn."""
    flags = dict(db.session.execute(
        select(RetestDraw.enrolment_id, RetestDraw.selected)
        .where(RetestDraw.campaign_id == campaign_id, RetestDraw.enrolment_id.in_(enrolled))
    ).tuples().all()) if len(participants) else {}
    if flags:
        participants["retest_subsample"] = pd.Series({e: int(s) for e, s in flags.items()}, dtype="Int64") \
            .reindex(participants.index)


def add_page_seconds(responses: pd.DataFrame, chosen: Select) -> None:
    """Add ``seconds``: each response's capped time over all its pages (NaN when none was recorded).

    ``chosen`` selects the ids of the responses read (a subquery, not a list of parameters).
    """
    totals = dict(db.session.execute(
        select(PageTime.response_id, func.sum(PageTime.seconds)).where(PageTime.response_id.in_(chosen))
        .group_by(PageTime.response_id)
    ).tuples().all()) if len(responses) else {}
    responses["seconds"] = pd.Series(totals, dtype=float).reindex(responses.index)
