"""GroupCommit: threads recording at the same moment share one transaction, each gets its own
position, and a failed save fails each of its group (and nothing after it)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.domain import Aggregate

from domain.errors import ConcurrentChangeError
from domain.group_commit import GroupCommit
from domain.store import EventStore
from domain.tokens import AccessToken

THREADS = 6


def token() -> AccessToken:
    return AccessToken(uuid4(), "client", uuid4().hex, datetime.now(UTC), {"type": "client"})


class GatedStore(EventStore):
    """Its first save waits until the test opens the gate, so that others queue behind it."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.saves: list[int] = []
        self.fail_next = False

    def record_each(self, *aggregates: Aggregate) -> list[int]:
        if not self.saves:
            self.entered.set()
            self.gate.wait(10)
        self.saves.append(len(aggregates))
        if self.fail_next:
            self.fail_next = False
            raise ConcurrentChangeError("the database refused the group")
        return super().record_each(*aggregates)


def record_in_threads(
    group: GroupCommit, store: GatedStore, tokens: list[AccessToken]
) -> list[Any]:
    results: list[Any] = [None] * len(tokens)

    def run(n: int) -> None:
        try:
            results[n] = group.record(tokens[n])
        except Exception as error:
            results[n] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(tokens))]
    threads[0].start()  # takes the commit lock and waits at the gate
    assert store.entered.wait(10)
    deadline = time.monotonic() + 10
    for t in threads[1:]:
        t.start()
    while group.queued() < len(tokens) - 1 and time.monotonic() < deadline:
        time.sleep(0.001)
    store.gate.set()
    for t in threads:
        t.join(10)
    return results


def test_one_thread_alone_saves_at_once() -> None:
    store = EventStore()
    group = GroupCommit(store)
    first, second = token(), token()
    assert group.record(first) == 1
    assert group.record(second) == 2
    assert store.find(second.id, AccessToken) is not None
    assert (group.stats.commits, group.stats.largest) == (2, 1)


def test_threads_queued_behind_a_commit_share_the_next_one() -> None:
    store = GatedStore()
    group = GroupCommit(store)
    tokens = [token() for _ in range(THREADS)]
    positions = record_in_threads(group, store, tokens)
    # The first commit held the first token; the five queued meanwhile went in one more.
    assert store.saves == [1, THREADS - 1]
    assert sorted(positions) == list(range(1, THREADS + 1))
    for t, position in zip(tokens, positions, strict=True):
        saved = store.find(t.id, AccessToken)
        assert saved is not None and saved.jti == t.jti
        assert store.events_of(t.id)[-1].originator_version == 1
        # Each thread got the position of its own token's event, not its group's last.
        assert store.recorder.select_notifications(position, 1)[0].originator_id == t.id
    assert (group.stats.commits, group.stats.aggregates) == (2, THREADS)


def test_a_failed_group_fails_each_of_its_threads_and_nothing_after() -> None:
    store = GatedStore()
    group = GroupCommit(store)
    tokens = [token() for _ in range(THREADS)]
    store.fail_next = True  # the very first save (one token) fails...
    results = record_in_threads(group, store, tokens)
    assert isinstance(results[0], ConcurrentChangeError)
    assert store.find(tokens[0].id, AccessToken) is None
    # ...and those queued behind it were saved by the next commit.
    assert all(isinstance(p, int) for p in results[1:])
    store.fail_next = True
    with pytest.raises(ConcurrentChangeError):
        group.record(token())
    assert group.record(token()) == THREADS
