"""Done when: a charity's campaign runs from start to report without a developer.

Two cohorts; invitations sent and received over SMTP; GPs enrol through their personal links, reach
pre, post and (time moved forward) a due follow-up; reminders go once however often, and however
concurrently, send-reminders runs; the charity sees no individual data."""
import re
from datetime import timedelta

from sqlalchemy import select

from survey import clock
from survey.campaigns.models import Campaign, Enrolment
from survey.extensions import db
from survey.library import library
from survey.organisations.models import Organisation
from survey.surveys.models import Response
from tests.campaigns.helpers import MODULE, campaign_form, confirm, create_campaign, create_cohort, join_form, upload
from tests.factories import PASSWORD, make_user
from tests.journey import answer_survey, register, study_module
from tests.smtp import config_overrides, run_send_reminders, run_send_reminders_at_once, smtp_server  # noqa: F401

GPS = {  # email: (name, GMC number, cohort)
    "north1@example.org": ("Dr Nia North", "2000001", "North"),
    "north2@example.org": ("Dr Ned North", "2000002", "North"),
    "south1@example.org": ("Dr Sue South", "2000003", "South"),
}


def definition():
    return library().instruments["gp-work-health-attitudes"].data


def link_in(inbox, email: str, path: str) -> str:
    """The path of the link to ``path`` in the latest message to ``email``."""
    body = inbox.body(inbox.to(email)[-1])
    return re.search(rf"http://localhost(/{path}/\S+|/c/\S+)", body).group(1)


def move_clock(monkeypatch, days: int):
    moved = clock.now() + timedelta(days=days)
    monkeypatch.setattr(clock, "now", lambda: moved)


