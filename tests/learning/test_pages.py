"""Module pages: progress bar, previous/next, outcomes on page 1, references, resume, and time per page."""
import re
from datetime import timedelta

from markupsafe import escape
from sqlalchemy import select, update

from survey.db import utcnow
from survey.extensions import db
from survey.learning import study
from survey.learning.models import ModuleProgress, ModuleVersion, PageView
from survey.learning.services import PAGE_TIME_CAP
from survey.library import library
from tests.factories import make_user
from tests.learning.conftest import enrol_ready_gp, text

MODULE = "cancer-and-work"


def views():
    db.session.expire_all()
    return list(db.session.scalars(select(PageView).order_by(PageView.id)))


def test_first_page_shows_summary_outcomes_progress_and_next(gp, client):
    module = library().modules[MODULE]
    page = text(client.get(f"/c/{gp.slug}/m/{MODULE}/1"))
    assert f'<progress max="{module.page_count}" value="1"' in page
    assert f"Page 1 of {module.page_count}" in page
    assert "Learning outcomes" in page
    for outcome in module.learning_outcomes:
        assert escape(outcome) in page
    assert "30 minutes" in page and "0.5 CPD credits" in page
    assert ">Previous" not in page  # nothing before page 1
    assert '<button type="submit">Next</button>' in page
    # The page title is shown once, as the only h1, although the file starts with "# Cancer, work and the GP".
    assert page.count("Cancer, work and the GP</h") == 1 and page.count("<h1") == 1


def test_later_pages_link_back_and_the_last_leads_to_the_check(gp, client):
    module = library().modules[MODULE]
    page = text(client.get(f"/c/{gp.slug}/m/{MODULE}/3"))
    assert f'href="/c/{gp.slug}/m/{MODULE}/2"' in page and "Learning outcomes" not in page
    last = text(client.get(f"/c/{gp.slug}/m/{MODULE}/{module.page_count}"))
    assert "Go to the knowledge check" in last
    response = client.post(f"/c/{gp.slug}/m/{MODULE}/{module.page_count}")
    assert response.headers["Location"].endswith(f"/c/{gp.slug}/m/{MODULE}/check")
    assert client.get(f"/c/{gp.slug}/m/{MODULE}/{module.page_count + 1}").status_code == 404
    assert client.get(f"/c/{gp.slug}/m/{MODULE}/0").status_code == 404


def test_links_between_pages_and_figures_point_into_the_app(gp, client):
    first = text(client.get(f"/c/{gp.slug}/m/{MODULE}/1"))
    assert f'href="/c/{gp.slug}/m/{MODULE}/2"' in first  # "[treatment effects](02-treatment-effects.md)"
    fit_note = text(client.get(f"/c/{gp.slug}/m/{MODULE}/4"))
    src = re.search(r'<img src="([^"]+)" alt="Bar chart of an example six-week phased return', fit_note).group(1)
    assert src == f"/modules/{MODULE}/figures/phased-return.svg"
    figure = client.get(src)
    assert figure.status_code == 200 and figure.mimetype == "image/svg+xml"
    figure.close()


def test_references_page_lists_every_reference_and_returns_to_the_current_page(gp, client):
    module = library().modules[MODULE]
    client.get(f"/c/{gp.slug}/m/{MODULE}/3")
    page = text(client.get(f"/c/{gp.slug}/m/{MODULE}/references"))
    assert page.count("<li>") >= len(module.references)
    assert "Lofty v Hamis (t/a First Café). UKEAT/0177/17" in page
    assert f'href="/c/{gp.slug}/m/{MODULE}/3">Back to the module' in page


def test_every_page_view_records_page_file_and_version(gp, client):
    module = library().modules[MODULE]
    client.get(f"/c/{gp.slug}/m/{MODULE}/1")
    client.post(f"/c/{gp.slug}/m/{MODULE}/1")
    client.get(f"/c/{gp.slug}/m/{MODULE}/2")
    recorded = views()
    version = db.session.scalar(select(ModuleVersion).where(ModuleVersion.slug == MODULE))
    assert version.version == module.version
    assert [(v.page, v.page_file, v.module_version_id) for v in recorded] == [
        (1, "01-cancer-and-work.md", version.id), (2, "02-treatment-effects.md", version.id)]
    assert recorded[0].closed_at is not None and recorded[1].closed_at is None


