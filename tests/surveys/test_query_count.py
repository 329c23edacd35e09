"""The survey page is the busiest request in the platform: a GP's page view and page save each
cost a fixed, small number of SQL statements, however many answers the response already holds."""
import re
from contextlib import contextmanager

from sqlalchemy import event

from survey.extensions import db
from survey.library import library

INSTRUMENT = "gp-work-health-attitudes"
#: Ceilings for a page after the first (page 1 also reads the time estimate); before issue 19 a
#: view cost 16 statements and a save 17. GET = user with session, enrolment with campaign, response
#: and version, answers, vignettes, and ONE upsert starting the page's visit (the user is no longer
#: read again after the commit to decide Cache-Control).
GET_CEILING = 5
#: POST = the same reads, the claim of the response row, ONE upsert of the page's answers (an
#: executemany, one statement), and the page-saved timing (read and update).
POST_CEILING = 8


@contextmanager
def counted_statements():
    """Every SQL statement sent by the app's engine while the block runs."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def page_answers(page: int) -> dict[str, str]:
    from tests.journey import valid_answer

    definition = library().instruments[INSTRUMENT].data
    section = definition.sections_for("pre")[page - 1]
    return {q.id: valid_answer(q, 3)[0] for q in section.questions()}


def test_a_survey_page_view_and_save_cost_a_fixed_few_statements(enrolled):
    campaign, gp = enrolled(instrument=INSTRUMENT)
    url = f"/c/{campaign.slug}/survey/pre"
    assert gp.post(f"{url}/1", page_answers(1)).status_code == 302  # starts the response, answers page 1
    gp.get(f"{url}/2")  # the token for the next post

    with counted_statements() as shown:
        assert gp.get(f"{url}/2").status_code == 200
    with counted_statements() as saved:
        posted = gp.post(f"{url}/2", page_answers(2))
    assert posted.status_code == 302, re.findall(r'class="error"[^>]*>([^<]*)', posted.get_data(as_text=True))
    assert posted.headers["Location"].endswith(f"{url}/3")

    assert len(shown) <= GET_CEILING, "\n".join(shown)
    assert len(saved) <= POST_CEILING, "\n".join(saved)
