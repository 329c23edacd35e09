"""Reports for educators, admins and charities: who may see which report, building it, exports, imports.

Services flush; the caller (view or CLI) commits once.
"""
import base64
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import insert, select

from survey.audit.services import record
from survey.auth.models import User
from survey.campaigns import access
from survey.campaigns.models import Campaign, Cohort, Enrolment
from survey.db import utcnow
from survey.extensions import db
from survey.instruments.models import InstrumentVersion
from survey.instruments.services import definition_of
from survey.organisations.logos import MIME_TYPES
from survey.organisations.services import logo_folder
from survey.reports import exports, importer, slides
from survey.reports.analysis import build_report, comparisons
from survey.reports.dataset import Dataset, variants
from survey.reports.queries import load_dataset
from survey.surveys.models import Answer, Response

#: Educators' exports: file suffix -> (MIME type, builder).
EXPORTS = {
    "long.csv": ("text/csv", exports.long_csv),
    "wide.csv": ("text/csv", exports.wide_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.xlsx_bytes),
    "sav": ("application/x-spss-sav", exports.sav_bytes),
    "results.csv": ("text/csv", slides.results_csv),
}


@dataclass(frozen=True)
class ScaleChange:
    key: str
    label: str
    n: int  #: participants with a score at both waves
    pre_mean: float | None
    post_mean: float | None


def cell_size(campaign: Campaign) -> int:
    """The smallest group a charity may see: the campaign's setting, never below the platform's MIN_CELL_SIZE."""
    return max(campaign.min_cell_size or 0, current_app.config["MIN_CELL_SIZE"])


def logo_data_uri(organisation) -> str | None:
    """The organisation's logo as a data: URI (for pages and PDFs that fetch nothing), or None."""
    if organisation is None or not organisation.logo_filename:
        return None
    path = logo_folder() / organisation.logo_filename
    if not path.is_file():
        return None
    kind = path.suffix.lstrip(".")
    return f"data:{MIME_TYPES[kind]};base64,{base64.b64encode(path.read_bytes()).decode()}"


def dataset_for(campaign: Campaign, cohort: Cohort | None = None) -> Dataset:
    return load_dataset(campaign, cohort, cell_size(campaign))


def campaign_report(campaign: Campaign, cohort: Cohort | None = None) -> dict:
    """The full, live report of a campaign or one of its cohorts (for staff; charities see releases only)."""
    return build_report(dataset_for(campaign, cohort))


def matched_change(campaign: Campaign, definition) -> list[ScaleChange]:
    """Pre and post means per scale of ``definition`` over matched participants only (both scores present)."""
    dataset = dataset_for(campaign)
    pre_post = comparisons(dataset, variants(dataset.versions, "scale"))[0]
    rows = {row["scale"]: row for row in pre_post["scales"]}  # a scale split by version: its latest definition
    changes = []
    for scale in definition.scored_scales:
        row = rows.get(scale.key, {"n_pairs": 0, "pre_mean": None, "post_mean": None})
        changes.append(ScaleChange(scale.key, scale.label, row["n_pairs"], row["pre_mean"], row["post_mean"]))
    return changes


def staff_scope(user: User, slug: str, cohort_id: int | None = None) -> tuple[Campaign, Cohort | None] | None:
    """The campaign (and cohort) whose full report ``user`` may see, or None (the view answers 404).

    Admins see every campaign; educators the campaigns they are added to and all their cohorts,
    and a cohort's own educators that cohort.
    """
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        return None
    cohort = None
    if cohort_id is not None:
        cohort = db.session.scalar(select(Cohort).where(Cohort.id == cohort_id, Cohort.campaign_id == campaign.id))
        if cohort is None:
            return None
    allowed = user.role in ("educator", "admin") and (
        access.can_edit(user, campaign) or (cohort is not None and cohort.id in access.led_cohort_ids(user)))
    return (campaign, cohort) if allowed else None


