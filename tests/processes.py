"""Starting the product as separate OS processes, the way production runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from entrypoints.api_server import ApiServer
from tests.mailbox import free_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


class Process:
    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._file = log.open("wb")
        self.proc = subprocess.Popen(
            args,
            env={**os.environ, **env},
            cwd=ROOT,
            stdout=self._file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout)
        self._file.close()
        return int(self.proc.returncode)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def api_server(env: dict[str, str], log: Path, workers: int = 2) -> tuple[Process, str]:
    """`integrations api` (no projections in it): read models come from a worker."""
    process, url = start_api_server(env, log, workers)
    wait_until_up(url, process)
    return process, url


def start_api_server(env: dict[str, str], log: Path, workers: int = 2) -> tuple[Process, str]:
    """As `api_server`, without waiting for it to come up (to start several at once)."""
    port = free_port()
    process = Process(ApiServer(port=port, workers=workers).command(), env, log)
    return process, f"http://127.0.0.1:{port}"


def worker(env: dict[str, str], log: Path) -> Process:
    return Process([str(BIN / "integrations"), "worker"], env, log)


def wait_until_up(url: str, process: Process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.proc.poll() is not None:
            raise AssertionError(f"server exited:\n{process.output()[-3000:]}")
        try:
            if requests.get(f"{url}/openapi.json", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError(f"server did not come up:\n{process.output()[-3000:]}")
