"""Report pages: educators' dashboards and exports, charities' suppressed dashboard, CSV and branded PDF."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from survey.certificates.pdf import render_pdf, stylesheet
from survey.educator.services import enrolment_count
from survey.extensions import db
from survey.instruments.services import definition_for_preview
from survey.library import library
from survey.reports import cache, releases, services
from survey.reports.charity import RELEASE_HEADER, release_rows, status_text
from survey.reports.charts import accent_colour, report_charts
from survey.reports.codebook import version_codebook
from survey.reports.dataset import WAVE_NAMES
from survey.reports.exports import to_csv
from survey.reports.plain import summarise as plain_summary
from survey.reports.release_charts import release_charts
from survey.reports.summary import COUNTED_NOTE, enrolled_note, summarise
from survey.web.access import role_required

bp = Blueprint("reports", __name__)


def _page(template: str, report: dict, campaign, cohort=None, **context) -> str:
    labels = {row["scale"]: row["label"] for row in report["comparisons"][0]["scales"]}
    items: dict[str, list] = {}
    for row in (r for r in report["items"] if r["n"]):  # a survey nobody has answered yet gets no empty rows
        items.setdefault(row["scale"], []).append(row)
    return render_template(template, report=report, campaign=campaign, cohort=cohort,
                           summary=summarise(report), charts=report_charts(report, "chart"), waves=WAVE_NAMES,
                           scale_labels=labels, items_by_scale=items,
                           accent=accent_colour(campaign.organisation.colour if campaign.organisation else None),
                           **context)


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _report_pdf(html: str) -> bytes:
    """A report page as PDF over the report PDFs' shared stylesheet (parsed once per process)."""
    return render_pdf(html, stylesheets=[stylesheet("report.css")])


def _pdf(report: dict, campaign, cohort) -> Response:
    html = _page("reports/report_pdf.html", report, campaign, cohort)
    name = campaign.slug + (f"-cohort-{cohort.id}" if cohort else "")
    return _download(_report_pdf(html), "application/pdf", f"{name}-report.pdf")


def _cached(campaign, cohort) -> cache.Cached:
    """The cached report (stored now if it was built now), with a note when it predates the latest data."""
    cached = cache.cached_report(campaign, cohort)
    db.session.commit()
    if cached.report is not None and not cached.fresh:
        flash(f"This report was built on {cached.built_at:%d %B %Y at %H:%M} UTC. A report of the latest data "
              "is being prepared: reload the page in a few minutes.", "info")
    return cached


@bp.get("/educator/campaigns/<slug>/report")
@bp.get("/educator/campaigns/<slug>/cohorts/<int:cohort_id>/report")
@role_required("educator")
def educator_report(slug: str, cohort_id: int | None = None):
    campaign, cohort = services.staff_scope(current_user, slug, cohort_id) or abort(404)
    cached = _cached(campaign, cohort)
    if cached.report is None:
        return render_template("reports/preparing.html", campaign=campaign, cohort=cohort)
    note = COUNTED_NOTE if cohort else enrolled_note(enrolment_count(campaign), cached.report["funnel"]["enrolled"])
    return _page("reports/dashboard.html", cached.report, campaign, cohort, exports=services.EXPORTS,
                 releases=releases.campaign_releases(campaign), enrolled_note=note)


@bp.get("/educator/campaigns/<slug>/report.pdf")
@bp.get("/educator/campaigns/<slug>/cohorts/<int:cohort_id>/report.pdf")
@role_required("educator")
def educator_pdf(slug: str, cohort_id: int | None = None):
    campaign, cohort = services.staff_scope(current_user, slug, cohort_id) or abort(404)
    cached = _cached(campaign, cohort)
    if cached.report is None:
        return render_template("reports/preparing.html", campaign=campaign, cohort=cohort)
    response = _pdf(cached.report, campaign, cohort)
    services.record_download(current_user, campaign, "pdf")
    db.session.commit()
    return response


