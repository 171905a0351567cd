"""WSGI entry for gunicorn: `gunicorn 'api.wsgi:create()'` (projections run in workers)."""

from __future__ import annotations

import logging

from flask import Flask

from api.app import create_app
from workers.composition import build_services
from workers.settings import Settings


def create(run_projections: bool = False) -> Flask:
    """Build the services from the environment and the app on top of them.

    Called in each gunicorn worker after fork, so no connection is shared across processes.
    With `run_projections` the read models and the mail notifier run in this process
    (embedded use); otherwise an `integrations worker` process runs them.
    """
    settings = Settings.from_env()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    services = build_services(settings)
    if run_projections:
        services.start_workers()
    return create_app(services)
