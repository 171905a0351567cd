"""MailHandler: a message set aside is recorded once, on one printable line, without secrets."""

from __future__ import annotations

from uuid import uuid4

from domain.mail_delivery import UndeliveredMail
from tests.unit.conftest import Domain


def test_an_undelivered_message_is_recorded_once(domain: Domain) -> None:
    mail, app_id = domain.commands.mail, uuid4()
    reply = "550 5.1.1 <dev@example.com>:\r\n  user unknown\x00\tbye"
    assert mail.record_undelivered_mail(41, app_id, "invite", "dev@example.com", reply)
    recorded = domain.store.get(UndeliveredMail.create_id(41), UndeliveredMail)
    assert (recorded.app_id, recorded.kind, recorded.recipient) == (
        app_id,
        "invite",
        "dev@example.com",
    )
    assert recorded.reason == "550 5.1.1 <dev@example.com>: user unknown bye"
    event = domain.store.events_of(recorded.id)[0]
    assert event.actor == {"type": "system", "id": "mail-notifier", "name": "mail-notifier"}
    head = domain.store.head()
    # A second sender giving up on the same message (or a retry after a crash): not again.
    assert not mail.record_undelivered_mail(41, app_id, "invite", "dev@example.com", "timeout")
    assert domain.store.head() == head
    assert domain.store.get(recorded.id, UndeliveredMail).reason == recorded.reason
    # Another message is another record.
    assert mail.record_undelivered_mail(42, app_id, "otp_reset", "dev@example.com", "timeout")
    assert domain.store.head() > head


def test_a_long_reply_is_cut_to_300_characters(domain: Domain) -> None:
    domain.commands.mail.record_undelivered_mail(7, uuid4(), "invite", "d@example.com", "x" * 5000)
    recorded = domain.store.get(UndeliveredMail.create_id(7), UndeliveredMail)
    assert recorded.reason == "x" * 300
