"""The portal view fed with real events: developer accounts and their sessions."""

from __future__ import annotations

from datetime import timedelta

from domain.developers import DeveloperAccount
from projections.portal import PortalProjection, PortalView
from projections.view import iso
from tests.unit.projection_support import Feed, Story, memory_view


def test_sessions_live_until_they_end_or_expire() -> None:
    view = memory_view(PortalView)
    feed = Feed(PortalProjection(view=view))
    dev = Story(DeveloperAccount)
    feed(dev(DeveloperAccount.Registered, email="d@x.io", full_name="Dee", password_hash="h"))
    ends = dev.at + timedelta(hours=8)
    feed(dev(DeveloperAccount.SessionStarted, token_digest="s1", expires_at=ends))
    feed(dev(DeveloperAccount.SessionStarted, token_digest="s2", expires_at=ends))
    account = view.account("d@x.io")
    assert account is not None and account["full_name"] == "Dee" and account["id"] == str(dev.id)
    assert view.session_account("s1", iso(dev.at) or "")["email"] == "d@x.io"  # type: ignore[index]
    assert view.session_account("s1", iso(ends) or "") is None  # expired
    feed(dev(DeveloperAccount.SessionEnded, token_digest="s1"))
    assert view.session_account("s1", iso(dev.at) or "") is None
    assert view.session_account("s2", iso(dev.at) or "") is not None
