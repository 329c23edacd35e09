"""Admins change roles (audited) and read the audit log with filters and pages."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from survey import clock
from survey.audit import services as audit
from survey.audit.models import AuditEvent
from survey.auth.models import User
from survey.extensions import db
from survey.organisations.models import Organisation
from tests.factories import PASSWORD, make_user


@pytest.fixture
def admin(client):
    user = make_user("admin", email="root@example.org")
    client.login(user.email, PASSWORD)
    return user


def test_an_admin_changes_a_role_and_it_is_audited(client, admin):
    organisation = Organisation(slug="mind", name="Mind", colour="#123456")
    db.session.add(organisation)
    db.session.commit()
    reader = make_user("educator", email="reader@example.org")

    refused = client.post(f"/admin/users/{reader.id}", {"role": "charity", "organisation_id": ""})
    assert "A charity account must belong to an organisation." in refused.get_data(as_text=True)
    assert client.post(f"/admin/users/{reader.id}", {"role": "charity", "organisation_id": str(organisation.id)}).status_code == 302
    db.session.expire_all()
    assert (db.session.get(User, reader.id).role, db.session.get(User, reader.id).organisation_id) == ("charity", organisation.id)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "role.change"))
    assert (event.actor_id, event.target, event.detail["old_role"], event.detail["new_role"]) == (admin.id, f"user:{reader.id}", "educator", "charity")

    own = client.post(f"/admin/users/{admin.id}", {"role": "gp", "organisation_id": ""})
    assert "You cannot change your own role" in own.get_data(as_text=True)
    assert client.get("/admin/users/999999").status_code == 404


def test_the_audit_log_filters_by_action_actor_and_date_and_pages(client, admin):
    other = make_user("educator", email="other@example.org")
    old = clock.now() - timedelta(days=30)
    for n in range(55):
        audit.record(admin, "data.export", f"user:{n}")
    db.session.add(AuditEvent(actor_id=other.id, action="certificate.revoke", target="certificate:X", at=old))
    db.session.commit()

    first = client.get("/admin/audit?action=data.export").get_data(as_text=True)
    assert "Page 1 of 2" in first and "certificate.revoke</td>" not in first
    assert "Page 2 of 2" in client.get("/admin/audit?action=data.export&page=2").get_data(as_text=True)
    by_actor = client.get("/admin/audit?actor=other@").get_data(as_text=True)
    assert "certificate:X" in by_actor and "user:1<" not in by_actor
    day = old.date().isoformat()
    dated = client.get(f"/admin/audit?since={day}&until={day}").get_data(as_text=True)
    assert "certificate:X" in dated and "Page 1 of 1" in dated
    bad = client.get(f"/admin/audit?since={day}&until=2000-01-01")
    assert bad.status_code == 200 and "The end date must be on or after the start date." in bad.get_data(as_text=True)
    assert client.get("/admin/audit?page=abc").status_code == 200
