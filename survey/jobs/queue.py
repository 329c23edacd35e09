"""The job queue (huey): one queue object, bound to the app by ``init_app``, and the ``job`` decorator.

``JOBS_BROKER_URL`` chooses where jobs wait: ``redis://...`` (production: every app process and worker
share it), ``sqlite:///path`` (one machine without Redis), or ``inline`` (no queue: a job runs at once in
the process that enqueues it; development and most tests). The database, never the queue, records what
a job achieved (an outbox row, a bundle's progress), so a job lost with a killed worker is found again by
the periodic sweep (``survey.jobs.tasks.sweep``) and redone without repeating what was recorded done.
"""
import functools

from flask import Flask, has_request_context
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

#: Results are never read (jobs record their outcome in the database), so none are kept in the broker.
huey = Huey("survey", results=False, immediate=True, storage_class=MemoryStorage)
_app: Flask | None = None


def _storage(url: str, name: str):
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStorage(name, url=url)
    if url.startswith("sqlite:///"):
        return SqliteStorage(name, filename=url.removeprefix("sqlite:///"))
    raise ValueError(f"JOBS_BROKER_URL {url!r}: use redis://..., sqlite:///path or inline")


def init_app(app: Flask) -> None:
    """Point the queue at the app's broker; jobs run in this app's context (the last app made wins)."""
    global _app
    _app = app
    url = app.config["JOBS_BROKER_URL"]
    huey.immediate = url == "inline"
    if not huey.immediate:
        huey.name = app.config["JOBS_QUEUE_NAME"]
        huey.storage = _storage(url, huey.name)


def in_app(function):
    """``function`` run inside the app, with links built from ``BASE_URL`` (there is no request)."""

    @functools.wraps(function)
    def wrapped(*args):
        with _app.test_request_context(base_url=_app.config["BASE_URL"]):
            return function(*args)

    return wrapped


def job(**options):
    """A huey task (calling it enqueues it) that runs inside the app."""
    return lambda function: huey.task(name=function.__name__, **options)(in_app(function))


def enqueue(task, *args) -> None:
    """Queue ``task(*args)``; from a request, only after the response has gone, so the job sees what the
    request committed and the request's timing never depends on it (``survey.auth.deferred``)."""
    if has_request_context():
        from survey.auth.deferred import after_response

        after_response(task, *args)
    else:
        task(*args)
