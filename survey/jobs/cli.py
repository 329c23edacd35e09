"""`flask worker`: run the job queue's consumer inside this app (as many of them as the load needs)."""
import logging

import click
from flask.cli import with_appcontext

from survey.jobs import tasks  # noqa: F401 - registers every job and the sweep with the queue
from survey.jobs.queue import huey


@click.command("worker")
@click.option("--threads", default=2, show_default=True, help="Jobs run at once by this worker.")
@click.option("--no-periodic", is_flag=True, help="Leave the minute sweep to the other workers.")
@with_appcontext
def worker(threads: int, no_periodic: bool):
    """Take jobs from JOBS_BROKER_URL and run them until stopped (SIGTERM or Ctrl-C finishes the running jobs)."""
    if huey.immediate:
        raise click.UsageError("JOBS_BROKER_URL is 'inline': jobs run in the app itself and there is no queue to work. "
                               "Set it to redis://... or sqlite:///path.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    huey.create_consumer(workers=threads, worker_type="thread", periodic=not no_periodic).run()
