"""A campaign's certificates as one ZIP: built by the real worker, one parsed PDF per certificate, and
seen only by the staff member who asked (holding only the cohorts whose names they may see)."""
import io
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from survey import clock
from survey.campaigns import services as campaigns
from survey.certificates.models import Certificate
from survey.extensions import db
from tests.factories import PASSWORD, make_campaign, make_user
from tests.worker import Worker, app_env, queue_settings, wait_for

BUTTON = "Download all certificates (ZIP)"


def certify(campaign, name: str, cohort=None, revoked: bool = False) -> Certificate:
    gp = make_user(name=name)
    enrolment = campaigns.enrol(gp, campaign, False, cohort=cohort)
    certificate = Certificate(code=f"{name[-1]}" * 20, enrolment_id=enrolment.id, holder_name=gp.name,
                              gmc_number=gp.gmc_number, activity_title=campaign.title, module_titles="Work as a health outcome",
                              learning_outcomes="Explain why work is a health outcome", credits=1.0,
                              completed_at=clock.now(), revoked_at=clock.now() if revoked else None)
    db.session.add(certificate)
    db.session.commit()
    return certificate


def start_zip(client, slug: str):
    page = client.get(f"/educator/campaigns/{slug}").get_data(as_text=True)
    assert BUTTON in page
    return client.post(f"/educator/campaigns/{slug}/certificates/zip")


def finished_zip(client, progress_url: str) -> zipfile.ZipFile:
    wait_for(lambda: "Download the ZIP" in client.get(progress_url).get_data(as_text=True), what="the ZIP")
    download = client.get(f"{progress_url}/download")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(download.data))


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def config_overrides():
    return queue_settings()


@pytest.fixture
def worker(app, migrated, tmp_path):
    jobs = Worker(app_env(app, migrated), tmp_path / "worker.log").start()
    yield jobs
    jobs.stop()
    jobs.flush_queue()


def test_the_worker_builds_one_pdf_per_certificate(app, client, worker):
    educator = make_user("educator")
    campaign = make_campaign(educators=[educator])
    for name in ("Dr Ada Lovelace A", "Dr Bob Ng B", "Dr Zoë Þorn C"):
        certify(campaign, name)
    certify(campaign, "Dr Revoked R", revoked=True)
    client.login(educator.email, PASSWORD)
    started = start_zip(client, campaign.slug)
    assert started.status_code == 302
    progress_url = started.headers["Location"]
    archive = finished_zip(client, progress_url)
    names = sorted(archive.namelist())
    assert names == [f"Dr-Ada-Lovelace-A_{campaign.title.replace(' ', '-')}_AAAAA.pdf",
                     f"Dr-Bob-Ng-B_{campaign.title.replace(' ', '-')}_BBBBB.pdf",
                     f"Dr-Zoe-orn-C_{campaign.title.replace(' ', '-')}_CCCCC.pdf"]
    for name, holder in zip(names, ("Dr Ada Lovelace A", "Dr Bob Ng B", "Dr Zoë Þorn C")):
        text = pdf_text(archive.read(name))
        assert holder in text and "Work as a health outcome" in text
    assert "Done: 3 of 3 certificates are in the ZIP." in client.get(progress_url).get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.scalars(select(Certificate.pdf).where(Certificate.revoked_at.is_(None))).all()
    assert len(stored) == 3 and all(pdf.startswith(b"%PDF") for pdf in stored)  # rendered once, now kept
