"""A real app process: gunicorn (one sync worker) serving ``wsgi:app`` on a loopback port of its own."""
import os
import signal
import subprocess
import sys
from pathlib import Path

import requests

from tests.worker import PROJECT, free_port, wait_for


class AppProcess:
    """gunicorn started from the project folder (so gunicorn.conf.py applies) in a process group of its own,
    so that ``kill`` takes the master and its worker down at once, as a crashed machine would."""

    def __init__(self, env: dict, log: Path):
        self.env = {**os.environ, **{name: str(value) for name, value in env.items()}}
        self.log = log
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def launch(self) -> "AppProcess":
        """Start gunicorn without waiting for it (start several at once, then ``wait_until_up``)."""
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
                cwd=PROJECT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def wait_until_up(self) -> "AppProcess":
        def answers() -> bool:
            assert self.process.poll() is None, f"gunicorn stopped:\n{self.log.read_text()[-3000:]}"
            try:
                return requests.get(f"{self.base}/healthz", timeout=5).status_code == 200
            except requests.RequestException:
                return False

        wait_for(answers, seconds=120, what=f"gunicorn's start on port {self.port}")
        return self

    def kill(self) -> None:
        """SIGKILL the master and its worker: requests in flight get no answer."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
