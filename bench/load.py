"""Load benchmark: simulated GPs answering the baseline survey against gunicorn + PostgreSQL.

    .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--workers 4] [--worker-class sync|gthread]
                                   [--threads 1] [--think 0] [--ramp 10]
                                   [--fault none|pg-restart|worker-kill] [--ceiling] [--profile DIR]

Creates its own PostgreSQL database (dropped afterwards), seeds a campaign and enough GP
accounts, starts gunicorn on a free loopback port and drives ``--users`` concurrent
simulated GPs for ``--seconds``: each signs in, answers every page of the baseline survey
and submits, then takes the next account. ``--think`` is the mean time a GP spends answering a
page before saving it (uniform between half and one and a half times it; 0 = no pause, a stress
test in which every simulated GP always has a request in flight); the GPs start evenly over
``--ramp`` seconds, as people do, rather than all signing in at the same instant. Afterwards it compares every answer the server
acknowledged (a redirect after a save) with the database: none may be lost or duplicated.

``--ceiling`` then runs the same number of simulated clients, with the same think time and ramp,
against a bare Flask route (``bench/bare.py``) on the same gunicorn settings, and prints the survey's
throughput as a share of that ceiling; both runs print the load average at start and end and the
server's CPU time (gunicorn and its workers, from /proc, start-up left out) per request, which a
shared machine disturbs far less than wall times. Latencies are printed per kind of request and for the
survey's pages alone (view, save, submit), apart from signing in, whose scrypt hash is costly on purpose.

``--profile DIR`` serves the app under cProfile (``bench/profiled.py``; sync workers) and leaves one
profile per worker in DIR, to see where a request's CPU goes.

``--fault pg-restart`` restarts PostgreSQL a third of the way through; ``--fault worker-kill``
kills a gunicorn worker with SIGKILL every 10 s. Both check that acknowledged answers
survive and that the app recovers by itself.
"""
import argparse
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from survey.surveys.answers import is_visible  # noqa: E402
from tests.journey import section_on, valid_answer  # noqa: E402  (as the tests answer)

ADMIN_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "load-test-password"
#: The app's environment, for seeding here and for gunicorn: production settings, loopback HTTP.
APP_ENV = {"SECRET_KEY": "bench-secret", "SURVEY_ENV": "production", "SESSION_COOKIE_SECURE": "0",
           "RATELIMIT_ENABLED": "0", "INSTANCE_PATH": "/tmp/survey-load", "BASE_URL": "http://127.0.0.1",
           "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
           # Production requires a real queue; a queue of its own, since no worker runs during the bench.
           "JOBS_BROKER_URL": "redis://127.0.0.1:6379/1", "JOBS_QUEUE_NAME": f"load-bench-{uuid.uuid4().hex[:8]}"}
#: The survey's own pages (not signing in): what the p95 target is about once a GP is in.
PAGE_KINDS = ("survey page", "save page", "submit")
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PAGE_OF = re.compile(r"Page \d+ of (\d+)")  #: the survey page says how many pages this GP has


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def create_database() -> str:
    name = f"survey_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return re.sub(r"/[^/]+$", f"/{name}", ADMIN_URL)


def drop_database(url: str) -> None:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def seed(url: str, accounts: int) -> tuple[str, list[str]]:
    """Migrate, then make a campaign and enrolled GPs (bulk, one password hash for all)."""
    from flask_migrate import upgrade

    from survey import create_app
    from survey.auth.models import User
    from survey.campaigns import services as campaigns
    from survey.campaigns.models import Enrolment
    from survey.db import utcnow
    from survey.extensions import db

    os.environ.update(APP_ENV)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        campaign = campaigns.create_campaign("load", "Load test", "gp-work-health-attitudes",
                                             ["work-as-health-outcome"], "v1", "Consent.")
        template = User(password_hash="")
        template.set_password(PASSWORD)
        emails = [f"gp{n}@load.example" for n in range(accounts)]
        users = [User(name=f"GP {n}", email=e, gmc_number=f"{5000000 + n}", role="gp",
                      password_hash=template.password_hash, email_confirmed_at=utcnow()) for n, e in enumerate(emails)]
        db.session.add_all(users)
        db.session.flush()
        db.session.add_all(Enrolment(user_id=u.id, campaign_id=campaign.id, participant_code=f"L{u.id:09d}",
                                     consent_version="v1", consent_text="Consent.", consented_at=utcnow())
                           for u in users)
        db.session.commit()
        db.engine.dispose()
    return "load", emails


