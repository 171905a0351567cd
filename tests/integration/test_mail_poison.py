"""One e-mail that cannot go never holds back the others; the admin learns which one and why."""

from __future__ import annotations

import secrets
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from typing import Any
from uuid import UUID

import psycopg
import pytest

from adapters.mailer import mailer_for
from api.app import create_app
from composition.root import Services, build_services
from domain.actor import Actor
from domain.apps import IntegrationApp
from domain.commands import CreateApp
from tests.conftest import LiveServer
from tests.e2e.client import AdminApi
from tests.mailbox import Mailbox
from tests.support import ADMIN_EMAIL, FakeClock, new_integration, seeded_group
from workers.mail_retry import MAX_ATTEMPTS, retry_delay
from workers.mail_sender import MailSender
from workers.mail_templates import MailRenderer

GONE = "gone@x.example"  # the server refuses it for good
BUSY = "busy@x.example"  # the server asks to try later, every time
REFUSALS = {GONE: "550 5.1.1 no such user", BUSY: "451 4.3.0 try later"}


class PickyMailbox(Mailbox):
    """The real SMTP server, refusing some recipients at RCPT as a real one would."""

    def __init__(self) -> None:
        super().__init__()
        self.refusals = dict(REFUSALS)
        self.tries: Counter[str] = Counter()
        self.envelope_recipients: list[str] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        self.tries[address] += 1
        if address in self.refusals:
            return self.refusals[address]
        envelope.rcpt_tos.append(address)
        self.envelope_recipients.append(address)
        return "250 OK"


@pytest.fixture
def mailbox() -> Iterator[PickyMailbox]:
    box = PickyMailbox()
    box.start()
    yield box
    box.stop()


@pytest.fixture
def world(
    make_settings: Any, clock: FakeClock, mailbox: PickyMailbox, database_url: str
) -> Iterator[dict[str, Any]]:
    settings = make_settings(SMTP_HOST="127.0.0.1", SMTP_PORT=str(mailbox.port))
    services = build_services(settings, clock=clock)
    services.start_projections()  # the outbox fills; nothing sends until a test says so
    ids, admin = seeded_group(services)
    server = LiveServer(create_app(services))
    http = AdminApi(server.url).login(ADMIN_EMAIL, "admin pass 12")
    yield {"services": services, "admin": admin, "ids": ids, "http": http}
    server.stop()
    services.close()


def _sender(services: Services) -> MailSender:
    renderer = MailRenderer(services.settings, services.invites, services.signup_codes)
    mailer = mailer_for(services.settings)
    undelivered = services.commands.mail
    return MailSender(services.mail_outbox, mailer, renderer, services.clock, undelivered)


def _invite(world: dict[str, Any], email: str, name: str | None = None) -> str:
    """An app whose developer gets an invite, through the real create command."""
    entities = list(world["ids"]["entities"].values())
    body = new_integration(name or f"App for {email}", entities, developer_email=email)
    created = world["services"].commands.apps.create_app(world["admin"], CreateApp(**body))
    world["services"].wait_for_views(created.position, "mail_outbox")
    return str(created.app.id)


def _stored_directly(world: dict[str, Any], name: str, email: str) -> str:
    """An app and its invite recorded past today's input checks, as an older release or
    a future bug could have stored them: the mail must still be safe."""
    services: Services = world["services"]
    admin: Actor = world["admin"]
    now = services.clock.now()
    app = IntegrationApp(
        group_id=UUID(str(admin.group_id)),
        app_type="new_integration",
        preset=None,
        name=name,
        description="d",
        category="crm",
        api_permission="read",
        entity_ids=list(world["ids"]["entities"].values()),
        client_id=secrets.token_hex(16),
        actor=admin.as_event_data(),
    )
    app.link_developer(
        email=email,
        linked_at=now,
        signed_up=False,
        invite_id=services.invites.issue()[0],
        invite_expires_at=now + timedelta(days=3),
        otp_digest="not used here",
        otp_expires_at=now + timedelta(days=3),
        actor=admin.as_event_data(),
    )
    services.wait_for_views(services.store.record(app), "mail_outbox")
    return str(app.id)


def _undelivered(services: Services, app_id: str) -> list[dict[str, Any]]:
    services.wait_until_current("activity_log")
    return [r for r in services.activity_log.rows(app_id) if r["event"] == "mail_undelivered"]


