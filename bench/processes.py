"""The product as separate OS processes, the way production runs it: `integrations api`
serving the API and an `integrations worker`, each in its own process group, stopped when
the run is done."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from entrypoints.api_server import ApiServer

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`args` with `env` added, output to `log`; SIGTERM (SIGKILL after 15 s) on the way out."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            args,
            env={**os.environ, **env},
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(15)


@contextmanager
def api_server(env: dict[str, str], log: Path, server: ApiServer) -> Iterator[str]:
    """The API servers as `integrations api` runs them (no projections in them: a worker
    keeps the read models), serving the bench's app (bench/server_app.py); yields their URL
    once they answer."""
    url = f"http://{server.host}:{server.port}"
    with running(server.command(), env, log) as proc:
        deadline = time.monotonic() + 60
        while not _answers(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the API server did not come up:\n{tail}")
            time.sleep(0.2)
        yield url


@contextmanager
def worker(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with running([str(BIN / "integrations"), "worker"], env, log) as proc:
        yield proc


def _answers(url: str) -> bool:
    try:
        return requests.get(f"{url}/openapi.json", timeout=2).status_code == 200
    except requests.RequestException:
        return False
