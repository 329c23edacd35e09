"""The audit log records organisation changes (issue 12: cohort, organisation and user changes are audited)."""
import pytest
from sqlalchemy import select

from survey.audit.models import AuditEvent
from survey.extensions import db
from survey.organisations.models import Organisation
from tests.factories import PASSWORD, make_user


@pytest.fixture
def config_overrides(tmp_path):
    return {"UPLOAD_FOLDER": str(tmp_path / "uploads")}


def test_creating_and_editing_an_organisation_is_audited(client):
    admin = make_user("admin")
    client.login(admin.email, PASSWORD)
    assert client.post("/manage/organisations/new", {"name": "Mind", "colour": "#123456"},
                       content_type="multipart/form-data").status_code == 302
    organisation = db.session.scalar(select(Organisation))
    assert client.post(f"/manage/organisations/{organisation.id}/edit", {"name": "Mind UK", "colour": "#654321"},
                       content_type="multipart/form-data").status_code == 302
    refused = client.post("/manage/organisations/new", {"name": "Mind UK", "colour": "#000000"}, content_type="multipart/form-data")
    assert refused.status_code == 200  # a clash records nothing
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("organisation.%")).order_by(AuditEvent.id)).all()
    assert [(e.action, e.target, e.actor_id, e.detail["name"]) for e in events] == [
        ("organisation.create", f"organisation:{organisation.id}", admin.id, "Mind"),
        ("organisation.update", f"organisation:{organisation.id}", admin.id, "Mind UK")]
    page = client.get("/admin/audit?action=organisation.update").get_data(as_text=True)
    assert f"organisation:{organisation.id}" in page