def _status(services: Services, email: str) -> dict[str, Any]:
    [row] = [r for r in services.mail_outbox.all_messages() if r["recipient"] == email]
    return row


def test_a_refused_and_a_deferred_invite_do_not_hold_back_the_invites_behind_them(
    world: dict[str, Any], mailbox: PickyMailbox
) -> None:
    services: Services = world["services"]
    gone_app, busy_app = _invite(world, GONE), _invite(world, BUSY)
    good = [f"dev{n}@x.example" for n in range(3)]
    for email in good:
        _invite(world, email)

    assert _sender(services).send_pending() == 3
    for email in good:
        assert "invited" in mailbox.wait_for(email)[0]["Subject"]

    # The 550 is set aside at once, says so in the app's activity log, once, with no secret.
    assert _status(services, GONE)["status"] == "set_aside"
    [event] = _undelivered(services, gone_app)
    assert event["actor_type"] == "system"
    assert event["details"] == (f"invite to {GONE} could not be delivered: 550 5.1.1 no such user")
    assert "invite=" not in event["details"]
    problem = world["http"].developer(gone_app).json()["delivery_problem"]
    assert problem["kind"] == "invite"
    assert problem["recipient"] == GONE
    assert problem["reason"] == "550 5.1.1 no such user"
    assert problem["at"]

    # The 451 waits for its retry and is not shown as a problem while it is being retried.
    assert _status(services, BUSY)["status"] == "pending"
    assert world["http"].developer(busy_app).json()["delivery_problem"] is None
    assert _undelivered(services, busy_app) == []
    assert mailbox.tries[GONE] == 1 and mailbox.tries[BUSY] == 1


def test_a_deferred_invite_is_retried_on_its_schedule_and_set_aside_after_the_last_try(
    world: dict[str, Any], mailbox: PickyMailbox, clock: FakeClock
) -> None:
    services: Services = world["services"]
    busy_app = _invite(world, BUSY)
    sender = _sender(services)
    sender.send_pending()
    assert mailbox.tries[BUSY] == 1

    for attempt in range(2, MAX_ATTEMPTS + 1):
        wait = retry_delay(attempt - 1)
        assert wait is not None
        clock.advance(seconds=wait.total_seconds() - 1)
        sender.send_pending()
        assert mailbox.tries[BUSY] == attempt - 1, "retried before its time"
        clock.advance(seconds=1)
        sender.send_pending()
        assert mailbox.tries[BUSY] == attempt

    assert _status(services, BUSY)["status"] == "set_aside"
    clock.advance(days=30)
    sender.send_pending()
    assert mailbox.tries[BUSY] == MAX_ATTEMPTS  # never tried again
    [event] = _undelivered(services, busy_app)
    assert event["details"] == (
        f"invite to {BUSY} could not be delivered: 451 4.3.0 try later"
        f" (gave up after {MAX_ATTEMPTS} attempts)"
    )
    http = world["http"].login(ADMIN_EMAIL, "admin pass 12")  # a month later: a new session
    problem = http.developer(busy_app).json()["delivery_problem"]
    assert problem["reason"].startswith("451 4.3.0 try later")


def test_resend_invite_after_a_set_aside_delivers_and_clears_the_problem(
    world: dict[str, Any], mailbox: PickyMailbox
) -> None:
    services: Services = world["services"]
    gone_app = _invite(world, GONE)
    _sender(services).send_pending()
    http: AdminApi = world["http"]
    assert http.developer(gone_app).json()["delivery_problem"]["recipient"] == GONE

    del mailbox.refusals[GONE]  # the developer's mailbox exists now
    resent = http.resend_invite(gone_app)
    assert resent.status_code == 200, resent.text
    assert resent.json()["delivery_problem"] is None
    assert _sender(services).send_pending() == 1
    [invite] = mailbox.wait_for(GONE)
    assert "/portal/signup#invite=" in invite.get_body().get_content()  # type: ignore[union-attr]
    assert http.developer(gone_app).json()["delivery_problem"] is None


