"""Get-or-create under concurrency: two tabs opening a new module, or saving a reflection, at the same moment.

A barrier holds both requests after they found no row and before they insert one, so the race the issue
reported (a duplicate key on module_progress, a 500) happens on every run, on SQLite and PostgreSQL.
"""
import threading

from sqlalchemy import func, select

from survey.campaigns import services as campaigns
from survey.extensions import db
from survey.learning import services
from survey.learning.models import ModuleProgress, Reflection
from tests.factories import PASSWORD, make_campaign, make_user
from tests.learning.conftest import enrol_ready_gp

MODULE = "work-as-health-outcome"


def held_together(monkeypatch, target, name: str, parties: int = 2):
    """Patch ``target.name`` so its first call in each thread waits until ``parties`` threads arrived."""
    barrier, real, seen = threading.Barrier(parties, timeout=10), getattr(target, name), set()

    def waiting(*args, **kwargs):
        if threading.get_ident() not in seen:
            seen.add(threading.get_ident())
            barrier.wait()
        return real(*args, **kwargs)
    monkeypatch.setattr(target, name, waiting)


def at_once(*calls):
    results, errors = [None] * len(calls), []

    def run(i, call):
        try:
            results[i] = call()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return results


def test_a_new_module_opened_in_two_tabs_at_once(app, client, make_client, monkeypatch):
    gp = enrol_ready_gp(client, modules=[MODULE])
    other = make_client()
    other.login(gp.user.email, PASSWORD)
    held_together(monkeypatch, services, "module_version")  # called after the progress look-up found nothing
    url = f"/c/{gp.slug}/m/{MODULE}/1"
    statuses = [r.status_code for r in at_once(lambda: client.get(url), lambda: other.get(url))]
    assert statuses == [200, 200]
    assert db.session.scalar(select(func.count()).select_from(ModuleProgress)) == 1


def test_a_reflection_saved_from_two_tabs_at_once(app, monkeypatch):
    enrolment = campaigns.enrol(make_user(), make_campaign(), research_consent=True)
    db.session.commit()
    enrolment_id = enrolment.id
    held_together(monkeypatch, services, "reflection_of")

    def save(text):
        def call():
            with app.app_context():
                services.save_reflection(db.session.get(type(enrolment), enrolment_id), text)
                db.session.commit()
        return call
    at_once(save("I will ask about work."), save("I will ask about work at every fit note."))
    db.session.expire_all()
    rows = db.session.scalars(select(Reflection)).all()
    assert len(rows) == 1 and rows[0].text in ("I will ask about work.", "I will ask about work at every fit note.")
