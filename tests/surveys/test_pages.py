"""Every item type end to end through the survey pages: conditions on the same page and across
pages, messages beside the item with answers kept, canonical storage, and scoring."""
import re

from sqlalchemy import select

from survey.extensions import db
from survey.surveys.models import Answer, Response
from survey.surveys.services import response_scores

PAGE1_VALID = {"out_1": "4", "out_2": "2", "out_3": "5", "referred": "yes", "referred_count": "7"}


def page_url(campaign, page: int, wave: str = "pre") -> str:
    return f"/c/{campaign.slug}/survey/{wave}/{page}"


def fieldset(html: str, item: str) -> str:
    """The markup of one question's fieldset."""
    match = re.search(rf'<fieldset[^>]*id="q-{item}".*?</fieldset>', html, re.S)
    assert match, f"no fieldset for {item}"
    return match.group(0)


def stored_answers() -> dict[str, str]:
    return dict(db.session.execute(select(Answer.item_id, Answer.value)).tuples().all())


def test_every_item_type_is_answered_validated_stored_and_scored(enrolled):
    campaign, gp = enrolled()

    page = gp.get(page_url(campaign, 1)).get_data(as_text=True)
    # The conditional number is in the page but hidden until "yes" (static/js/survey.js reveals it).
    assert re.search(r'id="q-referred_count" data-show-if="referred" data-show-values=\'\["yes"\]\' hidden', page)

    # "Yes" without the number it reveals: the number is now shown, with its message beside it.
    response = gp.post(page_url(campaign, 1), {**PAGE1_VALID, "referred_count": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    count = fieldset(html, "referred_count")
    assert " hidden" not in count.split(">")[0]
    assert '<p class="error" id="referred_count-error">Please answer this question.</p>' in count
    # Everything already answered is kept on the page.
    assert 'name="out_1" value="4" checked' in html and 'name="out_2" value="2" checked' in html
    assert 'name="out_3" value="5" checked' in html and 'name="referred" value="yes" checked' in html

    assert gp.post(page_url(campaign, 1), PAGE1_VALID).headers["Location"].endswith(page_url(campaign, 2))

    # Page 2: the multiple choice depends on page 1's answer; the vignette shows its case.
    page = gp.get(page_url(campaign, 2)).get_data(as_text=True)
    assert " hidden" not in fieldset(page, "services").split(">")[0]
    assert "<strong>Ann, aged 40</strong>" in page and "<h2>Case: Ann</h2>" in page

    too_long = "This is far too long for the box."
    response = gp.post(page_url(campaign, 2), {"services": ["ips", "ohs"], "ann_fit_note": "may_be_fit",
                                                "ann_chance": "150", "comments": too_long})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a number from 0 to 100." in fieldset(html, "ann_chance")
    assert 'value="150"' in fieldset(html, "ann_chance")  # shown again as typed
    assert "Please shorten this to 20 characters (now 33)." in fieldset(html, "comments")
    assert f">{too_long}</textarea>" in html
    assert 'name="services" value="ohs" checked' in html and 'name="services" value="ips" checked' in html

    done = gp.post(page_url(campaign, 2), {"services": ["ips", "ohs"], "ann_fit_note": "may_be_fit",
                                            "ann_chance": "62.50", "comments": "Useful."})
    assert done.headers["Location"].endswith(f"/c/{campaign.slug}")
    assert "your baseline survey is submitted" in gp.get(f"/c/{campaign.slug}").get_data(as_text=True)

    assert stored_answers() == {"out_1": "4", "out_2": "2", "out_3": "5", "referred": "yes", "referred_count": "7",
                                "services": "ohs;ips", "ann_fit_note": "may_be_fit", "ann_chance": "62.5",
                                "comments": "Useful."}
    # outlook = mean(4, 6 - 2, 5) = 13 / 3 (out_2 is reverse-keyed)
    assert response_scores(db.session.scalar(select(Response))) == {"outlook": 13 / 3}


def test_an_item_conditional_on_an_earlier_page_is_hidden_and_not_required(enrolled):
    campaign, gp = enrolled()
    gp.post(page_url(campaign, 1), {**PAGE1_VALID, "referred": "no", "referred_count": "9"})
    page = gp.get(page_url(campaign, 2)).get_data(as_text=True)
    assert re.search(r'id="q-services" data-show-if="referred"[^>]* hidden>', page)
    done = gp.post(page_url(campaign, 2), {"services": "ohs", "ann_fit_note": "not_fit", "ann_chance": "10"})
    assert done.headers["Location"].endswith(f"/c/{campaign.slug}")
    # Answers to hidden questions are discarded, even when the browser sent them.
    assert "referred_count" not in stored_answers() and "services" not in stored_answers()


def test_changing_an_earlier_answer_discards_the_later_answer_it_hid(enrolled):
    campaign, gp = enrolled()
    gp.post(page_url(campaign, 1), PAGE1_VALID)
    gp.post(f"{page_url(campaign, 2)}/autosave", {"services": "atw"})
    assert stored_answers()["services"] == "atw"
    gp.post(page_url(campaign, 1), {**PAGE1_VALID, "referred": "no"})  # the GP goes back and changes it
    gp.post(page_url(campaign, 2), {"ann_fit_note": "may_be_fit", "ann_chance": "90"})
    assert db.session.scalar(select(Response)).submitted_at is not None
    assert "services" not in stored_answers() and "referred_count" not in stored_answers()


def test_submitting_with_an_unanswered_required_item_returns_to_its_page(enrolled):
    campaign, gp = enrolled()
    gp.post(f"{page_url(campaign, 1)}/autosave", {"out_1": "4"})  # page 1 only part answered
    response = gp.post(page_url(campaign, 2), {"ann_fit_note": "may_be_fit", "ann_chance": "90"})
    assert response.headers["Location"].endswith(page_url(campaign, 1))
    page = gp.get(page_url(campaign, 1)).get_data(as_text=True)
    assert "Some required questions are not answered yet." in page
    assert 'name="out_1" value="4" checked' in page
    assert db.session.scalar(select(Response)).submitted_at is None
    assert stored_answers()["ann_chance"] == "90"  # the last page's answers were kept