class Recorder:
    """Latencies, errors and acknowledged answers, shared by the simulated GPs."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)  #: by kind of request
        self.errors: Counter = Counter()
        self.acknowledged: dict[str, dict[str, str]] = defaultdict(dict)  # email -> item -> value
        self.submitted: set[str] = set()

    def request(self, kind: str, session: requests.Session, method: str, url: str,
                **kwargs) -> requests.Response | None:
        start = time.perf_counter()
        try:
            response = session.request(method, url, allow_redirects=False, timeout=30, **kwargs)
        except requests.RequestException as error:
            with self.lock:
                self.errors[type(error).__name__] += 1
            return None
        with self.lock:
            self.latencies[kind].append(time.perf_counter() - start)
            if response.status_code >= 400:
                self.errors[response.status_code] += 1
        return response


def simulated_gp(base: str, next_account, recorder: Recorder, deadline: float, sections, think: float, seed: int,
                 start_after: float):
    """Sign in, answer every baseline page, submit; repeat with the next account until the deadline."""
    pause = random.Random(seed)
    time.sleep(start_after)
    while time.monotonic() < deadline:
        email = next_account()
        if email is None:
            return
        session = requests.Session()
        page = recorder.request("sign-in page", session, "GET", f"{base}/login")
        if page is None or page.status_code != 200:
            continue
        token = TOKEN.search(page.text).group(1)
        signed_in = recorder.request("sign in", session, "POST", f"{base}/login",
                                     data={"csrf_token": token, "email": email, "password": PASSWORD})
        if signed_in is None or signed_in.status_code != 302:
            continue
        given: dict[str, str] = {}
        for number in range(1, len(sections) + 1):  # the GP's pages (under matrix sampling, only their cases)
            if time.monotonic() >= deadline:
                return
            url = f"{base}/c/load/survey/pre/{number}"
            form = recorder.request("survey page", session, "GET", url)
            if form is None or form.status_code != 200:
                break
            data = {"csrf_token": TOKEN.search(form.text).group(1)}
            answers = {}
            for question in section_on(form.text, sections).questions():  # a question shows once its condition is met
                if is_visible(question, {**given, **answers}):
                    data[question.id] = answers[question.id] = valid_answer(question, 1 + number % 5)[0]
            given.update(answers)
            time.sleep(think * pause.uniform(0.5, 1.5))
            last = number == int(PAGE_OF.search(form.text).group(1))
            saved = recorder.request("submit" if last else "save page", session, "POST", url, data=data)
            if saved is None or saved.status_code != 302:
                break
            with recorder.lock:
                recorder.acknowledged[email].update(answers)
                if last:
                    recorder.submitted.add(email)
            if last:
                break


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def percentile(ordered: list[float], q: float) -> float:
    """The q-th percentile of sorted values (nearest rank)."""
    return ordered[max(0, int(round(q / 100 * len(ordered))) - 1)]


def verify(url: str, recorder: Recorder) -> dict:
    """Compare acknowledged answers with the database: counts of lost, changed and duplicated."""
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT u.email, a.item_id, a.value, r.submitted_at IS NOT NULL FROM answers a "
            "JOIN responses r ON r.id = a.response_id JOIN enrolments e ON e.id = r.enrolment_id "
            "JOIN users u ON u.id = e.user_id"
        )).all()
        duplicates = connection.execute(text(
            "SELECT count(*) FROM (SELECT response_id, item_id FROM answers GROUP BY 1, 2 HAVING count(*) > 1) d"
        )).scalar()
    engine.dispose()
    stored = {(email, item): value for email, item, value, _ in rows}
    submitted = {email for email, _, _, done in rows if done}
    lost = sum((email, item) not in stored for email, answers in recorder.acknowledged.items() for item in answers)
    changed = sum(stored.get((email, item), value) != value
                  for email, answers in recorder.acknowledged.items() for item, value in answers.items())
    return {"answers_acknowledged": sum(map(len, recorder.acknowledged.values())), "answers_lost": lost,
            "answers_changed": changed, "duplicate_answers": duplicates,
            "submissions_acknowledged": len(recorder.submitted),
            "acknowledged_but_not_submitted": len(recorder.submitted - submitted)}


def start_gunicorn(app: str, args, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "--workers", str(args.workers),
                               "--worker-class", args.worker_class, "--threads", str(args.threads), "--bind",
                               f"127.0.0.1:{port}", "--log-level", "warning", app], cwd=ROOT, env=env)
    return server, f"http://127.0.0.1:{port}"


def server_cpu(server: subprocess.Popen) -> float:
    """User and system CPU seconds so far of gunicorn's master and its live workers (from /proc), so that
    a run's figure leaves out start-up imports; a worker killed meanwhile takes its seconds with it."""
    pids = [str(server.pid)] + subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                              text=True).stdout.split()
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return ticks / os.sysconf("SC_CLK_TCK")


