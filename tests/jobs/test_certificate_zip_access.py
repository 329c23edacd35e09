"""Who may start, watch and download a campaign's certificate ZIP (jobs run inline here: the worker's
part is tests/jobs/test_certificate_zip.py)."""
from survey.campaigns.admin_services import create_cohort
from survey.extensions import db
from tests.factories import PASSWORD, make_campaign, make_user
from tests.jobs.test_certificate_zip import certify, finished_zip


def test_only_the_requester_sees_the_job_and_a_cohort_lead_gets_only_their_cohort(app, make_client):
    owner, co_owner, lead, outsider = (make_user("educator") for _ in range(4))
    campaign = make_campaign(educators=[owner, co_owner])
    north = create_cohort(campaign, "North", [lead.id], owner)
    db.session.commit()
    certify(campaign, "Dr North N", cohort=north)
    certify(campaign, "Dr South S")

    lead_client = make_client()
    lead_client.login(lead.email, PASSWORD)
    started = lead_client.post(f"/educator/campaigns/{campaign.slug}/certificates/zip")  # jobs run inline here
    assert started.status_code == 302
    progress_url = started.headers["Location"]
    assert finished_zip(lead_client, progress_url).namelist() == [
        f"Dr-North-N_{campaign.title.replace(' ', '-')}_NNNNN.pdf"]

    for someone in (co_owner, outsider):
        other = make_client()
        other.login(someone.email, PASSWORD)
        assert other.get(progress_url).status_code == 404
        assert other.get(f"{progress_url}/download").status_code == 404
    outsider_client = make_client()
    outsider_client.login(outsider.email, PASSWORD)
    assert outsider_client.post(f"/educator/campaigns/{campaign.slug}/certificates/zip").status_code == 404
    for role in ("gp", "charity"):
        other = make_client()
        other.login(make_user(role).email, PASSWORD)
        assert other.get(progress_url).status_code == 403
    assert make_client().get(progress_url).status_code == 302  # sign in first
