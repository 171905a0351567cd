"""Entry points and long-running parts: the composition root, runners and the CLI."""
