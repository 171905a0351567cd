"""The e-mails the product sends, rendered from outbox rows (plain text, no OTP ever)."""

from __future__ import annotations

from collections.abc import Callable
from email import charset, policy
from email.header import Header
from email.headerregistry import Address
from email.message import Message
from email.utils import formataddr, formatdate, parseaddr
from typing import Any

from adapters.mailer import Mail
from config.settings import Settings
from domain.credentials import InviteTokens, SignupCodes
from domain.mail_policy import GROUP_ADMINS, RECIPIENT_SEPARATOR, TEAM

SIGNATURE = "\n\n-- \nIntegration Applications\n"
# The message is built with the email package's compat32 classes, not EmailMessage: the
# latter parses every header it is given back through its header registry, which made
# building a message about 5 times slower (0.5 ms), a fifth of the worker's CPU per command.
WIRE = policy.compat32.clone(linesep="\r\n")
PLAIN = charset.Charset("us-ascii")  # ASCII text goes out as it is (7bit) ...
QUOTED = charset.Charset("utf-8")  # ... anything else quoted-printable, safe on any server
QUOTED.body_encoding = charset.QP
LONGEST_LINE = 998  # RFC 5322 2.1.1


class UnsendableMessage(ValueError):
    """The message cannot be built as it stands: no retry would ever send it."""