def charity_campaigns(user: User) -> list[Campaign]:
    """Campaigns whose aggregate a charity user may see: their organisation's (admins: every charity campaign)."""
    query = select(Campaign).where(Campaign.organisation_id.is_not(None)).order_by(Campaign.title)
    if user.role != "admin":
        if user.organisation_id is None:
            return []
        query = query.where(Campaign.organisation_id == user.organisation_id)
    return list(db.session.scalars(query))


def charity_campaign(user: User, slug: str) -> Campaign | None:
    return next((c for c in charity_campaigns(user) if c.slug == slug), None)


def api_scope(user: User, slug: str) -> tuple[Campaign, bool] | None:
    """(campaign, suppressed) for the report API: full for admins and the campaign's educators,
    suppressed for the owning charity; None for anyone else."""
    if user.role == "charity":
        campaign = charity_campaign(user, slug)
        return (campaign, True) if campaign else None
    scope = staff_scope(user, slug)
    return (scope[0], False) if scope else None


def export_file(user: User, campaign: Campaign, cohort: Cohort | None, kind: str) -> tuple[bytes, str, str]:
    """An educator's data export (participants by pseudonymous code only), recorded in the audit log."""
    mimetype, build = EXPORTS[kind]
    dataset = dataset_for(campaign, cohort)
    data = build(dataset)
    name = campaign.slug + (f"-cohort-{cohort.id}" if cohort else "")
    record(user, "report.export", f"campaign:{campaign.slug}", format=kind, cohort=cohort.name if cohort else None,
           participants=len(dataset.participants))
    db.session.flush()
    filename = f"{name}-responses-{kind}" if "." in kind else f"{name}-responses.{kind}"  # long.csv, or .xlsx/.sav
    return (data.encode() if isinstance(data, str) else data), mimetype, filename


def record_download(user: User, campaign: Campaign, kind: str) -> None:
    """Audit a report download (PDF or summary CSV)."""
    record(user, "report.download", f"campaign:{campaign.slug}", format=kind)
    db.session.flush()


def stored_version(campaign: Campaign, number: int) -> InstrumentVersion | None:
    return db.session.scalar(select(InstrumentVersion).where(InstrumentVersion.slug == campaign.instrument_slug,
                                                             InstrumentVersion.version == number))


def import_responses(campaign: Campaign, text: str, version: InstrumentVersion) -> tuple[int, int]:
    """Store answers from a long CSV as submitted responses under ``version``; all or nothing.

    Raises :class:`importer.ImportInvalid` listing every problem (nothing is added then).
    Returns (responses, answers) imported. Recorded in the audit log.
    """
    rows, problems = importer.read_rows(text)
    enrolments = {code: (id_, withdrawn is not None) for id_, code, withdrawn in db.session.execute(
        select(Enrolment.id, Enrolment.participant_code, Enrolment.withdrawn_at)
        .where(Enrolment.campaign_id == campaign.id))}
    existing = set(db.session.execute(
        select(Enrolment.participant_code, Response.wave).join(Response, Response.enrolment_id == Enrolment.id)
        .where(Enrolment.campaign_id == campaign.id)).tuples())
    answers, found = importer.validate(rows, definition_of(version), {c: w for c, (_, w) in enrolments.items()},
                                       existing)
    problems = sorted(problems + found, key=lambda p: p.line)
    if problems or not answers:
        raise importer.ImportInvalid(problems or [importer.Problem(1, "the file has no answers")])
    now = utcnow()
    responses = {key: Response(enrolment_id=enrolments[key[0]][0], wave=key[1], instrument_version_id=version.id,
                               current_section=1, started_at=now, updated_at=now, submitted_at=now)
                 for key in answers}
    db.session.add_all(responses.values())
    db.session.flush()
    values = [{"response_id": responses[key].id, "item_id": item, "value": value}
              for key, given in answers.items() for item, value in given.items()]
    db.session.execute(insert(Answer), values)
    record(None, "responses.import", f"campaign:{campaign.slug}", responses=len(responses), answers=len(values),
           instrument_version=version.version)
    db.session.flush()
    return len(responses), len(values)
