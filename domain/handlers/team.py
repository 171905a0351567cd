"""The vendor's team (SPEC 11): staff accounts and sessions, and the managed apps they set up.

Staff act across groups but never change a group's app fields (entities, description,
category): they link one of their developers to a managed app (the OTP is shown to them
once) and note how far they are. Every such action is an event with actor type `staff`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from domain.actor import Actor
from domain.apps import IntegrationApp
from domain.catalog import MANAGED_TYPES
from domain.credentials import new_token, token_digest
from domain.errors import (
    AuthenticationError,
    ConcurrentChangeError,
    ConflictError,
    NotFoundError,
    ValidationError,
)
from domain.handlers.apps import AppRecorded
from domain.handlers.developer_link import DeveloperLinker
from domain.handlers.developers import OtpIssued
from domain.handlers.retry import retried_on_conflict
from domain.naming import is_email, normalise_email, readable_name
from domain.passwords import Passwords
from domain.ports import Clock
from domain.staff import StaffMember
from domain.store import EventStore

STAFF_SESSION_TTL = timedelta(hours=8)
MAX_NOTE_CHARS = 2000


@dataclass(frozen=True)
class StaffRecorded:
    staff: StaffMember
    position: int


@dataclass(frozen=True)
class StaffSession:
    token: str
    expires_at: datetime
    staff: StaffMember
    position: int


def staff_actor(staff: StaffMember) -> Actor:
    return Actor(type="staff", id=str(staff.id), name=staff.email)


class TeamHandler:
    def __init__(
        self, store: EventStore, clock: Clock, passwords: Passwords, developers: DeveloperLinker
    ) -> None:
        self.store = store
        self.clock = clock
        self.passwords = passwords
        self.developers = developers

    # -- accounts and sessions ---------------------------------------------------------------
    def create_staff(self, email: str, full_name: str, password: str) -> StaffRecorded:
        """An operator's command (`integrations staff create`): no group, no admin, makes one."""
        email = normalise_email(email)
        if not is_email(email):
            raise ValidationError("not a valid e-mail address", "email")
        full_name = readable_name(full_name, "name", 200)
        self.passwords.check_rules(password, email, full_name)
        staff = StaffMember(
            email, full_name, self.passwords.hash(password), Actor.system("cli").as_event_data()
        )
        try:
            return StaffRecorded(staff, self.store.record(staff))
        except ConcurrentChangeError:  # its id is its address's: the address is taken
            raise ConflictError("a staff member with this e-mail exists", "email") from None

    def login(self, email: str, password: str) -> StaffSession:
        staff = self.store.find(StaffMember.create_id(normalise_email(email)), StaffMember)
        stored = staff.password_hash if staff else None
        if not self.passwords.matches(stored, password) or staff is None:
            raise AuthenticationError("wrong e-mail or password")
        token = new_token()
        expires_at = self.clock.now() + STAFF_SESSION_TTL
        staff, position = self._start_session(staff.id, token_digest(token), expires_at)
        return StaffSession(token, expires_at, staff, position)

    @retried_on_conflict(attempts=20)
    def _start_session(
        self, staff_id: UUID, digest: str, expires_at: datetime
    ) -> tuple[StaffMember, int]:
        staff = self.store.get(staff_id, StaffMember)
        staff.start_session(digest, expires_at, staff_actor(staff).as_event_data())
        return staff, self.store.record(staff)

    @retried_on_conflict()
    def logout(self, actor: Actor, token: str) -> int:
        actor.require_staff()
        staff = self.store.get(UUID(actor.id), StaffMember)
        staff.end_session(token_digest(token), actor.as_event_data())
        return self.store.record(staff)

    # -- the managed apps of every group -------------------------------------------------------
    def _managed_app(self, actor: Actor, app_id: UUID) -> IntegrationApp:
        actor.require_staff()
        app = self.store.find(app_id, IntegrationApp)
        if app is None or app.app_type not in MANAGED_TYPES:
            raise NotFoundError("request not found")  # other apps are not the team's
        return app

    def link_developer(self, actor: Actor, app_id: UUID, email: str) -> OtpIssued:
        """One of the team's developers for an AIQ Integrate or Connector app: invited (or
        told, with a portal account) as any developer is; the OTP is the staff member's to
        pass on, shown once."""
        app = self._managed_app(actor, app_id)
        otp, refs = self.developers.link(actor, app, email, field="email")
        return OtpIssued(app, otp, self.store.record(app, *refs))

    def note_progress(self, actor: Actor, app_id: UUID, state: str, note: str) -> AppRecorded:
        app = self._managed_app(actor, app_id)
        note = readable_name(note, "note", MAX_NOTE_CHARS) if note.strip() else ""
        app.note_progress(state, note, actor.as_event_data())
        return AppRecorded(app, self.store.record(app))
