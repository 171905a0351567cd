"""gunicorn settings for every API process: `gunicorn -c python:entrypoints.gunicorn_conf ...`.

`integrations serve` sets the same logger class. The access log is off unless asked for
(`--access-logfile -`); when it is on, no secret of a query string reaches it.
"""

logger_class = "entrypoints.access_log.RedactingLogger"
