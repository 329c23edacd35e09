"""The campaign and cohort forms list only the educators and organisations an educator works with (issue 12)."""
from sqlalchemy import select

from survey.audit.models import AuditEvent
from survey.campaigns.models import Campaign, Cohort
from survey.extensions import db
from survey.organisations.models import Organisation
from tests.campaigns.helpers import campaign_form, create_cohort
from tests.factories import PASSWORD, make_campaign, make_user


def world():
    ours, theirs = Organisation(slug="ours", name="Ours Charity", colour="#123456"), Organisation(slug="theirs", name="Theirs Charity", colour="#654321")
    db.session.add_all([ours, theirs])
    me, colleague = make_user("educator", email="me@example.org"), make_user("educator", email="colleague@example.org")
    stranger, root = make_user("educator", email="stranger@example.org"), make_user("admin", email="root@example.org")
    campaign = make_campaign(educators=[me, colleague])
    campaign.organisation_id = ours.id
    db.session.commit()
    return me, colleague, stranger, root, ours, theirs


def test_the_new_campaign_form_lists_only_colleagues_and_their_organisations(client, make_client):
    me, colleague, stranger, root, ours, theirs = world()
    client.login(me.email, PASSWORD)
    page = client.get("/manage/campaigns/new").get_data(as_text=True)
    assert "colleague@example.org" in page and "me@example.org" in page
    assert "stranger@example.org" not in page and "root@example.org" not in page
    assert "Ours Charity" in page and "Theirs Charity" not in page

    forged = client.post("/manage/campaigns/new", campaign_form(title="Forged", educator_ids=[str(stranger.id)],
                                                                 organisation_id=str(theirs.id)))
    assert forged.status_code == 422 and db.session.scalar(select(Campaign).where(Campaign.title == "Forged")) is None
    unknown = client.post("/manage/campaigns/new", campaign_form(title="Added", add_educator="nobody@example.org"))
    assert "No educator account uses this email address." in unknown.get_data(as_text=True)
    assert client.post("/manage/campaigns/new", campaign_form(title="Added", add_educator="Stranger@example.org",
                                                             organisation_id=str(ours.id))).status_code == 302
    added = db.session.scalar(select(Campaign).where(Campaign.title == "Added"))
    assert {u.email for u in added.educators} == {"me@example.org", "stranger@example.org"}

    admin = make_client()
    admin.login(root.email, PASSWORD)
    everything = admin.get("/manage/campaigns/new").get_data(as_text=True)
    assert "stranger@example.org" in everything and "Theirs Charity" in everything


def test_cohort_changes_are_audited_and_the_cohort_form_is_scoped(client):
    me, colleague, stranger, root, ours, theirs = world()
    client.login(me.email, PASSWORD)
    slug = db.session.scalar(select(Campaign.slug).where(Campaign.organisation_id == ours.id))
    assert "stranger@example.org" not in client.get(f"/manage/campaigns/{slug}/cohorts/new").get_data(as_text=True)
    cohort_id = create_cohort(client, slug, "North", educator_ids=[colleague.id])
    assert client.post(f"/manage/cohorts/{cohort_id}/edit", {"name": "North West", "educator_ids": [str(me.id)]}).status_code == 302
    events = {e.action: e for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("cohort.%")))}
    assert events["cohort.create"].target == f"cohort:{cohort_id}" and events["cohort.create"].actor_id == me.id
    update = events["cohort.update"].detail
    assert (update["old_name"], update["name"], update["educators"]) == ("North", "North West", [me.id])
    assert db.session.get(Cohort, cohort_id).name == "North West"
