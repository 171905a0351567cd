# gunicorn reads this file when started from the project's directory; an installed service
# names the same settings with `-c python:workers.gunicorn_conf`.
from workers.gunicorn_conf import *  # noqa: F403
