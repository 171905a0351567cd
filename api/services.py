"""How request handlers reach the services the app factory was given."""

from __future__ import annotations

from flask import current_app

from composition.root import Services


def services() -> Services:
    svc: Services = current_app.extensions["integrations"]
    return svc
