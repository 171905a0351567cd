"""How the product is started: the `integrations` CLI, the gunicorn server and its app
factory, the background worker, and their logging."""
