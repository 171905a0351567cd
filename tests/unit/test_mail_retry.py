"""The retry schedule of one e-mail, which failures are for good, and header-safe values."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from itertools import pairwise

import pytest

from adapters.mailer import MailError
from workers.mail_retry import FIRST_RETRY, MAX_ATTEMPTS, failure_of, retry_delay
from workers.mail_templates import UnsendableMessage, header_text, single_address


def test_the_waits_double_and_the_last_attempt_comes_within_a_day() -> None:
    waits = [w for w in (retry_delay(n) for n in range(1, MAX_ATTEMPTS)) if w is not None]
    assert len(waits) == MAX_ATTEMPTS - 1
    assert waits[0] == FIRST_RETRY == timedelta(minutes=10)
    assert all(later == 2 * earlier for earlier, later in pairwise(waits))
    assert timedelta(hours=12) < sum(waits, timedelta()) < timedelta(days=1)


def test_after_the_last_attempt_there_is_no_retry() -> None:
    assert retry_delay(MAX_ATTEMPTS - 1) is not None
    assert retry_delay(MAX_ATTEMPTS) is None
    assert retry_delay(MAX_ATTEMPTS + 3) is None


@pytest.mark.parametrize(
    ("error", "permanent", "reason"),
    [
        (MailError(550, b"5.1.1 no such user"), True, "550 5.1.1 no such user"),
        (MailError(554, b"5.7.1 rejected\n  by policy"), True, "554 5.7.1 rejected by policy"),
        (MailError(451, b"4.3.0 try later"), False, "451 4.3.0 try later"),
        (ConnectionRefusedError(111, "Connection refused"), False, "ConnectionRefusedError"),
        (TimeoutError("timed out"), False, "TimeoutError: timed out"),
        (smtplib.SMTPServerDisconnected("gone"), False, "SMTPServerDisconnected: gone"),
        (smtplib.SMTPAuthenticationError(535, b"bad login"), False, "SMTPAuthenticationError"),
    ],
)
def test_only_a_5xx_reply_to_the_message_is_for_good(
    error: Exception, permanent: bool, reason: str
) -> None:
    failure = failure_of(error)
    assert failure.permanent is permanent
    assert failure.reason.startswith(reason)


def test_header_text_is_one_line_whatever_the_value() -> None:
    assert header_text("Evil\r\nBcc: evil@x.example") == "Evil Bcc: evil@x.example"
    assert header_text("a\x00b\x1bc\u2028d\u202ee") == "a b c d e"
    assert header_text("Café Ünïcode ✓") == "Café Ünïcode ✓"


@pytest.mark.parametrize(
    "recipient",
    [
        "dev@x.example\r\nBcc: evil@x.example",
        "dev@x.example, evil@x.example",
        "a,evil@x.example",
        "Evil <evil@x.example>",
        "dév@x.example",
        "dev(comment)@x.example",
        "",
    ],
)
def test_a_recipient_must_be_exactly_one_plain_address(recipient: str) -> None:
    with pytest.raises(UnsendableMessage):
        single_address(recipient)


def test_a_plain_address_is_taken_as_it_is() -> None:
    assert single_address("dev.one+tag@x.example").addr_spec == "dev.one+tag@x.example"
