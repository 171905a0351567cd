"""The one event-sourced application: every command of the product is a method here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Recording
from eventsourcing.utils import EnvType

from domain.credentials import InviteTokens, OtpDigests, SignupCodes
from domain.errors import ConcurrentChangeError
from domain.ports import Clock, OtpGenerator, PasswordHasher, PasswordStrength, SystemClock
from domain.usecases.accounting import AccountingUseCases
from domain.usecases.applications import ApplicationUseCases
from domain.usecases.directory import DirectoryUseCases
from domain.usecases.mail import MailUseCases
from domain.usecases.oauth import OAuthUseCases
from domain.usecases.portal import PortalUseCases


class IntegrationsApplication(
    ApplicationUseCases,
    PortalUseCases,
    OAuthUseCases,
    AccountingUseCases,
    DirectoryUseCases,
    MailUseCases,
):
    name = "Integrations"

    def __init__(
        self,
        env: EnvType | None = None,
        *,
        passwords: PasswordHasher,
        password_strength: PasswordStrength,
        new_otp: OtpGenerator,
        invites: InviteTokens,
        signup_codes: SignupCodes | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(env)
        self.clock = clock or SystemClock()
        self.passwords = passwords
        self.password_strength = password_strength
        self.new_otp = new_otp
        self.invites = invites
        self.signup_codes = signup_codes or SignupCodes(invites.key)
        self.otps = OtpDigests(invites.key)
        # Set by the composition root: blocks until the read models have caught up with a
        # position, so a command returns only when the caller's next read reflects it.
        self.after_save: Callable[[int], None] | None = None

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        # Audit-only writes (refused calls) pass wait_for_views=False: nothing reads them next.
        wait = kwargs.pop("wait_for_views", True)
        try:
            recordings = super().save(*objs, **kwargs)
        except IntegrityError as error:
            raise ConcurrentChangeError(
                "someone else changed this at the same time; reload and try again"
            ) from error
        if recordings and wait and self.after_save is not None:
            self.after_save(recordings[-1].notification.id)
        return recordings