def test_time_per_page_is_counted_and_capped(gp, client):
    client.get(f"/c/{gp.slug}/m/{MODULE}/1")
    db.session.execute(update(PageView).values(opened_at=utcnow() - timedelta(seconds=90)))
    db.session.commit()
    client.post(f"/c/{gp.slug}/m/{MODULE}/1")
    client.get(f"/c/{gp.slug}/m/{MODULE}/2")  # left open on a phone in a pocket...
    db.session.execute(update(PageView).where(PageView.page == 2).values(opened_at=utcnow() - timedelta(hours=3)))
    db.session.commit()
    client.get(f"/c/{gp.slug}/m/{MODULE}/1")  # ...then "Previous": page 2's time is counted, capped
    first, second, _ = views()
    module = library().modules[MODULE]
    reading = [study.reading_seconds(text) for text in module.page_texts]
    # Without the study-time script, a view counts the time open, at most the page's reading time.
    assert min(90, reading[0]) <= first.seconds <= min(95, reading[0])
    assert second.seconds == min(reading[1], PAGE_TIME_CAP.total_seconds())
    progress = db.session.scalar(select(ModuleProgress))
    assert progress.seconds_spent == first.seconds + second.seconds


def report(client, gp, view_id, seconds):
    return client.post(f"/c/{gp.slug}/m/{MODULE}/time", {"view": str(view_id), "active_seconds": str(seconds)})


def test_the_script_reports_active_time_never_beyond_what_the_server_saw(gp, client, make_client):
    client.get(f"/c/{gp.slug}/m/{MODULE}/1")
    db.session.execute(update(PageView).values(opened_at=utcnow() - timedelta(seconds=100)))
    db.session.commit()
    (view,) = views()
    assert report(client, gp, view.id, 40).status_code == 204
    assert report(client, gp, view.id, 30).status_code == 204  # reports are cumulative: the largest stands
    assert views()[0].active_seconds == 40
    assert report(client, gp, view.id, 5000).status_code == 204  # more than the page was open
    assert 100 <= views()[0].active_seconds <= 100 + study.CLIENT_SLACK_SECONDS + 2
    client.post(f"/c/{gp.slug}/m/{MODULE}/1")
    (view,) = views()
    cap = study.page_cap_seconds(study.reading_seconds(library().modules[MODULE].page_texts[0]))
    assert view.seconds == min(view.active_seconds, cap)
    assert db.session.scalar(select(ModuleProgress)).seconds_spent == view.seconds


def test_hidden_time_reported_as_zero_counts_zero_not_the_fallback(gp, client):
    client.get(f"/c/{gp.slug}/m/{MODULE}/1")
    (view,) = views()
    assert report(client, gp, view.id, 0).status_code == 204  # the script runs; the tab then stays hidden
    db.session.execute(update(PageView).values(opened_at=utcnow() - timedelta(minutes=10)))
    db.session.commit()
    client.post(f"/c/{gp.slug}/m/{MODULE}/1")
    assert views()[0].seconds == 0


def test_late_beacon_counts_and_bad_reports_are_refused(gp, client, make_client):
    client.get(f"/c/{gp.slug}/m/{MODULE}/1")
    db.session.execute(update(PageView).values(opened_at=utcnow() - timedelta(seconds=60)))
    db.session.commit()
    client.post(f"/c/{gp.slug}/m/{MODULE}/1")  # closed before the leaving beacon arrives
    (view,) = views()
    assert report(client, gp, view.id, 50).status_code == 204
    assert views()[0].seconds == 50
    assert report(client, gp, view.id, "lots").status_code == 400
    assert report(client, gp, "9" * 12, 5).status_code == 400  # beyond a database integer: refused, not a 500
    assert report(client, gp, 999_999_999, 5).status_code == 409
    other = make_client()
    other_gp = enrol_ready_gp(other, modules=[MODULE])
    assert other.post(f"/c/{other_gp.slug}/m/{MODULE}/time", {"view": str(view.id), "active_seconds": "9"}).status_code == 409
    assert views()[0].seconds == 50


def test_resume_on_another_device_goes_to_the_last_page_shown(gp, client, make_client):
    client.get(f"/c/{gp.slug}/m/{MODULE}/1")
    client.post(f"/c/{gp.slug}/m/{MODULE}/1")
    client.get(f"/c/{gp.slug}/m/{MODULE}/2")
    client.post(f"/c/{gp.slug}/m/{MODULE}/2")
    phone = make_client()
    phone.login(gp.user.email)
    assert phone.get(f"/c/{gp.slug}/m/{MODULE}").headers["Location"].endswith(f"/m/{MODULE}/3")


def test_another_gps_campaign_and_unlisted_modules_are_404(gp, client, make_client):
    other = make_client()
    enrol_ready_gp(other, modules=["work-as-health-outcome"])
    assert other.get(f"/c/{gp.slug}/m/{MODULE}/1").status_code == 404
    assert other.get(f"/c/{gp.slug}/m/{MODULE}/references").status_code == 404
    assert client.get(f"/c/{gp.slug}/m/no-such-module/1").status_code == 404


def test_pages_are_for_gps_only(app, client, gp):
    educator = make_user("educator")
    staff = type(client)(app)
    staff.login(educator.email)
    assert staff.get(f"/c/{gp.slug}/m/{MODULE}/1").status_code == 403
