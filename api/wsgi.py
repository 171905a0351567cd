"""WSGI entry for gunicorn: `gunicorn 'api.wsgi:create()'` (projections run in workers)."""

from __future__ import annotations

from flask import Flask

from api.app import create_app
from workers.composition import build_services
from workers.logging_setup import configure_logging
from workers.settings import Settings


def create(run_projections: bool = False) -> Flask:
    """Build the services from the environment and the app on top of them.

    Called in each gunicorn worker after fork, so no connection is shared across processes.
    With `run_projections` the read models and the mail notifier run in this process
    (embedded use); otherwise an `integrations worker` process runs them.
    """
    settings = Settings.from_env()
    configure_logging(settings.log_level)
    services = build_services(settings)
    if run_projections:
        services.start_workers()
    return create_app(services)
