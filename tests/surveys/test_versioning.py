"""Instrument versions end to end: a version with responses is never changed in place, a raised
version is a new frozen row, an in-progress response keeps (and is scored with) its version, and
a campaign keeps the version its first response was given (its waves are never mixed)."""
from sqlalchemy import func, select

from survey.extensions import db
from survey.instruments.models import InstrumentVersion
from survey.instruments.services import VersionUse, instrument_version, versions_in_use
from survey.library import library
from survey.surveys.models import Response
from survey.surveys.services import response_scores
from tests.surveys.conftest import TEST_INSTRUMENT

PAGE1 = {"out_1": "4", "out_2": "2", "out_3": "5", "referred": "no"}
PAGE2 = {"ann_fit_note": "not_fit", "ann_chance": "30"}
CHANGED_MESSAGE = ("Instrument 'every-item-type' version 1 already has responses and its file has changed: "
                   "raise 'version' in the file to publish the change as a new version.")


def check_content(app, content_dir):
    return app.test_cli_runner().invoke(args=["check-content", "--content-dir", str(content_dir)])


def test_a_changed_file_under_a_version_with_responses_is_refused(app, enrolled, redeploy, content_dir):
    campaign, first_gp = enrolled()
    first_gp.post(f"/c/{campaign.slug}/survey/pre/1", PAGE1)
    assert check_content(app, content_dir).exit_code == 0

    redeploy(TEST_INSTRUMENT, "Work is good for health.", "Good work is good for health.")
    result = check_content(app, content_dir)
    assert result.exit_code == 1
    assert f"modules/instruments/{TEST_INSTRUMENT}.yaml: version: {CHANGED_MESSAGE}" in result.output

    # A GP starting now is told the survey is being updated; the stored version is untouched.
    _, second_gp = enrolled(campaign=campaign)
    refused = second_gp.get(f"/c/{campaign.slug}/survey/pre")
    assert refused.status_code == 503
    assert "This survey is being updated" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Response.id))) == 1
    stored = db.session.scalar(select(InstrumentVersion))
    assert stored.definition["sections"][0]["items"][0]["items"][0]["text"] == "Work is good for health."
    # The GP already answering carries on with the version they were given.
    page = first_gp.get(f"/c/{campaign.slug}/survey/pre/1").get_data(as_text=True)
    assert "Work is good for health." in page and "Good work" not in page


def test_a_changed_file_under_a_version_without_responses_updates_it(app, enrolled, redeploy):
    instrument_version(library().instruments[TEST_INSTRUMENT])  # stored (e.g. previewed), no responses yet
    db.session.commit()
    redeploy(TEST_INSTRUMENT, "Anything else?", "Anything more?")
    campaign, gp = enrolled()
    assert "Anything more?" in gp.get(f"/c/{campaign.slug}/survey/pre/2").get_data(as_text=True)
    assert db.session.scalar(select(func.count(InstrumentVersion.id))) == 1


def test_a_raised_version_is_a_new_row_and_each_response_keeps_and_is_scored_with_its_own(app, enrolled, redeploy,
                                                                                           content_dir):
    campaign, early_gp = enrolled()
    early_gp.post(f"/c/{campaign.slug}/survey/pre/1", PAGE1)

    # Version 2 reverse-keys out_1 and adds a question to page 2.
    redeploy(TEST_INSTRUMENT, "version: 1", "version: 2")
    redeploy(TEST_INSTRUMENT, "text: Work is good for health.", "text: Work is bad for health.\n            reverse: true")
    redeploy(TEST_INSTRUMENT, "      - id: comments\n", "      - id: employer\n        type: text\n        text: Employer?\n"
                                                      "        max_length: 50\n      - id: comments\n")
    assert check_content(app, content_dir).exit_code == 0
    # A GP joining the campaign later keeps its version 1; a new campaign gets version 2.
    _, same_campaign_gp = enrolled(campaign=campaign)
    same_campaign_gp.post(f"/c/{campaign.slug}/survey/pre/1", PAGE1)
    new_campaign, late_gp = enrolled()
    late_gp.post(f"/c/{new_campaign.slug}/survey/pre/1", PAGE1)
    assert db.session.scalars(select(InstrumentVersion.version).order_by(InstrumentVersion.version)).all() == [1, 2]

    assert "Employer?" not in early_gp.get(f"/c/{campaign.slug}/survey/pre/2").get_data(as_text=True)
    assert "Employer?" not in same_campaign_gp.get(f"/c/{campaign.slug}/survey/pre/2").get_data(as_text=True)
    assert "Employer?" in late_gp.get(f"/c/{new_campaign.slug}/survey/pre/2").get_data(as_text=True)
    early_gp.post(f"/c/{campaign.slug}/survey/pre/2", PAGE2)
    late_gp.post(f"/c/{new_campaign.slug}/survey/pre/2", PAGE2)

    early, same, late = db.session.scalars(select(Response).order_by(Response.id)).all()
    assert (early.version.version, same.version.version, late.version.version) == (1, 1, 2)
    assert early.submitted_at and late.submitted_at
    # Same answers, different keying: v1 (4 + (6-2) + 5) / 3 = 13/3; v2 ((6-4) + (6-2) + 5) / 3 = 11/3.
    assert response_scores(early) == {"outlook": 13 / 3}
    assert response_scores(late) == {"outlook": 11 / 3}

    assert versions_in_use(campaign.id) == [VersionUse(TEST_INSTRUMENT, 1, "pre", responses=2, submitted=1)]
    assert versions_in_use(new_campaign.id) == [VersionUse(TEST_INSTRUMENT, 2, "pre", responses=1, submitted=1)]


def test_an_edited_case_in_a_raised_version_is_shown_rendered_while_the_earlier_gp_keeps_theirs(app, enrolled,
                                                                                               redeploy):
    """Rendered Markdown is kept per text within the process: the new wording must not be served the old HTML."""
    campaign, early_gp = enrolled()
    early_gp.post(f"/c/{campaign.slug}/survey/pre/1", PAGE1)
    assert "<strong>Ann, aged 40</strong>" in early_gp.get(f"/c/{campaign.slug}/survey/pre/2").get_data(as_text=True)

    redeploy(TEST_INSTRUMENT, "version: 1", "version: 2")
    redeploy(TEST_INSTRUMENT, "**Ann, aged 40**, has been", "**Ann, aged 41**, has *now* been")
    new_campaign, late_gp = enrolled()
    late_gp.post(f"/c/{new_campaign.slug}/survey/pre/1", PAGE1)

    late_page = late_gp.get(f"/c/{new_campaign.slug}/survey/pre/2").get_data(as_text=True)
    assert "<strong>Ann, aged 41</strong>, has <em>now</em> been" in late_page and "aged 40" not in late_page
    early_page = early_gp.get(f"/c/{campaign.slug}/survey/pre/2").get_data(as_text=True)
    assert "<strong>Ann, aged 40</strong>" in early_page and "aged 41" not in early_page
