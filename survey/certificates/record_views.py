"""A GP's "My learning" record and its exports (PDF learning log, CSV); only ever their own."""
from flask import Blueprint, Response, current_app, render_template
from flask_login import current_user

from survey.certificates.learning_log import duration_text, log_csv
from survey.certificates.pdf import render_pdf
from survey.certificates.record import learning_record
from survey.db import utcnow
from survey.learning.services import PAGE_TIME_CAP
from survey.library import library
from survey.web.access import role_required

bp = Blueprint("record", __name__, url_prefix="/my-learning")


def _record():
    return learning_record(current_user, library().modules)


def _attachment(body: bytes, mimetype: str, extension: str) -> Response:
    filename = f"CPD-learning-log-{utcnow():%Y-%m-%d}.{extension}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"',
                                                      "Cache-Control": "no-store"})


@bp.get("")
@role_required("gp")
def my_learning():
    return render_template("certificates/my_learning.html", record=_record(), duration_text=duration_text)


@bp.get("/log.pdf")
@role_required("gp")
def log_pdf():
    html = render_template("certificates/learning_log_pdf.html", record=_record(), duration_text=duration_text,
                           issuer=current_app.config["ISSUER_NAME"], generated_on=utcnow(),
                           page_time_cap_minutes=int(PAGE_TIME_CAP.total_seconds() // 60))
    return _attachment(render_pdf(html), "application/pdf", "pdf")


@bp.get("/log.csv")
@role_required("gp")
def log_csv_export():
    # A byte-order mark, so that spreadsheet programs read names such as Siobhán correctly.
    return _attachment(log_csv(_record()).encode("utf-8-sig"), "text/csv", "csv")
