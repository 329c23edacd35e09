"""Concurrent requests for one response, in threads with their own app context, session and
connection, against the real database (PostgreSQL's row locks make that run the meaningful one):
two submits leave exactly one submission, and two saves of one page never fail nor duplicate."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.instruments.services import definition_of
from survey.surveys import services
from survey.surveys.models import Answer, Response
from tests.factories import PASSWORD

PAGE1 = {"out_1": "4", "out_2": "2", "out_3": "5", "referred": "yes", "referred_count": "7"}
PAGE2 = {"services": "ohs", "ann_fit_note": "not_fit", "ann_chance": "5"}


def together(*tasks):
    """Run the tasks in parallel threads and return their results in order."""
    with ThreadPoolExecutor(len(tasks)) as pool:
        futures = [pool.submit(task) for task in tasks]
        return [future.result(timeout=60) for future in futures]


@pytest.fixture
def in_step(monkeypatch):
    """in_step(name): make every call of services.<name> wait until the other request has reached it too."""

    def patch(name: str, parties: int = 2):
        barrier, real = threading.Barrier(parties, timeout=20), getattr(services, name)

        def wait_then_call(*args, **kwargs):
            barrier.wait()
            return real(*args, **kwargs)

        monkeypatch.setattr(services, name, wait_then_call)

    return patch


@pytest.fixture
def two_devices(enrolled, make_client):
    """One GP signed in on a laptop and a phone, with page 1 of the baseline answered."""
    campaign, laptop = enrolled(email="jo@example.org")
    phone = make_client()
    phone.login("jo@example.org", PASSWORD)
    laptop.post(f"/c/{campaign.slug}/survey/pre/1", PAGE1)
    laptop.token(), phone.token()  # read before the race, not during it
    return campaign, laptop, phone


def test_two_concurrent_submit_calls_submit_once(app, two_devices):
    campaign, laptop, _ = two_devices
    laptop.post(f"/c/{campaign.slug}/survey/pre/2/autosave", PAGE2)  # complete, not yet submitted
    response_id = db.session.scalar(select(Response.id))
    barrier = threading.Barrier(2, timeout=20)

    def submit():
        with app.app_context():
            response = db.session.get(Response, response_id)
            sections = definition_of(response.version).sections_for("pre")
            assert response.submitted_at is None  # both requests saw it unsubmitted
            barrier.wait()
            submitted = services.submit(response, sections)
            db.session.commit()
            db.session.remove()
            return submitted

    assert sorted(together(submit, submit)) == [False, True]
    rows = db.session.execute(select(Response.submitted_at)).all()
    assert len(rows) == 1 and rows[0].submitted_at is not None


def test_a_double_submit_from_two_devices_submits_once_and_neither_fails(app, two_devices, in_step):
    campaign, laptop, phone = two_devices
    in_step("save_page")
    url = f"/c/{campaign.slug}/survey/pre/2"
    first, second = together(lambda: laptop.post(url, PAGE2), lambda: phone.post(url, {**PAGE2, "ann_chance": "6"}))
    assert (first.status_code, second.status_code) == (302, 302)
    # One request submitted (to the campaign page); the other found it submitted (to the "submitted" page).
    assert sorted(r.headers["Location"] for r in (first, second)) == [
        f"/c/{campaign.slug}", f"/c/{campaign.slug}/survey/pre"]
    assert db.session.scalar(select(func.count(Response.id))) == 1
    assert db.session.scalar(select(Response.submitted_at)) is not None
    # The answers are one request's, whole: never a mixture, never changed after submission.
    chance = db.session.scalar(select(Answer.value).where(Answer.item_id == "ann_chance"))
    winner = first if first.headers["Location"] == f"/c/{campaign.slug}" else second
    assert chance == ("5" if winner is first else "6")


def test_autosave_racing_a_normal_save_of_the_same_page_never_fails_nor_duplicates(app, two_devices, in_step):
    campaign, laptop, phone = two_devices
    in_step("save_page")
    url = f"/c/{campaign.slug}/survey/pre/2"
    saved, autosaved = together(
        lambda: laptop.post(url, {**PAGE2, "comments": "From the form."}),
        lambda: phone.post(f"{url}/autosave", {**PAGE2, "comments": "From autosave."}),
    )
    # Either order is fine: the form's save submits the survey, and a later autosave is refused politely.
    assert saved.status_code == 302
    assert (autosaved.status_code, autosaved.get_json()["saved"]) in ((200, True), (409, False))
    counts = db.session.execute(select(Answer.item_id, func.count()).group_by(Answer.item_id)).tuples().all()
    assert dict(counts) == {item: 1 for item in [*PAGE1, *PAGE2, "comments"]}
    assert db.session.scalar(select(Answer.value).where(Answer.item_id == "comments")) == "From the form."


def test_two_autosaves_inserting_the_same_new_answers_both_succeed(app, two_devices, in_step):
    campaign, laptop, phone = two_devices
    in_step("save_page")
    url = f"/c/{campaign.slug}/survey/pre/2/autosave"
    one, two = together(lambda: laptop.post(url, {**PAGE2, "ann_chance": "10"}),
                        lambda: phone.post(url, {**PAGE2, "ann_chance": "20"}))
    assert (one.status_code, two.status_code) == (200, 200)
    rows = db.session.execute(select(Answer.value).where(Answer.item_id == "ann_chance")).scalars().all()
    assert len(rows) == 1 and rows[0] in {"10", "20"}