def settled_cpu(server: subprocess.Popen) -> float:
    """:func:`server_cpu` once every worker has finished importing the app (no CPU used for half a second)."""
    before = server_cpu(server)
    for _ in range(60):
        time.sleep(0.5)
        now = server_cpu(server)
        if now == before:
            break
        before = now
    return before


def stop_gunicorn(server: subprocess.Popen, cpu_before: float) -> float:
    """Stop the server and return the CPU seconds it and its workers used since ``cpu_before``."""
    cpu = server_cpu(server) - cpu_before
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:  # workers still finishing requests whose clients gave up
        server.kill()
        server.wait()
    return cpu


def wait_until_up(url: str) -> None:
    for _ in range(100):
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)


def answers_health(url: str) -> bool:
    """Whether the app answers after the run; an overloaded server may still be working through requests
    whose clients gave up (30 s), so wait for it rather than fail the run."""
    try:
        return requests.get(url, timeout=120).status_code == 200
    except requests.RequestException:
        return False


def bare_client(base: str, recorder: Recorder, deadline: float, think: float, seed: int, start_after: float):
    """The ceiling's simulated client: one bare GET per think time, as a GP saves one page per think time."""
    pause = random.Random(seed)
    time.sleep(start_after)
    session = requests.Session()
    while time.monotonic() < deadline:
        recorder.request("bare route", session, "GET", f"{base}/bare")
        time.sleep(think * pause.uniform(0.5, 1.5))


def ceiling(args) -> dict:
    """Throughput and latency of the bare route under the same clients, think time and ramp."""
    server, base = start_gunicorn("bench.bare:app", args, dict(os.environ))
    try:
        wait_until_up(f"{base}/bare")
        cpu_before = settled_cpu(server)
        recorder, load_before = Recorder(), os.getloadavg()[0]
        deadline, started = time.monotonic() + args.seconds, time.monotonic()
        clients = [threading.Thread(target=bare_client, args=(base, recorder, deadline, args.think, n,
                                                              n * args.ramp / args.users))
                   for n in range(args.users)]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        elapsed = time.monotonic() - started
        latencies = sorted(recorder.latencies["bare route"])
        load_after = os.getloadavg()[0]
        cpu = stop_gunicorn(server, cpu_before)
        server = None
        return {"ceiling_requests_per_second": round(len(latencies) / elapsed, 1),
                "ceiling_p95_ms": ms(percentile(latencies, 95)), "ceiling_errors": dict(recorder.errors),
                "ceiling_load_average": (round(load_before, 2), round(load_after, 2)),
                "ceiling_server_cpu_s": round(cpu, 1), "ceiling_server_cpu_ms_per_request": ms(cpu / len(latencies))}
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)


