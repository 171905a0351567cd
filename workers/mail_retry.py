"""When a message that failed is tried again, and when it is set aside for good."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from adapters.mailer import MailError

# Eight attempts, the waits doubling from 10 minutes: the last one comes about 21 hours
# after the first. Long enough to ride out a mail server's restart, a full mailbox or a night
# of greylisting; short enough that an admin learns within a day that an invite (valid three
# days) never arrived, and can still fix the address and resend it.
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=10)


def retry_delay(failed_attempts: int) -> timedelta | None:
    """The wait after the `failed_attempts`-th failure, or None when that was the last.

    No jitter: each message has its own schedule, which already spreads the retries of
    messages that failed at different times.
    """
    if failed_attempts >= MAX_ATTEMPTS:
        return None
    return FIRST_RETRY * 2 ** (failed_attempts - 1)


def one_line(text: str, limit: int = 300) -> str:
    """A reason on one short printable line (servers send multi-line replies)."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())[:limit]


@dataclass(frozen=True)
class Failure:
    reason: str
    permanent: bool


def failure_of(error: BaseException) -> Failure:
    """A server's 5xx to MAIL, RCPT, DATA or the final "." is for good; anything else
    (4xx, refused or reset connections, timeouts, a failed login) may pass, and is retried."""
    if isinstance(error, MailError):
        return Failure(one_line(str(error)), error.permanent)
    return Failure(one_line(f"{type(error).__name__}: {error}").rstrip(":"), permanent=False)
