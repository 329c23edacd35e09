"""The app under cProfile, for ``bench/load.py --profile DIR``: each gunicorn worker profiles the requests it
serves and writes ``DIR/worker-<pid>.prof`` when it exits (read with ``python -m pstats``).

Sync workers only: one profiler per process, one request at a time.
"""
import atexit
import cProfile
import os
from pathlib import Path

from wsgi import app as flask_app

profiler = cProfile.Profile()


def app(environ, start_response):
    return profiler.runcall(flask_app, environ, start_response)


@atexit.register
def _write_profile() -> None:
    folder = Path(os.environ["BENCH_PROFILE_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(folder / f"worker-{os.getpid()}.prof")
