"""A GP's "My learning" record and its exports (PDF learning log, CSV, an appraisal year's summary, one
activity's record for the appraisal portfolio); only ever their own."""
from datetime import date, timedelta

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user

from survey.certificates.forms import AppraisalYearForm
from survey.certificates.learning_log import (appraisal_year, appraisal_year_end, certified_activity, duration_text,
                                              log_csv)
from survey.certificates.pdf import render_pdf, stylesheet
from survey.certificates.record import learning_record
from survey.codes import normalise_code
from survey.db import utcnow
from survey.learning.services import PAGE_TIME_CAP
from survey.library import library
from survey.web.access import role_required
from survey.web.urls import external_url

bp = Blueprint("record", __name__, url_prefix="/my-learning")


def _record():
    return learning_record(current_user, library().modules)


def _attachment(body: bytes, mimetype: str, extension: str, name: str = "CPD-learning-log") -> Response:
    filename = f"{name}-{utcnow():%Y-%m-%d}.{extension}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"',
                                                      "Cache-Control": "no-store"})


def _record_pdf(html: str) -> bytes:
    """A record page as a tagged PDF over the records' shared stylesheet (parsed once per process)."""
    return render_pdf(html, accessible=True, stylesheets=[stylesheet("record.css")])


def _log_pdf(record, year: tuple[date, date] | None = None) -> bytes:
    html = render_template("certificates/learning_log_pdf.html", record=record, duration_text=duration_text,
                           issuer=current_app.config["ISSUER_NAME"], generated_on=utcnow(), year=year,
                           page_time_cap_minutes=int(PAGE_TIME_CAP.total_seconds() // 60))
    return _record_pdf(html)


def _csv(record) -> bytes:
    # A byte-order mark, so that spreadsheet programs read names such as Siobhán correctly.
    return log_csv(record).encode("utf-8-sig")


@bp.get("")
@role_required("gp")
def my_learning():
    return render_template("certificates/my_learning.html", record=_record(), duration_text=duration_text)


@bp.get("/log.pdf")
@role_required("gp")
def log_pdf():
    return _attachment(_log_pdf(_record()), "application/pdf", "pdf")


@bp.get("/log.csv")
@role_required("gp")
def log_csv_export():
    return _attachment(_csv(_record()), "text/csv", "csv")


@bp.get("/year", defaults={"extension": None})
@bp.get("/year.<any(pdf, csv):extension>")
@role_required("gp")
def year(extension: str | None):
    """One appraisal year's summary: a page to choose the year, and the year as PDF or CSV."""
    asked = "start" in request.args
    default = date.today().replace(day=1) - timedelta(days=364)
    form = AppraisalYearForm(formdata=request.args if asked else None, data={"start": default})
    if not (asked and form.validate()):
        status = 400 if asked else 200
        return render_template("certificates/appraisal_year.html", form=form, record=None), status
    start = form.start.data
    record = appraisal_year(_record(), start)
    name = f"CPD-appraisal-year-{start:%Y-%m-%d}"
    if extension == "pdf":
        return _attachment(_log_pdf(record, (start, appraisal_year_end(start))), "application/pdf", "pdf", name)
    if extension == "csv":
        return _attachment(_csv(record), "text/csv", "csv", name)
    return render_template("certificates/appraisal_year.html", form=form, record=record, start=start,
                           end=appraisal_year_end(start), duration_text=duration_text)


@bp.get("/evidence/<code>.pdf")
@role_required("gp")
def evidence_pdf(code: str):
    """One certified activity as supporting information for appraisal; 404 for anyone else's or a revoked one."""
    record = _record()
    activity = certified_activity(record, code) or abort(404)
    verify_url = external_url("certificates.verify", code=normalise_code(code))
    html = render_template("certificates/evidence_pdf.html", record=record, activity=activity,
                           duration_text=duration_text, issuer=current_app.config["ISSUER_NAME"],
                           generated_on=utcnow(), verify_url=verify_url)
    return _attachment(_record_pdf(html), "application/pdf", "pdf",
                       f"CPD-activity-{normalise_code(code)[:5]}")
