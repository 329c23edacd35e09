"""Admins manage accounts: details (validated, unique, audited), reset links, disable/enable, delete, create;
they see a user's enrolments and certificates; roles have readable names."""
import re

import pytest
from sqlalchemy import select

from survey.audit.models import AuditEvent
from survey.auth.models import User
from survey.extensions import db
from survey.invitations import services as outbox_services
from survey.jobs.tasks import deliver_message
from tests.factories import PASSWORD, make_campaign, make_user
from tests.invitations.test_delivery import moving_clock  # noqa: F401
from tests.smtp import config_overrides, smtp_server  # noqa: F401


@pytest.fixture
def admin(client):
    user = make_user("admin", name="Root Admin", email="root@example.org")
    client.login(user.email, PASSWORD)
    return user


def actions() -> list[tuple[str, str]]:
    return [(e.action, e.target) for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def link_in(smtp_server, address: str) -> str:
    body = smtp_server.body(smtp_server.to(address)[-1])
    return re.search(r"http://localhost(/reset-password/\S+)", body).group(1)


def test_an_admin_edits_details_with_validation_and_clear_clash_messages(client, admin):
    gp = make_user(name="Dr Old", email="old@example.org", gmc_number="1111111")
    make_user(email="taken@example.org", gmc_number="2222222")
    url = f"/admin/users/{gp.id}/details"

    clash = client.post(url, {"name": "Dr New", "email": "TAKEN@example.org", "gmc_number": "1111111"}).get_data(as_text=True)
    assert "Another account already uses this email address." in clash and 'value="Dr New"' in clash  # typing kept
    gmc = client.post(url, {"name": "Dr New", "email": "new@example.org", "gmc_number": "2222222"}).get_data(as_text=True)
    assert "Another account already has this GMC number" in gmc
    for bad, message in (({"gmc_number": "12345"}, "exactly 7 digits"), ({"gmc_number": ""}, "A GP account needs a GMC number."),
                         ({"email": "not-an-email"}, "Enter a valid email address"),
                         ({"name": "Dr\r\nBcc: x"}, "must be a single line of text")):
        response = client.post(url, {"name": "Dr New", "email": "new@example.org", "gmc_number": "3333333", **bad})
        assert response.status_code == 200 and message in response.get_data(as_text=True), bad
    db.session.expire_all()
    assert db.session.get(User, gp.id).email == "old@example.org"  # nothing saved by a refused form

    assert client.post(url, {"name": "Dr New", "email": " New@Example.org ", "gmc_number": "3333333"}).status_code == 302
    db.session.expire_all()
    changed = db.session.get(User, gp.id)
    assert (changed.name, changed.email, changed.gmc_number) == ("Dr New", "new@example.org", "3333333")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.update"))
    assert (event.actor_id, event.target, event.detail["fields"]) == (admin.id, f"user:{gp.id}", ["name", "email", "gmc_number"])
    assert "old@example.org" not in str(event.detail)
    assert client.post("/admin/users/999999/details", {"name": "x"}).status_code == 404


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(client, admin, make_client):
    gp = make_user(email="gone@example.org")
    laptop = make_client()
    laptop.login(gp.email, PASSWORD)
    assert laptop.get("/account/").status_code == 200

    assert client.post(f"/admin/users/{gp.id}/disable").status_code == 302
    assert laptop.get("/account/").status_code == 302  # the open session ended
    again = make_client()
    again.login(gp.email, PASSWORD)
    assert again.get("/account/").status_code == 302  # and a new sign-in is refused
    assert "Disabled" in client.get("/admin/users").get_data(as_text=True)

    own = client.post(f"/admin/users/{admin.id}/disable", follow_redirects=True).get_data(as_text=True)
    assert "You cannot disable your own account" in own
    assert client.get("/admin/users").status_code == 200  # still signed in

    assert client.post(f"/admin/users/{gp.id}/enable").status_code == 302
    back = make_client()
    back.login(gp.email, PASSWORD)
    assert back.get("/account/").status_code == 200
    assert [a for a, _ in actions() if a.startswith("user.")] == ["user.disable", "user.enable"]


def test_an_admin_sends_a_reset_link_through_the_reset_service(client, admin, make_client, smtp_server):
    gp = make_user(email="forgot@example.org")
    page = client.post(f"/admin/users/{gp.id}/reset", follow_redirects=True).get_data(as_text=True)
    assert "on its way" in page and "Latest reset link sent from this page: Sent" in page
    link = link_in(smtp_server, "forgot@example.org")
    owner = make_client()
    assert owner.post(link, {"password": "a-brand-new-password", "confirm": "a-brand-new-password"}).status_code == 302
    assert owner.login(gp.email, "a-brand-new-password").status_code == 302
    assert ("user.reset_link", f"user:{gp.id}") in actions()


def test_a_failed_mail_is_not_shown_as_sent_and_is_tried_again(app, client, admin, smtp_server, moving_clock):
    gp = make_user(email="nomail@example.org")
    smtp_server.refused.add("nomail@example.org")  # the mail server turns the message away
    page = client.post(f"/admin/users/{gp.id}/reset", follow_redirects=True).get_data(as_text=True)
    assert "Latest reset link sent from this page: Not sent: attempt 1 of" in page and "Next attempt" in page
    assert smtp_server.to("nomail@example.org") == []

    smtp_server.refused.clear()
    moving_clock(app.config["MAIL_RETRY_SECONDS"])
    with app.test_request_context():  # what the worker runs when the retry the queue holds falls due
        deliver_message.call_local(outbox_services.latest_about("reset", f"user:{gp.id}").id)
    assert len(smtp_server.to("nomail@example.org")) == 1
    assert "Latest reset link sent from this page: Sent" in client.get(f"/admin/users/{gp.id}").get_data(as_text=True)


def test_an_admin_deletes_an_account_like_the_gp_would(client, admin, make_client):
    gp = make_user(name="Dr Erase", email="erase@example.org")
    campaign = make_campaign()
    owner = make_client()
    owner.login(gp.email, PASSWORD)
    owner.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "nation": "england"})
    page = client.get(f"/admin/users/{gp.id}").get_data(as_text=True)
    assert campaign.title in page  # the admin sees the enrolments

    refused = client.post(f"/admin/users/{gp.id}/delete", {})
    assert "Please tick to confirm." in refused.get_data(as_text=True)
    assert client.post(f"/admin/users/{gp.id}/delete", {"confirm": "y"}).status_code == 302
    db.session.expire_all()
    user = db.session.get(User, gp.id)
    assert (user.name, user.gmc_number, user.deleted_at is not None) == ("Deleted account", None, True)
    assert owner.get("/account/").status_code == 302
    assert {"user.delete", "account.delete"} <= {a for a, _ in actions()}
    own = client.post(f"/admin/users/{admin.id}/delete", {"confirm": "y"}).get_data(as_text=True)
    assert "You cannot delete your own account" in own


