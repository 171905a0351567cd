"""The vendor's team ("our team" of the article, SPEC 11): accounts apart from every group,
with their own sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.naming import index_id

Actor = dict[str, Any]


class StaffMember(Aggregate):
    """One per e-mail address: its id comes from the address, so it is unique by design."""

    class Registered(Aggregate.Created):
        email: str
        full_name: str
        password_hash: str
        actor: Actor

    class SessionStarted(Aggregate.Event):
        token_digest: str
        expires_at: datetime
        actor: Actor

    class SessionEnded(Aggregate.Event):
        token_digest: str
        actor: Actor

    @staticmethod
    def create_id(email: str) -> UUID:
        return index_id("staff", email)

    @event(Registered)
    def __init__(self, email: str, full_name: str, password_hash: str, actor: Actor) -> None:
        self.email = email
        self.full_name = full_name
        self.password_hash = password_hash

    @event(SessionStarted)
    def start_session(self, token_digest: str, expires_at: datetime, actor: Actor) -> None:
        pass

    @event(SessionEnded)
    def end_session(self, token_digest: str, actor: Actor) -> None:
        pass
