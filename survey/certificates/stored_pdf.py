"""A certificate's PDF: rendered once, when it is issued, and served as stored ever after.

A certificate is an immutable snapshot, so its PDF is too: keeping the bytes (a column beside the
snapshot, so every app process and worker reads the same file and a backup holds both) makes each
download a read instead of a render of half a second or more, and a campaign's ZIP a copy.
"""
from functools import partial

from flask import current_app, render_template

from survey.certificates import services
from survey.certificates.models import Certificate
from survey.certificates.pdf import render_certificate_pdf
from survey.web.urls import external_url


def render(certificate: Certificate) -> bytes:
    """Draw the certificate from its snapshot (needs an app context; links come from BASE_URL)."""
    verify_url = external_url("certificates.verify", code=certificate.code)
    view = services.view_of(certificate, current_app.config["ISSUER_NAME"], verify_url)
    return render_certificate_pdf(partial(render_template, "certificates/certificate_pdf.html"), view, verify_url)


def pdf_of(certificate: Certificate) -> bytes:
    """The stored PDF; one issued before PDFs were stored is rendered now and kept (the caller commits)."""
    return services.stored_pdf(certificate, render)
