"""Server CPU per survey page, measured in one process: no gunicorn, no client threads competing for the cores.

    .venv/bin/python bench/survey_cpu.py [--gps 20] [--profile FILE] [--pages DIR]

Seeds a fresh PostgreSQL database as ``bench/load.py`` does, then drives ``--gps`` GPs through the baseline survey
with Flask's test client under the production settings (every page shown, then saved; the last save submits) and
prints the median and mean ``time.process_time()`` per kind of request, so PostgreSQL's own work is left out, as in
load.py's server CPU. ``--profile FILE`` writes a cProfile of those requests timed by CPU, not wall, time.
``--pages DIR`` writes every page shown, CSRF token and CSP nonce blanked (the campaign's randomisation seed is
fixed, so the same GPs see the same case versions), so two versions of the code can be diffed for byte-identical
output (``diff -r``).
"""
import argparse
import cProfile
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import APP_ENV, PAGE_OF, PASSWORD, TOKEN, create_database, drop_database, seed  # noqa: E402
from survey.extensions import db  # noqa: E402
from survey.surveys.answers import is_visible  # noqa: E402
from tests.journey import section_on, valid_answer  # noqa: E402

#: The production settings answer only to BASE_URL's host.
BASE = APP_ENV["BASE_URL"]
#: What differs between two renders of the same state: the CSRF token and the CSP nonce.
VOLATILE = re.compile(r'(name="csrf_token"[^>]*value="|nonce="|nonce-)[^"\']+')


def drive(client, email: str, sections, timed, pages: Path | None) -> None:
    """Sign in and answer every baseline page: GET then POST, each through ``timed``."""
    sign_in = timed("sign-in page", lambda: client.get("/login", base_url=BASE))
    form = {"csrf_token": TOKEN.search(sign_in.get_data(as_text=True)).group(1), "email": email, "password": PASSWORD}
    assert timed("sign in", lambda: client.post("/login", base_url=BASE, data=form)).status_code == 302
    given: dict[str, str] = {}
    for number in range(1, len(sections) + 1):  # the GP's pages (under matrix sampling, only their cases)
        url = f"/c/load/survey/pre/{number}"
        shown = timed("survey page", lambda: client.get(url, base_url=BASE))
        html = shown.get_data(as_text=True)
        assert shown.status_code == 200, html[:500]
        if pages is not None:
            (pages / f"{email}-{number}.html").write_text(VOLATILE.sub(r"\1-", html))
        data = {"csrf_token": TOKEN.search(html).group(1)}
        for question in section_on(html, sections).questions():
            if is_visible(question, given):
                data[question.id] = given[question.id] = valid_answer(question, 1 + number % 5)[0]
        assert timed("save page", lambda: client.post(url, base_url=BASE, data=data)).status_code == 302
        if number == int(PAGE_OF.search(html).group(1)):
            break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gps", type=int, default=20)
    parser.add_argument("--profile", metavar="FILE")
    parser.add_argument("--pages", metavar="DIR", type=Path)
    args = parser.parse_args()
    url = create_database()
    try:
        _, emails = seed(url, accounts=args.gps + 1)
        fixer = create_engine(url)
        with fixer.begin() as connection:  # the same case versions for the same GPs on every run
            connection.execute(text("UPDATE campaigns SET assignment_seed = 2026"))
        fixer.dispose()
        from survey import create_app
        from survey.library import library

        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            sections = library().instruments["gp-work-health-attitudes"].data.sections_for("pre")
        profiler = cProfile.Profile(time.process_time)
        cpu: dict[str, list[float]] = defaultdict(list)

        def timed(kind, request):
            start = time.process_time()
            response = profiler.runcall(request) if args.profile else request()
            cpu[kind].append(time.process_time() - start)
            return response

        if args.pages:
            args.pages.mkdir(parents=True, exist_ok=True)
        drive(app.test_client(), emails[-1], sections, lambda kind, request: request(), None)  # warm-up
        for email in emails[:-1]:
            drive(app.test_client(), email, sections, timed, args.pages)
        for kind, times in cpu.items():
            print(f"{kind:12} median {statistics.median(times) * 1000:5.1f} ms, mean {statistics.mean(times) * 1000:5.1f} "
                  f"ms CPU over {len(times)} requests")
        if args.profile:
            profiler.dump_stats(args.profile)
        with app.app_context():
            db.engine.dispose()
    finally:
        drop_database(url)


if __name__ == "__main__":
    main()
