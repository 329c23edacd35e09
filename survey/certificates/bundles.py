"""A campaign's certificates as one ZIP, built by a job with its progress recorded for the job page.

Each certificate goes in as its stored PDF (``stored_pdf``), named by holder, activity and the start of
its code, never by email. Revoked certificates are left out (they no longer certify anything), and so
are those of cohorts whose names the requester may not see. A certificate that cannot be added is
listed as a failure and the rest still go in. The job commits after each certificate, so the page
shows "n of N" as it goes; a build whose worker died is taken over by the sweep and starts again.
"""
import io
import re
import unicodedata
import zipfile
from datetime import timedelta

from sqlalchemy import or_, select, update

from survey import clock
from survey.campaigns.models import Campaign, Enrolment
from survey.certificates.models import Certificate, CertificateBundle
from survey.certificates.stored_pdf import pdf_of
from survey.extensions import db

#: A build that shows no progress for this long lost its worker; the sweep starts it again.
STALE_AFTER = timedelta(minutes=5)


def start(campaign: Campaign, requested_by, cohort_ids: set[int] | None) -> CertificateBundle:
    """A new ZIP job for ``requested_by``, holding the cohorts ``cohort_ids`` (None: every cohort)."""
    bundle = CertificateBundle(campaign_id=campaign.id, requested_by_id=requested_by.id,
                               cohort_ids=sorted(cohort_ids) if cohort_ids is not None else None)
    db.session.add(bundle)
    db.session.flush()
    return bundle


def of(bundle_id: int, campaign: Campaign, user) -> CertificateBundle | None:
    """The bundle if ``user`` asked for it, for this campaign; None (a 404) for anyone else."""
    bundle = db.session.get(CertificateBundle, bundle_id)
    if bundle is None or bundle.campaign_id != campaign.id or bundle.requested_by_id != user.id:
        return None
    return bundle


def file_name(certificate: Certificate) -> str:
    """E.g. ``Alex-Morgan_Cancer-and-work_K7M2Q.pdf``: readable, ASCII, unique by the code."""
    def part(text: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")[:60] or "certificate"

    return f"{part(certificate.holder_name)}_{part(certificate.activity_title)}_{certificate.code[:5]}.pdf"


def _certificates(bundle: CertificateBundle) -> list[Certificate]:
    query = (select(Certificate).join(Enrolment, Enrolment.id == Certificate.enrolment_id)
             .where(Enrolment.campaign_id == bundle.campaign_id, Certificate.revoked_at.is_(None))
             .order_by(Certificate.holder_name, Certificate.id))
    if bundle.cohort_ids is not None:
        query = query.where(Enrolment.cohort_id.in_(bundle.cohort_ids))
    return list(db.session.scalars(query))


def _take(bundle_id: int) -> CertificateBundle | None:
    """Claim the build (queued, or stale): one worker builds a bundle at a time."""
    now = clock.now()
    taken = db.session.execute(
        update(CertificateBundle).where(CertificateBundle.id == bundle_id, or_(
            CertificateBundle.status == "queued",
            (CertificateBundle.status == "building") & (CertificateBundle.heartbeat_at < now - STALE_AFTER)))
        .values(status="building", heartbeat_at=now, done=0, failures=[]).execution_options(synchronize_session=False))
    db.session.commit()
    return db.session.get(CertificateBundle, bundle_id, populate_existing=True) if taken.rowcount == 1 else None


def build(bundle_id: int) -> None:
    """Build the ZIP (the job's body); does nothing if the bundle is finished or another worker holds it."""
    bundle = _take(bundle_id)
    if bundle is None:
        return
    certificates = _certificates(bundle)
    bundle.total, failures = len(certificates), []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            try:
                archive.writestr(file_name(certificate), pdf_of(certificate))
            except Exception as error:  # noqa: BLE001 - one certificate's failure must not lose the others
                db.session.rollback()
                failures.append(f"Certificate {certificate.code[:5]}: {type(error).__name__}: {error}"[:300])
            bundle.done, bundle.failures, bundle.heartbeat_at = bundle.done + 1, list(failures), clock.now()
            db.session.commit()
    bundle.archive, bundle.status, bundle.finished_at = buffer.getvalue(), "done", clock.now()
    db.session.commit()


def abandoned() -> list[int]:
    """Bundles to (re)start: building without progress for STALE_AFTER, or queued that long (the job was lost)."""
    stale = clock.now() - STALE_AFTER
    return list(db.session.scalars(select(CertificateBundle.id).where(or_(
        (CertificateBundle.status == "building") & (CertificateBundle.heartbeat_at < stale),
        (CertificateBundle.status == "queued") & (CertificateBundle.created_at < stale)))))
