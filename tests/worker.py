"""A real job worker (`flask worker`, a separate process) on the real Redis, under a queue name of its own."""
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from huey.storage import RedisStorage

PROJECT = Path(__file__).resolve().parent.parent
REDIS = "redis://127.0.0.1:6379/0"
READY = "Huey consumer started"


def queue_settings() -> dict:
    """Configuration that points an app (the test's, gunicorn's, the worker's) at one fresh queue."""
    return {"JOBS_BROKER_URL": REDIS, "JOBS_QUEUE_NAME": f"survey-test-{uuid.uuid4().hex}"}


class Worker:
    """`flask --app wsgi worker` with ``env``; start, kill (SIGKILL: no chance to finish) and stop."""

    def __init__(self, env: dict, log: Path):
        self.env = {**os.environ, **{name: str(value) for name, value in env.items()}}
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        """Start the worker and wait until it takes jobs (importing the app takes a while on a busy machine)."""
        starts = self._log_text().count(READY)
        with self.log.open("a") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker"], cwd=PROJECT,
                                            env=self.env, stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: self._log_text().count(READY) > starts or self.process.poll() is not None, seconds=180,
                 what="the worker's start")
        assert self.process.poll() is None, f"the worker stopped:\n{self._log_text()[-3000:]}"
        return self

    def _log_text(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process:
            stop_process(self.process)

    def flush_queue(self) -> None:
        RedisStorage(self.env["JOBS_QUEUE_NAME"], url=self.env["JOBS_BROKER_URL"]).flush_all()


def stop_process(process: subprocess.Popen, seconds: float = 90) -> None:
    """SIGTERM, and SIGKILL if it still runs after ``seconds``; never raises, so a teardown stops everything.

    gunicorn's master alone may take its 30 s graceful timeout, and longer on a machine busy with
    parallel test processes: a 30 s wait that raised left the job worker behind it running.
    """
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


def app_env(app, database_url: str) -> dict:
    """The environment a worker needs to act as ``app`` does: same database, mail, secret and queue."""
    config = app.config
    names = ("SECRET_KEY", "BASE_URL", "MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT", "MAIL_FILE_DIR", "JOBS_BROKER_URL",
             "JOBS_QUEUE_NAME", "MAIL_RETRY_SECONDS", "MAIL_MAX_ATTEMPTS", "MAIL_SENDING_LEASE_SECONDS")
    return {"SURVEY_ENV": "testing", "DATABASE_URL": database_url, **{name: config[name] for name in names}}


def free_port() -> int:
    """A loopback port nothing listens on now (for a server a test is about to start)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds: float = 60, what: str = "the worker"):
    """Poll ``condition()`` until it is true; fail with ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {seconds} s")
