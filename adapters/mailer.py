"""Delivery of one message in two phases, so a crash never sends it twice.

`prepare` hands the whole message over except its end (SMTP: everything but the final
"."; files: a temporary name). The sender then records the message as sent and commits, and
only then `finish` ends it. A crash before the commit leaves the server with an unfinished
message, which it discards, and the row pending, so the restart sends it once. The only gap
is the instant between the commit and the final write.
"""

from __future__ import annotations

import os
import re
import smtplib
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from config.settings import Settings


class MailError(Exception):
    """The server refused the message (MAIL, RCPT, DATA or its end), with its reply."""

    def __init__(self, code: int, reply: bytes | str) -> None:
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
        super().__init__(f"{code} {' '.join(text.split())}".strip())
        self.code = code

    @property
    def permanent(self) -> bool:
        """5xx: the server will never take this message (RFC 5321 4.2.1); 4xx: try later."""
        return 500 <= self.code <= 599


@dataclass(frozen=True)
class Mail:
    """A message as it goes out (encoded once, lines ending CRLF), and its envelope."""

    recipients: tuple[str, ...]
    message_id: str
    data: bytes

    @property
    def recipient(self) -> str:
        return ", ".join(self.recipients)


class Delivery(Protocol):
    def finish(self) -> None: ...


class Mailer(Protocol):
    def prepare(self, mail: Mail) -> AbstractContextManager[Delivery]: ...


def _wire_bytes(mail: Mail) -> bytes:
    data = re.sub(rb"(?m)^\.", b"..", mail.data)  # dot-stuffing (RFC 5321 4.5.2)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


class _SmtpDelivery:
    def __init__(self, smtp: smtplib.SMTP) -> None:
        self.smtp = smtp
        self.finished = False

    def finish(self) -> None:
        self.smtp.send(b".\r\n")
        code, reply = self.smtp.getreply()
        if code != 250:
            raise MailError(code, reply)
        self.finished = True


class SmtpMailer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @contextmanager
    def prepare(self, mail: Mail) -> Iterator[Delivery]:
        s = self.settings
        smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=30)
        delivery = _SmtpDelivery(smtp)
        try:
            smtp.ehlo()
            if s.smtp_starttls:
                smtp.starttls()
                smtp.ehlo()
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password)
            self._expect(smtp.mail(s.mail_from), 250)
            for recipient in mail.recipients:  # one message: all or none take it
                self._expect(smtp.rcpt(recipient), 250, 251)
            self._expect(smtp.docmd("DATA"), 354)
            smtp.send(_wire_bytes(mail))
            yield delivery
        finally:
            if delivery.finished:
                smtp.quit()
            else:
                smtp.close()  # drop the connection: the server discards the unfinished message

    @staticmethod
    def _expect(reply: tuple[int, bytes], *codes: int) -> None:
        if reply[0] not in codes:
            raise MailError(*reply)


class _FileDelivery:
    def __init__(self, temporary: Path, final: Path) -> None:
        self.temporary, self.final = temporary, final
        self.finished = False

    def finish(self) -> None:
        os.replace(self.temporary, self.final)
        self.finished = True


class DirectoryMailer:
    """Without SMTP_HOST: each message becomes MAIL_DIR/<message id>.eml."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)

    @contextmanager
    def prepare(self, mail: Mail) -> Iterator[Delivery]:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9._-]", "_", mail.message_id.strip("<>"))
        final = self.directory / f"{name}.eml"
        temporary = final.with_suffix(".eml.partial")
        temporary.write_bytes(mail.data)
        delivery = _FileDelivery(temporary, final)
        try:
            yield delivery
        finally:
            if not delivery.finished:
                temporary.unlink(missing_ok=True)


def mailer_for(settings: Settings) -> Mailer:
    return SmtpMailer(settings) if settings.smtp_host else DirectoryMailer(settings.mail_dir)
