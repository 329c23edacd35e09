"""gunicorn reads this file from the working directory: link tokens kept out of the access log, content loaded
as each worker starts."""
logger_class = "survey.auth.access_log.RedactingLogger"


def post_worker_init(worker):
    """Parse the content library (modules and instruments, about 0.7 s of CPU) as each worker starts, before it
    takes requests, rather than inside the first GP's survey page that worker serves."""
    app = worker.wsgi
    if getattr(app, "import_name", None) != "survey":  # bench/bare.py, bench/profiled.py: no library to load
        return
    from survey.library import ContentInvalid, library

    with app.app_context():
        try:
            library()
        except ContentInvalid:  # the worker still starts; the pages that need the content report it, as before
            pass