@bp.get("/educator/campaigns/<slug>/export/<kind>")
@bp.get("/educator/campaigns/<slug>/cohorts/<int:cohort_id>/export/<kind>")
@role_required("educator")
def export(slug: str, kind: str, cohort_id: int | None = None):
    """Educators' data exports; every download is written to the audit log."""
    campaign, cohort = services.staff_scope(current_user, slug, cohort_id) or abort(404)
    if kind not in services.EXPORTS:
        abort(404)
    data, mimetype, filename = services.export_file(current_user, campaign, cohort, kind)
    db.session.commit()
    return _download(data, mimetype, filename)


@bp.get("/educator/instruments/<slug>/<int:version>/codebook")
@role_required("educator")
def codebook(slug: str, version: int):
    """The codebook of one instrument version (what the exports' variables mean), for educators and admins."""
    definition = definition_for_preview(slug, library().instruments.get(slug), version, library().archived)
    if definition is None:
        abort(404)
    return render_template("reports/codebook.html", slug=slug, codebook=version_codebook(definition, version),
                           waves=WAVE_NAMES)


@bp.post("/educator/campaigns/<slug>/releases")
@role_required("educator")
def publish(slug: str):
    """Publish the charity's report of the campaign as it is now (a dated, frozen release)."""
    campaign, _ = services.staff_scope(current_user, slug) or abort(404)
    try:
        release = releases.publish_release(current_user, campaign)
    except releases.NotForCharity:
        flash("This campaign has no charity, so there is nobody to publish a report to.", "error")
        return redirect(url_for("reports.educator_report", slug=slug))
    db.session.commit()
    flash(f"Release {release.number} published: the charity now sees the report as of today.", "success")
    return redirect(url_for("reports.educator_report", slug=slug))


@bp.get("/charity/reports")
@role_required("charity")
def charity_index():
    return render_template("reports/charity_index.html", campaigns=services.charity_campaigns(current_user))


def _charity_release(slug: str, required: bool = True):
    """The campaign and the release asked for (``?release=N``, else the latest); 404 when it does not exist."""
    campaign = services.charity_campaign(current_user, slug) or abort(404)
    number = request.args.get("release", type=int)
    release = releases.find_release(campaign, number)
    if release is None and (required or number is not None):
        abort(404)
    return campaign, release


def _release_page(template: str, campaign, release) -> str:
    organisation = campaign.organisation
    accent = accent_colour(organisation.colour if organisation else None)
    return render_template(template, campaign=campaign, release=release, public=release.public if release else None,
                           charts=release_charts(release.public, accent) if release else {},
                           summary=plain_summary(release.public) if release else None, status_text=status_text,
                           releases=releases.campaign_releases(campaign), waves=WAVE_NAMES,
                           accent=accent, logo=services.logo_data_uri(organisation), pdf=template.endswith("pdf.html"))


@bp.get("/charity/reports/<slug>")
@role_required("charity")
def charity_report(slug: str):
    campaign, release = _charity_release(slug, required=False)
    return _release_page("reports/charity_release.html", campaign, release)


@bp.get("/charity/reports/<slug>/report.pdf")
@role_required("charity")
def charity_pdf(slug: str):
    campaign, release = _charity_release(slug)
    html = _release_page("reports/charity_pdf.html", campaign, release)
    response = _download(_report_pdf(html), "application/pdf", f"{campaign.slug}-report-{release.number}.pdf")
    services.record_download(current_user, campaign, "pdf")
    db.session.commit()
    return response


@bp.get("/charity/reports/<slug>/summary.csv")
@role_required("charity")
def charity_csv(slug: str):
    campaign, release = _charity_release(slug)
    services.record_download(current_user, campaign, "summary.csv")
    db.session.commit()
    return _download(to_csv(RELEASE_HEADER, release_rows(release.public)).encode(), "text/csv",
                     f"{campaign.slug}-summary-{release.number}.csv")
