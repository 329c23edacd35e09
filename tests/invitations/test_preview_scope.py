"""A cohort lead's invitation preview tells them only about their own cohorts: it neither reveals who is enrolled
or invited in other cohorts nor who opted out of all email from the platform (issue 12, finding 10)."""
import html
import re

from sqlalchemy import select

from survey.audit.models import AuditEvent
from survey.campaigns import services as campaigns
from survey.campaigns.models import Campaign, Cohort
from survey.extensions import db
from survey.invitations import services as invitations
from survey.invitations.csvrows import Invitee
from tests.campaigns.helpers import confirm, create_campaign, create_cohort, upload
from tests.factories import PASSWORD, make_user
from tests.smtp import config_overrides, smtp_server  # noqa: F401

LIST = ("name,email\n"
        "Dr North,north@example.org\n"
        "Dr South,south@example.org\n"
        "Dr Invited South,invited-south@example.org\n"
        "Dr Opted Out,optout@example.org\n"
        "Dr New,new@example.org\n")


def rows(page: str) -> dict[str, str]:
    """email -> the reason shown beside a rejected row."""
    return {m[0]: html.unescape(m[1]) for m in re.findall(r"<td>([^<@]+@example\.org)</td><td>([^<]*)</td></tr>", page)}


def test_a_cohort_lead_sees_only_their_cohorts_and_no_platform_opt_outs(app, client, make_client, smtp_server):
    owner = make_user("educator")
    lead = make_user("educator")
    client.login(owner.email, PASSWORD)
    slug = create_campaign(client)
    north = create_cohort(client, slug, "North", add_educator=lead.email)
    south = create_cohort(client, slug, "South")
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    campaigns.enrol(make_user(email="north@example.org"), campaign, True, db.session.get(Cohort, north))
    campaigns.enrol(make_user(email="south@example.org"), campaign, True, db.session.get(Cohort, south))
    invitations.create_invitations(campaign, db.session.get(Cohort, south), [Invitee(2, "Dr Invited South", "invited-south@example.org")], owner)
    invitations.opt_out("optout@example.org")
    db.session.commit()

    seen_by_owner = rows(upload(client, slug, LIST, south))
    assert seen_by_owner == {"north@example.org": "Already enrolled in this campaign.",
                             "south@example.org": "Already enrolled in this campaign.",
                             "invited-south@example.org": "Already invited to this campaign.",
                             "optout@example.org": "This person asked us not to email them."}

    lead_client = make_client()
    lead_client.login(lead.email, PASSWORD)
    page = upload(lead_client, slug, LIST, north)
    seen_by_lead = rows(page)
    assert seen_by_lead["north@example.org"] == "Already enrolled in this campaign."  # their own cohort
    neutral = invitations.NOT_INVITABLE
    assert {seen_by_lead[e] for e in ("south@example.org", "invited-south@example.org", "optout@example.org")} == {neutral}
    assert "asked us not to email" not in page and page.count("Already") == 1
    assert "1 person will be invited" in page

    assert confirm(lead_client, slug, page, north).status_code == 302
    assert [m["To"] for m in smtp_server.messages] == ["new@example.org"]  # nobody outside the lead's view is emailed
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "invitations.send"))
    # What was sent is the outbox's record (the job sends after the response), not the audit's.
    assert (event.actor_id, event.target, event.detail["invited"], event.detail["cohort_id"]) == (
        lead.id, f"campaign:{slug}", 1, north)
