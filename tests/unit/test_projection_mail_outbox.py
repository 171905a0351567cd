"""The mail outbox fed with real events: one row per mail the policy calls for."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from domain.apps import IntegrationApp
from domain.developers import Signup
from projections.mail_outbox import MailOutboxProjection, MailOutboxView
from tests.unit.projection_support import Feed, Story, app_created, developer_linked, memory_view


def rows(view: MailOutboxView) -> list[tuple[str, str]]:
    return [(r["kind"], r["recipient"]) for r in view.all_messages()]


def test_each_mail_goes_to_the_right_person() -> None:
    view = memory_view(MailOutboxView)
    feed = Feed(MailOutboxProjection(view=view))
    app, managed = Story(IntegrationApp), Story(IntegrationApp)
    feed(app_created(app, uuid4()))  # a developer's own app: no mail to the team
    feed(app_created(managed, uuid4(), app_type="aiq_integrate", preset="hubspot", name="D"))
    feed(developer_linked(app, email="dev@example.com"))
    feed(app(IntegrationApp.InviteResent, invite_id="i2", invite_expires_at=app.at))
    feed(app(IntegrationApp.OtpReset, otp_digest="d", otp_expires_at=app.at))
    feed(app(IntegrationApp.Edited, changes={"description": "no mail"}))
    feed(app(IntegrationApp.DeveloperAccessRevoked, email="dev@example.com"))
    feed(developer_linked(app, email="known@example.com", signed_up=True))
    signup = Story(Signup)
    code_expires = signup.at + timedelta(minutes=15)
    feed(
        signup(
            Signup.Started,
            email="new@example.com",
            challenge_id="c1",
            app_id=app.id,
            expires_at=code_expires,
        )
    )
    assert rows(view) == [
        ("team_new_app", "@team"),
        ("invite", "dev@example.com"),
        ("invite", "dev@example.com"),  # the developer linked when it was resent
        ("otp_reset", "dev@example.com"),
        ("access_revoked", "dev@example.com"),
        ("app_linked", "known@example.com"),  # has a portal account: no invite
        ("signup_code", "new@example.com"),
    ]
    pending = view.pending(signup.at)
    assert [r["app_id"] for r in pending][-1] == str(app.id)  # the sign-up's app, not its own
    assert pending[-1]["data"] == {
        "challenge_id": "c1",
        "expires_at": code_expires.isoformat(timespec="microseconds"),
    }
    assert pending[0]["data"]["requested_by"] == "admin@a.example"
    assert all("digest" not in str(r["data"]) for r in pending)  # no OTP digest in a row


def test_delivery_state_moves_only_through_the_views_methods() -> None:
    view = memory_view(MailOutboxView)
    feed = Feed(MailOutboxProjection(view=view))
    app = Story(IntegrationApp)
    feed(app_created(app, uuid4()), developer_linked(app))
    [row] = view.pending(app.at)
    position = row["position"]
    assert view.requeue(position, "busy", app.at + timedelta(minutes=5))
    assert view.pending(app.at) == []  # waits for its retry
    with view.claim(position, app.at + timedelta(minutes=6)) as claimed:
        assert claimed
    assert not view.set_aside(position, "too late", app.at)  # already sent
    assert view.all_messages()[0]["status"] == "sent"