def test_a_set_aside_is_recorded_once_even_when_a_crashed_sender_had_recorded_it(
    world: dict[str, Any], mailbox: PickyMailbox
) -> None:
    services: Services = world["services"]
    gone_app = _invite(world, GONE)
    [row] = services.mail_outbox.pending(services.clock.now())
    # What a sender killed between recording the event and setting the row aside had done:
    assert services.commands.mail.record_undelivered_mail(
        row["position"], UUID(gone_app), "invite", GONE, "550 5.1.1 no such user"
    )
    assert _sender(services).send_pending() == 0
    assert _status(services, GONE)["status"] == "set_aside"
    assert len(_undelivered(services, gone_app)) == 1
    assert _sender(services).send_pending() == 0
    assert len(_undelivered(services, gone_app)) == 1


def test_a_message_that_cannot_be_built_is_set_aside_and_the_rest_go_out(
    world: dict[str, Any], mailbox: PickyMailbox
) -> None:
    services: Services = world["services"]
    # Not one plain address: a non-ASCII local part (no SMTPUTF8 here), a header injection.
    unicode_app = _stored_directly(world, "Unicode", "dév@x.example")
    injected_app = _stored_directly(world, "Injected", "dev@x.example\r\nBcc: evil@x.example")
    _invite(world, "after@x.example")

    assert _sender(services).send_pending() == 1
    mailbox.wait_for("after@x.example")
    for app_id in (unicode_app, injected_app):
        [event] = _undelivered(services, app_id)
        assert "could not be delivered: the message could not be built" in event["details"]
        problem = world["http"].developer(app_id).json()["delivery_problem"]
        assert problem["reason"].startswith("the message could not be built")
    assert "evil@x.example" not in mailbox.envelope_recipients
    assert mailbox.tries["evil@x.example"] == 0


def test_an_app_name_cannot_add_a_header_to_the_invite(
    world: dict[str, Any], mailbox: PickyMailbox
) -> None:
    services: Services = world["services"]
    _stored_directly(world, "Evil\r\nBcc: evil@x.example\r\nX-Evil: 1", "dev@x.example")

    assert _sender(services).send_pending() == 1
    [invite] = mailbox.wait_for("dev@x.example")
    assert invite["Bcc"] is None and invite["X-Evil"] is None
    assert invite["Subject"] == (
        "You are invited to the Developer Portal for Evil Bcc: evil@x.example X-Evil: 1"
    )
    assert mailbox.envelope_recipients == ["dev@x.example"]


OLD_OUTBOX = (
    "CREATE TABLE mail_outbox (position BIGINT PRIMARY KEY, kind TEXT NOT NULL, "
    "app_id TEXT NOT NULL, recipient TEXT NOT NULL, data TEXT NOT NULL, status TEXT NOT NULL, "
    "created_at TEXT NOT NULL, sent_at TEXT)"
)
OLD_ROW = (
    "INSERT INTO mail_outbox (position, kind, app_id, recipient, data, status, created_at) "
    "VALUES (1000000, 'access_revoked', '00000000-0000-0000-0000-000000000001', "
    "'old@x.example', '{}', 'pending', '2026-01-01T00:00:00.000000+00:00')"
)


def _run_sql(database_url: str, *statements: str) -> None:
    """Straight to the database, as an older release left it."""
    if database_url.startswith("sqlite:///"):
        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as conn, conn:
            for statement in statements:
                conn.execute(statement)
        return
    with psycopg.connect(database_url, autocommit=True) as pg:
        for statement in statements:
            pg.execute(statement)


def test_an_outbox_from_before_the_retries_gets_its_columns_and_its_pending_mail_goes(
    make_settings: Any, clock: FakeClock, mailbox: PickyMailbox, database_url: str
) -> None:
    # (On PostgreSQL earlier tests' tables remain, emptied: an old outbox replaces them.)
    drop = ("DROP TABLE IF EXISTS mail_outbox", "DROP TABLE IF EXISTS mail_apps")
    _run_sql(database_url, *drop, OLD_OUTBOX, OLD_ROW)
    settings = make_settings(SMTP_HOST="127.0.0.1", SMTP_PORT=str(mailbox.port))
    services = build_services(settings, clock=clock)
    try:
        services.start_projections()
        seeded_group(services)
        assert _sender(services).send_pending() == 1
    finally:
        services.close()
    [message] = mailbox.wait_for("old@x.example")
    assert "revoked" in message["Subject"]

    restarted = build_services(settings, clock=clock)  # finds the columns there already
    try:
        assert _sender(restarted).send_pending() == 0
        assert _status(restarted, "old@x.example")["status"] == "sent"
    finally:
        restarted.close()
