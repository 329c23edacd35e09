"""gunicorn reads this file from the working directory: keep link tokens out of the access log."""
logger_class = "survey.auth.access_log.RedactingLogger"
