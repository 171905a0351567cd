"""`integrations serve`: gunicorn in one process with threads, read models kept in-process.

One process, because the embedded SQLite default is one file and its projections run as
threads beside the API; production runs more API processes and separate workers instead.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        from entrypoints.wsgi import create

        return create(run_projections=True)


def serve(host: str, port: int, threads: int = 8) -> None:
    _Server(
        {
            "bind": f"{host}:{port}",
            "workers": 1,
            "worker_class": "gthread",
            "threads": threads,
            "accesslog": "-",
            # No secret of a query string in the access log (the same as entrypoints.gunicorn_conf).
            "logger_class": "entrypoints.access_log.RedactingLogger",
            "graceful_timeout": 10,
        }
    ).run()
