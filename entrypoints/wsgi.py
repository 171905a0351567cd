"""WSGI entry of the API servers (`integrations api`: granian or gunicorn); projections run in
workers."""

from __future__ import annotations

import gc
import sys

from flask import Flask

from api.app import create_app
from api.limits import LimiterStorageError
from composition.root import build_services
from config.settings import Settings, SettingsError
from entrypoints.logging_setup import configure_logging

APP_LOAD_ERROR = 4  # gunicorn's Arbiter.APP_LOAD_ERROR: the master halts


def create(run_projections: bool = False) -> Flask:
    """Build the services from the environment and the app on top of them.

    Called in each server worker process after it starts, so no connection is shared across
    processes.
    With `run_projections` the read models and the mail notifier run in this process
    (embedded use); otherwise an `integrations worker` process runs them.
    """
    try:
        settings = Settings.from_env()
        configure_logging(settings.log_level)
        services = build_services(settings)
        if run_projections:
            services.start_workers()
        app = create_app(services)
        # Everything built so far lives as long as the process: the collector need not scan
        # it again, and a full collection that did took tens of milliseconds from a request.
        gc.freeze()
        return app
    except (SettingsError, LimiterStorageError) as error:
        # One line, then the server stops instead of booting workers in a loop (gunicorn:
        # "App failed to load", exit status 4; granian: "Unexpected exit from worker").
        print(f"integrations: cannot start: {error}", file=sys.stderr, flush=True)
        raise SystemExit(APP_LOAD_ERROR) from None
