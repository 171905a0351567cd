"""Which event calls for which e-mail: the one place that decides, without sending anything.

The mail outbox (projections/mail_outbox.py) stores what `mail_for` returns, one row per
event, in the event's transaction. What a message says is workers/mail_templates.py's.
No secret goes in `data`: links and codes are derived from the ids in it when rendering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from domain.apps import IntegrationApp
from domain.catalog import MANAGED_TYPES
from domain.developers import Signup
from domain.ecosystem import Listing


class MailKind(StrEnum):
    INVITE = "invite"
    APP_LINKED = "app_linked"
    SIGNUP_CODE = "signup_code"
    OTP_RESET = "otp_reset"
    ACCESS_REVOKED = "access_revoked"
    TEAM_NEW_APP = "team_new_app"
    SECRET_ENDED = "secret_ended"
    SECRET_EXPIRING = "secret_expiring"
    LISTING_PUBLISHED = "listing_published"
    LISTING_REJECTED = "listing_rejected"
    PARTNER_DELISTED = "partner_delisted"


# Recipients known only later: the team's address comes from the settings when the mail
# is rendered, and so do the group's Integration Admins (practice admins and users with the
# manage permission, as the directory has them then); the app's developer is whoever is
# linked to it when the event is stored. One message may go to several (`recipients`).
TEAM = "@team"
APP_DEVELOPER = "@developer"
GROUP_ADMINS = "@admins"
# How an outbox row lists several recipients (no e-mail address holds a comma unquoted,
# and the renderer refuses a quoted one).
RECIPIENT_SEPARATOR = ","


@dataclass(frozen=True)
class Mail:
    kind: MailKind
    app_id: str
    recipient: str  # an address, or one of the markers above; more in `also_to`
    data: dict[str, Any] = field(default_factory=dict)
    also_to: tuple[str, ...] = ()

    @property
    def recipients(self) -> tuple[str, ...]:
        return (self.recipient, *self.also_to)


def _moment(moment: datetime | None) -> str | None:
    # As the views write time (projections.view.iso), which the templates read back.
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="microseconds")


def mail_for(event: object) -> Mail | None:
    """The e-mail `event` calls for, or None."""
    match event:
        case IntegrationApp.Created() if event.app_type in MANAGED_TYPES:
            data = {
                "type": event.app_type,
                "preset": event.preset,
                "requested_by": event.actor["name"],
                "entities": len(event.entity_ids),
            }
            return Mail(MailKind.TEAM_NEW_APP, str(event.originator_id), TEAM, data)
        case IntegrationApp.DeveloperLinked():
            # A developer with a portal account needs no invite, only the news.
            kind = MailKind.APP_LINKED if event.signed_up else MailKind.INVITE
            return Mail(kind, str(event.originator_id), event.email, _invite(event))
        case IntegrationApp.InviteResent():
            return Mail(MailKind.INVITE, str(event.originator_id), APP_DEVELOPER, _invite(event))
        case IntegrationApp.OtpReset():
            data = {"expires_at": _moment(event.otp_expires_at)}
            return Mail(MailKind.OTP_RESET, str(event.originator_id), APP_DEVELOPER, data)
        case IntegrationApp.DeveloperAccessRevoked():
            return Mail(MailKind.ACCESS_REVOKED, str(event.originator_id), event.email)
        case IntegrationApp.SecretsEnded():
            # The other party learns of it: the admins when the developer ended it, and
            # the developer (who must generate a new secret) when an admin did.
            by_developer = event.actor.get("type") == "developer"
            data = {"ended_by": event.actor.get("name"), "by_developer": by_developer}
            recipient = GROUP_ADMINS if by_developer else APP_DEVELOPER
            return Mail(MailKind.SECRET_ENDED, str(event.originator_id), recipient, data)
        case IntegrationApp.SecretExpiryWarned():
            data = {"days": event.days, "expires_at": _moment(event.expires_at)}
            return Mail(
                MailKind.SECRET_EXPIRING,
                str(event.originator_id),
                APP_DEVELOPER,
                data,
                also_to=(GROUP_ADMINS,),
            )
        case Listing.Approved():
            return Mail(MailKind.LISTING_PUBLISHED, str(event.app_id), GROUP_ADMINS)
        case Listing.Rejected():
            data = {"reason": event.reason}
            return Mail(MailKind.LISTING_REJECTED, str(event.app_id), GROUP_ADMINS, data)
        case IntegrationApp.PartnerDelisted():
            data = {"reason": event.reason, "revoked": event.revoked}
            return Mail(MailKind.PARTNER_DELISTED, str(event.originator_id), GROUP_ADMINS, data)
        case Signup.Started() | Signup.CodeReissued():
            data = {"challenge_id": event.challenge_id, "expires_at": _moment(event.expires_at)}
            return Mail(MailKind.SIGNUP_CODE, str(event.app_id), event.email, data)
    return None


def _invite(event: IntegrationApp.DeveloperLinked | IntegrationApp.InviteResent) -> dict[str, Any]:
    return {"invite_id": event.invite_id, "expires_at": _moment(event.invite_expires_at)}
