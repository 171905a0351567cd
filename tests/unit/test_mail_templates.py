"""What a rendered e-mail reads like to a mail client: headers and text as written, whatever
the characters, and a value that cannot be encoded refused before any server is contacted."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast

import pytest

from config.settings import Settings
from domain.credentials import InviteTokens, SignupCodes
from workers.mail_templates import MailRenderer, UnsendableMessage

SECRET = "unit-secret-key"


def _renderer(mail_from: str) -> MailRenderer:
    settings = Settings.from_env({"SECRET_KEY": SECRET, "MAIL_FROM": mail_from})
    return MailRenderer(settings, InviteTokens(SECRET), SignupCodes(SECRET))


def _row(app_name: str) -> dict[str, Any]:
    return {
        "position": 42,
        "kind": "access_revoked",
        "recipient": "dev@x.example",
        "app_name": app_name,
        "data": {},
    }


def _read(data: bytes) -> EmailMessage:
    return cast(EmailMessage, message_from_bytes(data, policy=policy.default))


@pytest.mark.parametrize(
    "app_name", ["Plain ASCII app", "Café Ünïcode ✓ 会計", "x" * 120 + " long " + "é" * 90]
)
def test_a_client_reads_back_exactly_what_was_written(app_name: str) -> None:
    mail = _renderer("Intégrations <no-reply@x.example>").render(_row(app_name))
    message = _read(mail.data)
    assert message["From"].addresses[0].display_name == "Intégrations"
    assert message["From"].addresses[0].addr_spec == "no-reply@x.example"
    assert message["To"] == mail.recipient == "dev@x.example"
    assert message["Message-ID"] == mail.message_id == "<42.access_revoked@integrations.invalid>"
    assert app_name in str(message["Subject"])
    text = message.get_body(preferencelist=("plain",))
    assert text is not None and f'"{app_name}"' in text.get_content()
    lines = mail.data.split(b"\r\n")
    assert all(len(line) <= 998 and b"\n" not in line for line in lines)
    assert mail.data.isascii()  # nothing needs an 8-bit-clean server


def test_a_value_that_cannot_be_encoded_fails_while_rendering() -> None:
    with pytest.raises(UnicodeError):
        _renderer("no-reply@x.example").render(_row("lone \udcff surrogate"))


def test_a_warning_goes_as_one_message_to_the_developer_and_the_groups_admins() -> None:
    settings = Settings.from_env({"SECRET_KEY": SECRET, "MAIL_FROM": "no-reply@x.example"})
    admins = {"app-1": ["admin@x.example", "dev@x.example", "manager@x.example"]}
    renderer = MailRenderer(
        settings, InviteTokens(SECRET), SignupCodes(SECRET), lambda app_id: admins.get(app_id, [])
    )
    row = {
        "position": 7,
        "kind": "secret_expiring",
        "app_id": "app-1",
        "recipient": "dev@x.example,@admins",
        "app_name": "Payroll Feed",
        "data": {"days": 7, "expires_at": "2027-01-01T00:00:00.000000+00:00"},
    }
    mail = renderer.render(row)
    # Each address once, the developer first; one message, so one Message-ID for all.
    assert mail.recipients == ("dev@x.example", "admin@x.example", "manager@x.example")
    message = _read(mail.data)
    assert message["To"] == "dev@x.example, admin@x.example, manager@x.example"
    assert str(message["Subject"]) == "The client secret of Payroll Feed expires in 7 days"
    text = message.get_body(preferencelist=("plain",))
    assert text is not None and "2027-01-01" in text.get_content()
    # A group with no admin left: the developer is still warned; a notice meant for the
    # admins alone has no one to go to, and is set aside with the reason.
    assert renderer.render({**row, "app_id": "app-2"}).recipients == ("dev@x.example",)
    alone = {**row, "app_id": "app-2", "kind": "secret_ended", "recipient": "@admins"}
    with pytest.raises(UnsendableMessage, match="no Integration Admin"):
        renderer.render({**alone, "data": {"by_developer": True, "ended_by": "dev@x.example"}})
    assert renderer.recipient(alone) == "@admins"
