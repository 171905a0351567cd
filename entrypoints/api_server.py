"""`integrations api`: the API processes of production, under granian (default) or gunicorn.

Both serve the same WSGI app (`entrypoints.wsgi:create`), one app per worker process, each
worker running its requests on a pool of threads. granian is the default because it answered
more of everything in `make bench` (its HTTP handling is Rust, not Python: see the README);
gunicorn stays available with `--server gunicorn`. The command replaces itself with the
server (exec), so signals and exit statuses are the server's own.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

SERVERS = ("granian", "gunicorn")
BIN = Path(sys.executable).parent
PRODUCT_APP = "entrypoints.wsgi:create"


@dataclass(frozen=True)
class ApiServer:
    server: str = "granian"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    threads: int = 4
    access_log: bool = False
    app: str = PRODUCT_APP  # a `module:factory` returning the WSGI app
    extra: tuple[str, ...] = ()  # passed to the server as they are

    def command(self) -> list[str]:
        if self.server == "granian":
            args = [str(BIN / "granian"), "--interface", "wsgi", "--factory", self.app]
            args += ["--host", self.host, "--port", str(self.port), "--no-ws"]
            args += ["--workers", str(self.workers), "--blocking-threads", str(self.threads)]
            # Its access log has no query string at all, so no secret of one can reach it.
            return args + (["--access-log"] if self.access_log else []) + list(self.extra)
        args = [str(BIN / "gunicorn"), "-c", "python:entrypoints.gunicorn_conf", f"{self.app}()"]
        args += ["--bind", f"{self.host}:{self.port}", "--worker-class", "gthread"]
        args += ["--workers", str(self.workers), "--threads", str(self.threads)]
        return args + (["--access-logfile", "-"] if self.access_log else []) + list(self.extra)

    def run(self) -> None:
        command = self.command()
        os.execv(command[0], command)
