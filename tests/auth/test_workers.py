"""Limits hold across gunicorn workers (shared Redis), behind proxies, and tokens stay out of the access log.

Two real gunicorn workers in production mode serve the test's database (the migrated SQLite file, or
the run's PostgreSQL database) and count in the real Redis at 127.0.0.1:6379 under a prefix of their own.
"""
import os
import re
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from survey.codes import random_code
from tests.conftest import PROJECT
from tests.factories import make_user
from tests.journey import link_in_mail
from tests.worker import Worker, free_port, queue_settings, stop_process

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def server(app, migrated, tmp_path):
    """gunicorn, 2 workers, started from the project folder as the README says (so gunicorn.conf.py applies)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    access_log = tmp_path / "access.log"
    env = {**os.environ, "SURVEY_ENV": "production", "SECRET_KEY": "gunicorn-test-secret", "BASE_URL": base,
           "DATABASE_URL": migrated, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
           "RATELIMIT_KEY_PREFIX": f"survey-test-{uuid.uuid4().hex}", "SESSION_COOKIE_SECURE": "0",
           "MAIL_BACKEND": "file", "MAIL_FILE_DIR": app.config["MAIL_FILE_DIR"], "INSTANCE_PATH": str(tmp_path),
           "LOGIN_RATE_LIMIT": "10 per minute", "VERIFY_RATE_LIMIT": "30 per minute", **queue_settings()}
    jobs = Worker(env, tmp_path / "worker.log").start()  # sends the mail
    errors = (tmp_path / "gunicorn.err").open("w")
    # A control socket of its own: gunicorn's default ($HOME/.gunicorn/gunicorn.ctl) is one path for every
    # gunicorn on the machine, so parallel test processes would take it over from one another.
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--control-socket", str(tmp_path / "gunicorn.ctl"),
         "--access-logfile", str(access_log), "--access-logformat", "%(p)s %(s)s \"%(r)s\" \"%(f)s\"", "wsgi:app"],
        cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    try:
        for _ in range(300):
            try:
                if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start: " + (tmp_path / "gunicorn.err").read_text()[-2000:])
        yield base, access_log
    finally:
        stop_process(process)
        errors.close()
        jobs.stop()
        jobs.flush_queue()


def _post_login(base: str, email: str) -> int:
    with requests.Session() as browser:
        token = TOKEN.search(browser.get(f"{base}/login", timeout=30).text).group(1)
        return browser.post(f"{base}/login", data={"csrf_token": token, "email": email, "password": "guess-number-1"},
                            timeout=30).status_code


def _pids(access_log: Path, needle: str) -> set[str]:
    return {line.split()[0] for line in access_log.read_text().splitlines() if needle in line}


def test_sign_in_and_verify_limits_hold_across_two_workers(server):
    base, access_log = server
    # Four at a time, so both workers serve: with per-worker counting 20 attempts would all get through.
    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda n: _post_login(base, f"gp{n}@example.org"), range(20)))
    assert sorted(statuses) == [200] * 10 + [429] * 10
    assert len(_pids(access_log, "POST /login")) == 2, "both workers must have answered sign-ins"

    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(lambda _: requests.get(f"{base}/verify/{random_code(20)}", timeout=30).status_code,
                              range(40)))
    assert sorted(codes) == [404] * 30 + [429] * 10  # 30 a minute, not 30 per worker
    assert len(_pids(access_log, "GET /verify/")) == 2


def test_reset_tokens_stay_out_of_the_access_log(app, server):
    base, access_log = server
    make_user(email="gp@example.org")
    with requests.Session() as browser:
        token = TOKEN.search(browser.get(f"{base}/reset-password", timeout=30).text).group(1)
        assert browser.post(f"{base}/reset-password", data={"csrf_token": token, "email": "gp@example.org"},
                            timeout=30).status_code == 200
        for _ in range(150):  # the mail goes after the response, through the worker
            try:
                link = link_in_mail(app, "gp@example.org", "/reset-password/")
                break
            except AssertionError:
                time.sleep(0.1)
        secret = link.rsplit("/", 1)[1]
        page = browser.get(f"{base}{link}", timeout=30)
        assert page.status_code == 200 and link in page.url
        # The page's stylesheet is fetched with the page's address as Referer.
        browser.get(f"{base}/static/css/app.css", headers={"Referer": f"{base}{link}"}, timeout=30)
    time.sleep(0.5)
    log = access_log.read_text()
    assert "/reset-password/[redacted]" in log
    assert secret not in log
