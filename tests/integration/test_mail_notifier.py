"""The mail notifier sends exactly one e-mail per event, across crashes and restarts."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from adapters.mailer import mailer_for
from composition.root import Services, build_services
from domain.actor import Actor
from domain.commands import CreateApp
from entrypoints.cli import bootstrap_group
from tests.mailbox import Mailbox
from tests.support import FakeClock
from workers.mail_sender import MailSender
from workers.mail_templates import MailRenderer

CRASHING_SENDER = textwrap.dedent("""
    import os, signal
    from composition.root import build_services
    from config.settings import Settings

    services = build_services(Settings.from_env())
    from workers.mail_sender import MailSender
    from workers.mail_templates import MailRenderer
    from adapters.mailer import mailer_for

    sender = MailSender(services.mail_outbox, mailer_for(services.settings),
                        MailRenderer(services.settings, services.invites, services.signup_codes),
                        services.clock, services.commands.mail)
    # Killed after the whole message went to the server, before "sent" is committed.
    sender.before_commit = lambda row: os.kill(os.getpid(), signal.SIGKILL)
    sender.send_pending()
""")


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox().start()
    yield box
    box.stop()


def _sender(services: Services) -> MailSender:
    renderer = MailRenderer(services.settings, services.invites, services.signup_codes)
    mailer = mailer_for(services.settings)
    undelivered = services.commands.mail
    return MailSender(services.mail_outbox, mailer, renderer, services.clock, undelivered)


def _admin_creates_apps(services: Services, count: int) -> list[str]:
    ids = bootstrap_group(
        services, "Group", [("E1", "Entity")], "admin@g.example", "admin password 1"
    )
    admin = Actor(
        type="admin",
        id=ids["admin_id"],
        name="admin@g.example",
        group_id=UUID(str(ids["group_id"])),
        role="practice_admin",
    )
    emails = [f"dev{n}@example.com" for n in range(count)]
    for n, email in enumerate(emails):
        services.commands.apps.create_app(
            admin,
            CreateApp(
                **{
                    "type": "new_integration",
                    "name": f"Mail app {n}",
                    "description": "d",
                    "category": "crm",
                    "api_permission": "read",
                    "developer_email": email,
                    "entity_ids": list(ids["entities"].values()),
                }
            ),
        )
    services.wait_until_current("mail_outbox")  # the outbox has their invites
    return emails


@pytest.fixture
def notifier(
    make_settings: Any, clock: FakeClock, mailbox: Mailbox, database_url: str
) -> Iterator[dict[str, Any]]:
    env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(mailbox.port)}
    services = build_services(make_settings(**env), clock=clock)
    services.start_projections()  # the outbox fills; nothing sends until a test says so
    yield {"services": services, "env": env}
    services.close()


def test_a_sender_killed_after_handing_over_loses_nothing_and_sends_once(
    notifier: dict[str, Any], mailbox: Mailbox, database_url: str, tmp_path: Path
) -> None:
    services: Services = notifier["services"]
    emails = _admin_creates_apps(services, 3)
    env = {
        **os.environ,
        **notifier["env"],
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "BASE_URL": "http://testserver",
    }
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_SENDER],
        env=env,
        cwd=Path(__file__).parents[2],
        timeout=60,
        capture_output=True,
    )
    assert crashed.returncode == -9, crashed.stderr.decode()[-2000:]
    assert mailbox.messages == []  # the server discarded the unfinished message

    restarted = _sender(services)
    assert restarted.send_pending() == 3
    for email in emails:
        assert len(mailbox.wait_for(email)) == 1
    assert _sender(services).send_pending() == 0  # another restart sends nothing again
    assert len(mailbox.messages) == 3
    statuses = [row["status"] for row in services.mail_outbox.all_messages()]
    assert statuses == ["sent"] * 3


def test_a_crash_before_handing_over_is_retried(notifier: dict[str, Any], mailbox: Mailbox) -> None:
    services: Services = notifier["services"]
    [email] = _admin_creates_apps(services, 1)
    flaky = _sender(services)

    def crash(row: dict[str, Any]) -> None:
        raise ConnectionResetError("simulated crash before commit")

    flaky.before_commit = crash
    with pytest.raises(ConnectionResetError):
        flaky.send_pending()
    assert mailbox.messages == []
    assert _sender(services).send_pending() == 1
    assert len(mailbox.wait_for(email)) == 1


def test_the_running_worker_delivers_each_mail_once(
    notifier: dict[str, Any], mailbox: Mailbox
) -> None:
    services: Services = notifier["services"]
    services.start_mail()
    emails = _admin_creates_apps(services, 4)
    for email in emails:
        [message] = mailbox.wait_for(email)
        assert "invited" in message["Subject"]
    services.mail_sender.stop()  # type: ignore[union-attr]
    services.start_mail()  # a restart finds nothing left to send
    assert _sender(services).send_pending() == 0
    assert len(mailbox.messages) == 4


def test_without_smtp_host_each_mail_is_one_eml_file(
    make_settings: Any, clock: FakeClock, tmp_path: Path
) -> None:
    settings = make_settings(MAIL_DIR=str(tmp_path / "outbox"))
    services = build_services(settings, clock=clock)
    services.start_projections()
    try:
        _admin_creates_apps(services, 2)
        assert _sender(services).send_pending() == 2
        assert _sender(services).send_pending() == 0
        files = sorted((tmp_path / "outbox").glob("*.eml"))
        assert len(files) == 2
        assert all(
            "dev" in f.read_text() and "/portal/signup#invite=" in f.read_text() for f in files
        )
        assert not list((tmp_path / "outbox").glob("*.partial"))
    finally:
        services.close()