def header_text(value: str) -> str:
    """Text for a header such as Subject, on one line: CR, LF and every other control or
    invisible formatting character become a space, so no value can start a header of its own
    (e.g. an app name carrying "\\r\\nBcc: ...")."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())


def single_address(recipient: str) -> Address:
    """The recipient as exactly one plain ASCII address, or refused: a value that would parse
    as several addresses, carry a display name or a line break never reaches a header."""
    try:
        address = Address(addr_spec=recipient)
    except Exception as error:  # the email package raises several kinds of parse errors
        raise UnsendableMessage(f"the recipient is not one e-mail address ({error})") from None
    if address.addr_spec != recipient or not recipient.isascii() or not recipient.isprintable():
        raise UnsendableMessage("the recipient is not one plain ASCII e-mail address")
    return address


def _header(text: str) -> str | Header:
    """ASCII as it is; anything else encoded as RFC 2047 words."""
    return text if text.isascii() else Header(text, "utf-8")


class MailRenderer:
    def __init__(
        self,
        settings: Settings,
        invites: InviteTokens,
        codes: SignupCodes,
        admins_of: Callable[[str], list[str]] = lambda app_id: [],
    ) -> None:
        self.settings = settings
        self.invites = invites
        self.codes = codes
        self.admins_of = admins_of  # app id -> its group's Integration Admins' addresses

    def render(self, row: dict[str, Any]) -> Mail:
        data, app = row["data"], row.get("app_name") or "your application"
        subject, body = getattr(self, f"_{row['kind']}")(app, data)
        recipients = tuple(single_address(r).addr_spec for r in self.recipients(row))
        # Stable per event: a re-delivery is recognisable as the same message.
        message_id = f"<{row['position']}.{row['kind']}@integrations.invalid>"
        message = Message()
        message["From"] = formataddr(parseaddr(self.settings.mail_from), charset="utf-8")
        message["To"] = ", ".join(recipients)
        # compat32 takes a Header for a value to encode (typeshed knows only str).
        message["Subject"] = _header(header_text(subject))  # type: ignore[assignment]
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = message_id
        message["X-Integrations-Kind"] = row["kind"]
        message["MIME-Version"] = "1.0"
        text = body + SIGNATURE
        plain = text.isascii() and all(len(line) <= LONGEST_LINE for line in text.splitlines())
        message.set_payload(text, PLAIN if plain else QUOTED)
        # Encoded now, and once: a value Python refuses (a lone surrogate) fails here, before
        # any server is contacted, rather than halfway through the SMTP dialogue.
        return Mail(recipients, message_id, message.as_bytes(policy=WIRE))

    def recipients(self, row: dict[str, Any]) -> list[str]:
        """The row's addresses, the markers resolved now (domain.mail_policy), each once."""
        found: list[str] = []
        for recipient in str(row["recipient"]).split(RECIPIENT_SEPARATOR):
            if recipient == TEAM:
                found.append(self.settings.team_email)
            elif recipient == GROUP_ADMINS:
                found += self.admins_of(str(row["app_id"]))
            elif recipient:
                found.append(recipient)
        if not found:  # e.g. only the admins, and the group has none left
            raise UnsendableMessage("there is no one to send it to (no Integration Admin?)")
        return list(dict.fromkeys(found))

    def recipient(self, row: dict[str, Any]) -> str:
        """Who the row is for, as the activity log names them."""
        try:
            return ", ".join(self.recipients(row))
        except UnsendableMessage:
            return str(row["recipient"])

    def _invite(self, app: str, data: dict[str, Any]) -> tuple[str, str]:
        token = self.invites.token_for(data["invite_id"])
        # In the fragment, not the query: browsers never send a fragment to the server, so
        # the token cannot end up in an access log or a proxy's log.
        link = f"{self.settings.base_url}/portal/signup#invite={token}"
        return (
            f"You are invited to the Developer Portal for {app}",
            (
                f'You have been named the developer of the integration application "{app}".\n\n'
                f"Sign up to the Developer Portal to get its credentials:\n{link}\n\n"
                f"The link is valid until {data['expires_at']}. Your admin will give you a one-time"
                " password (OTP) by another channel, such as SMS or phone; you need it to verify"
                " the application in the portal."
            ),
        )

    def _app_linked(self, app: str, data: dict[str, Any]) -> tuple[str, str]:
        return (
            f"A new application was linked to you: {app}",
            (
                f'The integration application "{app}" was linked to your Developer Portal'
                f" account.\n\nLog in at {self.settings.base_url}/portal/ and verify it with the"
                " one-time password (OTP) your admin gives you by another channel."
            ),
        )

    def _signup_code(self, app: str, data: dict[str, Any]) -> tuple[str, str]:
        code = self.codes.code_for(data["challenge_id"])
        return (
            "Your Developer Portal verification code",
            (
                f"Your verification code is {code}\n\nIt is valid for 15 minutes"
                f" (until {data['expires_at']}). If you did not ask for it, ignore this e-mail."
            ),
        )

    def _otp_reset(self, app: str, data: dict[str, Any]) -> tuple[str, str]:
        return (
            f"The one-time password for {app} was reset",
            (
                f'Your admin reset the one-time password (OTP) of "{app}". They will give you'
                " the new OTP by another channel, such as SMS or phone; it is never sent by"
                f" e-mail. It is valid until {data['expires_at']}."
            ),
        )

    def _access_revoked(self, app: str, data: dict[str, Any]) -> tuple[str, str]:
        return (
            f"Your access to {app} was revoked",
            (
                f'Your access to "{app}" in the Developer Portal was revoked by its admin.'
                " The application no longer appears in your portal."
            ),
        )

    def _secret_ended(self, app: str, data: dict[str, Any]) -> tuple[str, str]:
        if data.get("by_developer"):
            return (
                f"The developer ended the client secret of {app}",
                (
                    f'{data.get("ended_by")}, the developer of "{app}", ended its client secret'
                    " at once in the Developer Portal. The tokens obtained with it stopped"
                    " working; the integration runs again once they generate a new secret."
                ),
            )
        return (
            f"The client secret of {app} was ended",
            (
                f'Your admin ended the client secret of "{app}" at once. The tokens obtained'
                " with it stopped working. Log in at"
                f" {self.settings.base_url}/portal/ to generate a new secret."
            ),
        )

    def _secret_expiring(self, app: str, data: dict[str, Any]) -> tuple[str, str]:
        days = int(data["days"])
        when = "tomorrow" if days == 1 else f"in {days} days"
        return (
            f"The client secret of {app} expires {when}",
            (
                f'The client secret of "{app}" expires {when}, at {data["expires_at"]}.'
                " After that the integration can no longer obtain access tokens with it.\n\n"
                f"The developer generates a new secret at {self.settings.base_url}/portal/"
                " (the old one keeps working for 24 hours, to switch without downtime), or"
                " switches the application to private_key_jwt."
            ),
        )

    def _listing_published(self, app: str, data: dict[str, Any]) -> tuple[str, str]:
        return (
            f"{app} is now in the integration ecosystem",
            (
                f'The listing of "{app}" was approved: AIQ customers on AIQ3 can now find and'
                " install it. Each installation links your application's developer, who"
                " verifies it in the Developer Portal with the OTP the installing admin gives."
            ),
        )

    def _listing_rejected(self, app: str, data: dict[str, Any]) -> tuple[str, str]:
        return (
            f"The listing of {app} was not approved",
            (
                f'The listing of "{app}" was not approved for the integration ecosystem.\n\n'
                f"The reason given: {data['reason']}\n\nYou can change the listing and submit"
                " it again from the application's page."
            ),
        )

    def _partner_delisted(self, app: str, data: dict[str, Any]) -> tuple[str, str]:
        then = (
            "The installation was revoked: the integration no longer works."
            if data.get("revoked")
            else "Your installation goes on working."
        )
        return (
            f"The partner integration {app} was delisted",
            (
                f'The partner integration you installed as "{app}" was taken out of the'
                f" integration ecosystem.\n\nThe reason given: {data['reason']}\n\n{then}"
            ),
        )

    def _team_new_app(self, app: str, data: dict[str, Any]) -> tuple[str, str]:
        return (
            f"New {data['type']} application requested: {app}",
            (
                f'{data["requested_by"]} created the {data["type"]} application "{app}"'
                f" (preset {data['preset']}) for {data['entities']} entities."
                " Please pick it up."
            ),
        )
