"""Where the read models are, as this process last heard: waiting without asking the database.

Every runner, in the transaction that moves views forward, notifies
`projections.view.progress_channel` with the new position and the views it reached. One
listener thread per process keeps those positions in memory, so a request waiting for its
read models is woken the moment they commit, with no query at all. The positions it holds
only ever lag the truth (they come from committed transactions, and positions only grow),
so trusting them can never return early; while the listener is not connected it says so,
and waiters fall back to polling the tracking table.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from psycopg.sql import SQL, Identifier

from adapters.background import Background
from projections.view import progress_channel

log = logging.getLogger(__name__)
RECONNECT_SECONDS = 1.0
STOP_CHECK_SECONDS = 0.5


class ViewProgressListener(Background):
    thread_name = "view-progress"

    def __init__(self, connect: Callable[[], Any], application_name: str) -> None:
        self._connect = connect
        self._application_name = application_name
        self._positions: dict[str, int] = {}
        self._live = False
        self._changed = threading.Condition()
        super().__init__()

    @property
    def live(self) -> bool:
        """Listening, with the positions read since: what it knows can be trusted."""
        with self._changed:
            return self._live

    def wait_until(self, names: Sequence[str], position: int, timeout: float) -> bool:
        """True once every named view is known to have processed `position`; False after
        `timeout`, or at once while the listener is not connected (then poll instead)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                if all(self._positions.get(name, 0) >= position for name in names):
                    return True
                remaining = deadline - time.monotonic()
                if not self._live or remaining <= 0:
                    return False
                self._changed.wait(remaining)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._listen()
            except Exception as error:  # the database restarted, a network blip, ...
                log.warning("view progress listener reconnecting: %s", error)
            finally:
                with self._changed:
                    self._live = False
                    self._changed.notify_all()
            self._stopping.wait(RECONNECT_SECONDS)

    def _listen(self) -> None:
        channel = progress_channel(self._application_name)
        with self._connect() as connection:
            # Listening first, then reading where the views are: nothing committed in
            # between can be missed.
            connection.execute(SQL("LISTEN {0}").format(Identifier(channel)))
            rows = connection.execute(
                "SELECT view_name, notification_id FROM view_tracking WHERE application_name = %s",
                (self._application_name,),
            ).fetchall()
            self._note({str(name): int(position) for name, position in rows}, live=True)
            while not self._stopping.is_set():
                for notice in connection.notifies(timeout=STOP_CHECK_SECONDS):
                    self._note(_reached(notice.payload))

    def _note(self, reached: dict[str, int], live: bool | None = None) -> None:
        with self._changed:
            for name, position in reached.items():
                if position > self._positions.get(name, 0):
                    self._positions[name] = position
            if live is not None:
                self._live = live
            self._changed.notify_all()


def _reached(payload: str) -> dict[str, int]:
    """`<position> <view>,<view>...` as sent by `projections.view.announce`; anything else on
    the channel is ignored (logged), rather than dropping the connection over it."""
    position, _, names = payload.partition(" ")
    if not position.isdigit() or not names:
        log.warning("view progress: ignored a notification not in the expected form")
        return {}
    return dict.fromkeys(names.split(","), int(position))
