"""The application list projection: which event makes which change to the list's rows."""

from __future__ import annotations

from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.apps import FieldChanged, IntegrationApp, fields_changed
from domain.developers import DeveloperAccount
from domain.groups import INTEGRATIONS_PLAN, Group
from projections.app_list_queries import SORTABLE, AppQuery, facts_of
from projections.app_list_view import AppListView, Change
from projections.view import only_tracks

__all__ = ["SORTABLE", "AppListProjection", "AppListView", "AppQuery", "facts_of"]


def _change(e: Any) -> Change:
    return Change(str(e.originator_id), e.timestamp, e.originator_version)


class AppListProjection(Projection[AppListView]):
    name = "app_list"

    @singledispatchmethod
    @only_tracks
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def _(self, e: IntegrationApp.Created, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.app_created(
                c,
                _change(e),
                group_id=str(e.group_id),
                app_type=e.app_type,
                preset=e.preset,
                name=e.name,
                description=e.description,
                category=e.category,
                api_permission=e.api_permission,
                entity_ids=e.entity_ids,
                client_id=e.client_id,
            )

    @process_event.register
    def _(self, e: FieldChanged | IntegrationApp.Edited, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            for part in fields_changed(e):  # a legacy Edited holds several
                if isinstance(part, IntegrationApp.DescriptionChanged):
                    self.view.description_changed(c, _change(part), part.description)
                elif isinstance(part, IntegrationApp.CategoryChanged):
                    self.view.category_changed(c, _change(part), part.category)
                elif isinstance(part, IntegrationApp.AllowedIpsChanged):
                    self.view.allowed_ips_changed(c, _change(part), part.allowed_ips)
                elif isinstance(part, IntegrationApp.RateLimitChanged):
                    self.view.rate_limit_changed(c, _change(part), part.rate_limit_per_minute)
                else:
                    self.view.entities_changed(c, _change(part), part.entity_ids)

    @process_event.register
    def _(self, e: IntegrationApp.Revoked, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.app_revoked(c, _change(e))

    @process_event.register
    def _(self, e: IntegrationApp.DeveloperLinked, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.developer_linked(
                c,
                _change(e),
                email=e.email,
                signed_up=e.signed_up,
                invite_expires_at=e.invite_expires_at,
                otp_expires_at=e.otp_expires_at,
                linked_at=e.linked_at,
            )

    @process_event.register
    def _(self, e: IntegrationApp.InviteResent, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.invite_resent(c, _change(e), e.invite_expires_at)

    @process_event.register
    def _(self, e: IntegrationApp.InviteExpired, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.invite_expired(c, _change(e))

    @process_event.register
    def _(self, e: IntegrationApp.DeveloperAccessRevoked, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.developer_unlinked(c, _change(e))

    @process_event.register
    def _(self, e: IntegrationApp.OtpReset, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.otp_reset(c, _change(e), e.otp_expires_at)

    @process_event.register
    def _(self, e: IntegrationApp.OtpAttemptFailed, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.otp_attempt_failed(c, _change(e), e.locked)

    @process_event.register
    def _(self, e: IntegrationApp.OtpVerified, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.otp_verified(c, _change(e))

    @process_event.register
    def _(self, e: IntegrationApp.OtpExpired, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.otp_expired(c, _change(e), e.otp_expires_at)

    @process_event.register
    def _(self, e: DeveloperAccount.Registered, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.developer_signed_up(c, e.email)

    @process_event.register
    def _(self, e: IntegrationApp.CredentialsIssued, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.secret_issued(c, _change(e), e.expires_at)

    @process_event.register
    def _(self, e: IntegrationApp.SecretsEnded, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.secrets_ended(c, _change(e))

    @process_event.register
    def _(self, e: IntegrationApp.SecretExpiryWarned, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.secret_expiry_warned(c, _change(e), e.days)

    @process_event.register
    def _(self, e: IntegrationApp.ClientKeyAdded, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.client_key_added(c, _change(e), e.jwk)

    @process_event.register
    def _(self, e: IntegrationApp.ClientKeyRemoved, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.client_key_removed(c, _change(e), e.kid)

    @process_event.register
    def _(self, e: Group.PlanChanged, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            suspended = e.plan != INTEGRATIONS_PLAN
            if suspended != (e.previous_plan != INTEGRATIONS_PLAN):
                self.view.plan_changed(c, str(e.originator_id), suspended, e.timestamp)

    @process_event.register
    def _(self, e: IntegrationApp.PartnerInstalled, tracking: Tracking) -> None:
        with self.view.tracked(tracking) as c:
            self.view.partner_installed(c, _change(e), str(e.listing_id), e.partner)