def test_an_admin_creates_accounts_with_the_create_user_rules(client, admin, make_client, smtp_server):
    make_user(email="exists@example.org")
    base = {"name": "Dr New Educator", "email": "edu@example.org", "role": "educator", "gmc_number": "", "organisation_id": ""}
    assert "Another account already uses" in client.post("/admin/users/new", {**base, "email": "exists@example.org"}).get_data(as_text=True)
    gp_without = client.post("/admin/users/new", {**base, "role": "gp"}).get_data(as_text=True)
    assert "A GP account needs a GMC number." in gp_without and 'value="Dr New Educator"' in gp_without
    assert "must belong to an organisation" in client.post("/admin/users/new", {**base, "role": "charity"}).get_data(as_text=True)
    assert "Role" in client.get("/admin/users/new").get_data(as_text=True)

    made = client.post("/admin/users/new", base, follow_redirects=True).get_data(as_text=True)
    assert "Latest reset link sent from this page: Sent" in made
    created = db.session.scalar(select(User).where(User.email == "edu@example.org"))
    assert created.role == "educator"
    link = link_in(smtp_server, "edu@example.org")
    assert "created an account for you" in smtp_server.body(smtp_server.to("edu@example.org")[-1])
    person = make_client()
    person.post(link, {"password": "my-own-password-1", "confirm": "my-own-password-1"})
    assert person.login("edu@example.org", "my-own-password-1").status_code == 302
    assert ("user.create", f"user:{created.id}") in actions()


def test_role_names_are_readable(client, admin):
    make_user("gp", name="Dr Readable")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "<td>GP</td>" in page and "<td>Admin</td>" in page and "<td>Gp</td>" not in page
    assert '<option value="gp" >GP</option>' in page or ">GP</option>" in page


def test_the_account_page_lists_enrolments_and_certificates(client, admin):
    from survey import clock
    from survey.campaigns import services as campaigns
    from survey.certificates.models import Certificate

    gp = make_user(name="Dr Certified")
    campaign = make_campaign()
    enrolment = campaigns.enrol(gp, campaign, False)
    db.session.add(Certificate(code="ABCDEFGHJKLMNPQRSTUV", enrolment_id=enrolment.id, holder_name=gp.name,
                               gmc_number=gp.gmc_number, activity_title="Work and health", module_titles="M",
                               learning_outcomes="L", credits=1.0, completed_at=clock.now()))
    db.session.commit()
    page = client.get(f"/admin/users/{gp.id}").get_data(as_text=True)
    assert campaign.title in page and "ABCDEFGHJKLMNPQRSTUV" in page and "Work and health" in page
    assert "<td>No</td>" in page  # research use declined