def test_a_charity_campaign_from_invitation_to_follow_up(app, make_client, smtp_server, monkeypatch):
    admin, educator, charity = make_client(), make_client(), make_client()
    admin.login(make_user("admin").email, PASSWORD)
    erin = make_user("educator", name="Erin Educator")
    educator.login(erin.email, PASSWORD)
    charity_user = make_user("charity", email="reader@charity.example")
    charity.login(charity_user.email, PASSWORD)

    # The admin sets up the charity and its reader.
    admin.post("/manage/organisations/new", {"name": "Back to Work Trust", "colour": "#5a1e82"})
    organisation = db.session.scalar(select(Organisation))
    admin.post(f"/admin/users/{charity_user.id}", {"role": "charity", "organisation_id": str(organisation.id)})

    # The educator builds the charity's campaign with two cohorts and invites GPs from CSV lists.
    slug = create_campaign(educator, reminder_days="7", follow_up_days="90", enrolment_fields=["gp_role", "nhs_region"])
    # An educator chooses only among organisations they already work with: the admin sets a new commission's charity.
    assert admin.post(f"/manage/campaigns/{slug}/edit", campaign_form(
        organisation_id=str(organisation.id), reminder_days="7", follow_up_days="90", enrolment_fields=["gp_role", "nhs_region"],
        educator_ids=[str(erin.id)])).status_code == 302
    cohorts = {name: create_cohort(educator, slug, name) for name in ("North", "South")}
    for cohort_name, cohort_id in cohorts.items():
        rows = "".join(f"{name},{email}\n" for email, (name, _, c) in GPS.items() if c == cohort_name)
        page = upload(educator, slug, "name,email\n" + rows + "Dr Nobody,not-an-email\n", cohort_id)
        assert "1 row rejected" in page
        confirm(educator, slug, page, cohort_id)
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(GPS)

    # Each GP follows their own link, registers and joins their cohort.
    gps = {}
    for email, (name, gmc, cohort_name) in GPS.items():
        gp = gps[email] = make_client()
        join = gp.get(link_in(smtp_server, email, "invite")).headers["Location"]
        register(gp, {"name": name, "email": email, "gmc_number": gmc, "password": PASSWORD, "confirm": PASSWORD},
                 inbox=smtp_server)
        assert gp.post(join, join_form(years_qualified=None)).status_code == 302
    enrolments = {e.user.email: e for e in db.session.scalars(select(Enrolment))}
    assert {email: enrolments[email].cohort.name for email in GPS} == {e: c for e, (_, _, c) in GPS.items()}
    assert enrolments["south1@example.org"].profile == {"gp_role": "salaried", "nhs_region": "north-west"}

    # The North GPs do the whole course; the South GP stalls before the baseline survey.
    for email in ("north1@example.org", "north2@example.org"):
        answer_survey(gps[email], slug, "pre", definition(), likert_value=2)
        study_module(gps[email], slug, library().modules[MODULE])
        answer_survey(gps[email], slug, "post", definition(), likert_value=4)
        gps[email].post(f"/c/{slug}/reflection", {"learned": "I learned that work is a health outcome.", "change": "I will ask about work at every review.", "next_steps": "I will search for patients off work over four weeks."})
        assert "Your CPD certificate" in gps[email].get(f"/c/{slug}/certificate").get_data(as_text=True)

    # A week on: one reminder to the South GP, however often and however concurrently the job runs.
    move_clock(monkeypatch, 8)
    run_send_reminders_at_once(app)
    run_send_reminders(app)
    run_send_reminders(app)
    def campaign_mail(email):  # every email but the one that confirmed the address at registration
        return [m for m in smtp_server.to(email) if m["Subject"] != "Confirm your email address"]

    assert len(campaign_mail("south1@example.org")) == 2  # the invitation and one reminder
    assert "Answer the baseline survey" in smtp_server.body(campaign_mail("south1@example.org")[-1])
    assert [len(campaign_mail(e)) for e in ("north1@example.org", "north2@example.org")] == [1, 1]

    # Three months on: the follow-up invitation, once each, and the North GPs answer it.
    move_clock(monkeypatch, 92)
    run_send_reminders_at_once(app)
    run_send_reminders(app)
    for email in ("north1@example.org", "north2@example.org"):
        follow_ups = [m for m in smtp_server.to(email) if "follow-up survey is open" in m["Subject"]]
        assert len(follow_ups) == 1
        assert gps[email].get(link_in(smtp_server, email, "c")).status_code == 302  # the session ended long ago
        gps[email].login(email, PASSWORD)
        assert gps[email].get(link_in(smtp_server, email, "c")).status_code == 200
        answer_survey(gps[email], slug, "follow_up", definition(), likert_value=4)
    assert len(campaign_mail("south1@example.org")) == 2
    submitted = db.session.scalars(select(Response.wave).where(Response.submitted_at.is_not(None))).all()
    assert sorted(submitted) == ["follow_up"] * 2 + ["post"] * 2 + ["pre"] * 2

    # Months have passed, so the staff's sessions have ended too: they sign in again.
    educator.login(erin.email, PASSWORD)
    charity.login(charity_user.email, PASSWORD)
    # The educator sees each participant's progress, by name for their own campaign.
    progress = educator.get(f"/manage/campaigns/{slug}").get_data(as_text=True)
    assert "Dr Nia North" in progress and "Dr Sue South" in progress and "All done" in progress

    # The charity sees no single participant anywhere.
    campaign = db.session.scalar(select(Campaign))
    for path in (f"/educator/campaigns/{slug}", f"/manage/campaigns/{slug}", f"/manage/campaigns/{slug}/invitations",
                 f"/manage/cohorts/{cohorts['North']}", f"/c/{slug}", f"/c/{slug}/survey/pre/1", "/admin/audit"):
        assert charity.get(path).status_code in (403, 404), path
    home = charity.get("/").get_data(as_text=True)
    assert all(name not in home for name, _, _ in GPS.values()) and campaign.enrolment_code not in home

    # The charity sees only a release the educator publishes: three GPs are fewer than 10, so no count or statistic.
    assert charity.get(f"/api/v1/campaigns/{slug}/report").status_code == 404  # nothing published yet
    assert educator.post(f"/educator/campaigns/{slug}/releases").status_code == 302
    report = charity.get(f"/api/v1/campaigns/{slug}/report").json
    assert report["release"]["number"] == 1 and report["min_cell_size"] == 10
    assert all(row["n"] is None and row["status"] == "small" for row in report["funnel"]), report["funnel"]
    assert all(row["mean_diff"] is None for row in report["changes"])
    page = charity.get(f"/charity/reports/{slug}").get_data(as_text=True)
    assert "withheld" in page and all(name not in page for name, _, _ in GPS.values())