def inject_fault(kind: str, server: subprocess.Popen, seconds: float, stop: threading.Event, log: list):
    if kind == "pg-restart":
        stop.wait(seconds / 3)
        cluster = subprocess.run(["bash", "-c", "ls /etc/postgresql"], capture_output=True, text=True).stdout.strip()
        started = time.monotonic()
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"], check=True)
        log.append(f"PostgreSQL restarted ({time.monotonic() - started:.1f} s)")
    elif kind == "worker-kill":
        while not stop.wait(10):
            children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
            if children:
                os.kill(int(children[0]), signal.SIGKILL)
                log.append(f"killed worker {children[0]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync", help="gunicorn's --worker-class")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn's --threads (gthread: requests per worker)")
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds a GP spends on a page")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds over which the GPs start")
    parser.add_argument("--fault", choices=["none", "pg-restart", "worker-kill"], default="none")
    parser.add_argument("--ceiling", action="store_true", help="then measure a bare route the same way")
    parser.add_argument("--profile", metavar="DIR", help="profile each worker (bench/profiled.py) into DIR")
    args = parser.parse_args()

    url = create_database()
    server = None
    try:
        _, emails = seed(url, accounts=args.users * 8)
        from survey.instruments.definition import load_instruments

        sections = load_instruments(ROOT / "modules")[0]["gp-work-health-attitudes"].data.sections_for("pre")
        app, profile = ("bench.profiled:app", {"BENCH_PROFILE_DIR": args.profile}) if args.profile else ("wsgi:app", {})
        server, base = start_gunicorn(app, args, {**os.environ, **APP_ENV, "DATABASE_URL": url, **profile})
        wait_until_up(f"{base}/healthz")
        cpu_before = settled_cpu(server)

        pool = iter(emails)
        pool_lock = threading.Lock()

        def next_account():
            with pool_lock:
                return next(pool, None)

        recorder, stop, fault_log = Recorder(), threading.Event(), []
        deadline = time.monotonic() + args.seconds
        fault = threading.Thread(target=inject_fault, args=(args.fault, server, args.seconds, stop, fault_log))
        fault.start()
        started, load_before = time.monotonic(), os.getloadavg()[0]
        gps = [threading.Thread(target=simulated_gp,
                                args=(base, next_account, recorder, deadline, sections, args.think, n,
                                      n * args.ramp / args.users))
               for n in range(args.users)]
        for gp in gps:
            gp.start()
        for gp in gps:
            gp.join()
        elapsed = time.monotonic() - started
        stop.set()
        fault.join()
        recovered = answers_health(f"{base}/healthz")
        latencies = sorted(t for times in recorder.latencies.values() for t in times)
        pages = sorted(t for kind in PAGE_KINDS for t in recorder.latencies.get(kind, []))  # .get: adds no kind
        load_after = os.getloadavg()[0]
        cpu = stop_gunicorn(server, cpu_before)
        server = None
        result = {
            "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
            "users": args.users, "seconds": round(elapsed, 1), "think_seconds": args.think, "ramp_seconds": args.ramp,
            "gunicorn": f"{args.workers} {args.worker_class} workers x {args.threads} threads", "fault": args.fault,
            "requests": len(latencies), "requests_per_second": round(len(latencies) / elapsed, 1),
            "median_ms": ms(statistics.median(latencies)), "p95_ms": ms(percentile(latencies, 95)),
            "survey_pages_median_p95_ms": (ms(statistics.median(pages)), ms(percentile(pages, 95))) if pages else None,
            "median_p95_ms_by_kind": {kind: (ms(statistics.median(times)), ms(percentile(sorted(times), 95)))
                                      for kind, times in recorder.latencies.items()},
            "errors": dict(recorder.errors), "recovered_after_fault": recovered, "fault_log": fault_log,
            "load_average": (round(load_before, 2), round(load_after, 2)),
            "server_cpu_s": round(cpu, 1), "server_cpu_ms_per_request": ms(cpu / len(latencies)),
            **verify(url, recorder),
        }
        if args.ceiling:
            result.update(ceiling(args))
            result["share_of_ceiling"] = f"{result['requests_per_second'] / result['ceiling_requests_per_second']:.0%}"
        for key, value in result.items():
            print(f"{key:32} {value}")
        return 0 if result["answers_lost"] == result["answers_changed"] == result["duplicate_answers"] == 0 else 1
    finally:
        try:
            if server:
                server.terminate()
                server.wait(timeout=30)
        finally:  # a server slow to stop must not leave its database behind
            drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
