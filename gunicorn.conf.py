# gunicorn reads this file when started from the project's directory; an installed service
# names the same settings with `-c python:entrypoints.gunicorn_conf`.
from entrypoints.gunicorn_conf import *  # noqa: F403
