"""Driving the campaign and invitation pages as a browser would."""
import html
import io
import re

MODULE = "work-as-health-outcome"


def campaign_form(**changes) -> dict:
    data = {
        "title": "Cancer and work 2027", "description": "For GPs in the North West.", "organisation_id": "",
        "instrument_slug": "gp-work-health-attitudes", f"module-{MODULE}": "1", "follow_up_days": "90",
        "reminder_days": "7", "certificate_rule": "campaign", "min_cell_size": "10",
        "enrolment_fields": ["years_qualified", "gp_role", "nhs_region"], "consent_text": "I agree to take part.",
        "consent_version": "1",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def create_campaign(client, **changes) -> str:
    """Create a campaign through the page; returns its slug."""
    response = client.post("/manage/campaigns/new", campaign_form(**changes))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rstrip("/").rsplit("/", 1)[1]


def create_cohort(client, slug: str, name: str, educator_ids=(), add_educator: str = "") -> int:
    response = client.post(f"/manage/campaigns/{slug}/cohorts/new", {"name": name, "educator_ids": [str(i) for i in educator_ids],
                                                                      "add_educator": add_educator})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def join_form(**changes) -> dict:
    data = {"agree": "y", "research_consent": "y", "nation": "england", "years_qualified": "12", "gp_role": "salaried", "nhs_region": "north-west"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def upload(client, slug: str, text: str, cohort_id="") -> str:
    """Upload a CSV list of people to invite; returns the preview page."""
    response = client.post(f"/manage/campaigns/{slug}/invitations", {
        "cohort_id": str(cohort_id), "people": (io.BytesIO(text.encode()), "people.csv")}, content_type="multipart/form-data")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def confirm(client, slug: str, page: str, cohort_id=""):
    """Press the preview's send button: the previewed rows go back as the hidden fields a browser sends."""
    names = re.findall(r'name="name" value="([^"]*)"', page)
    emails = re.findall(r'name="email" value="([^"]*)"', page)
    return client.post(f"/manage/campaigns/{slug}/invitations/send", {
        "cohort_id": str(cohort_id), "name": [html.unescape(n) for n in names], "email": emails})
