"""The composition root: every entry point and test gets its services from here."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

import psycopg
from eventsourcing.projection import Projection

from adapters.access_tokens import AccessTokenService
from adapters.call_quota import CallQuota
from adapters.mailer import mailer_for
from adapters.security import Argon2Passwords, ZxcvbnStrength, new_otp
from adapters.signing_keys import (
    ConfiguredSigningKeys,
    KeySealer,
    KeySource,
    StoredSigningKeys,
)
from adapters.usage import UsageStore
from adapters.view_progress import ViewProgressListener
from adapters.webhook_http import WebhookHttp
from config.settings import Settings
from domain.credentials import InviteTokens, OtpDigests, SignupCodes
from domain.handlers.accounting import AccountingHandler
from domain.handlers.apps import AppCommands
from domain.handlers.developer_link import DeveloperLinker
from domain.handlers.developers import DeveloperAccess
from domain.handlers.directory import DirectoryHandler
from domain.handlers.ecosystem import EcosystemHandler
from domain.handlers.mail import MailHandler
from domain.handlers.oauth import OAuthHandler
from domain.handlers.portal import PortalHandler
from domain.handlers.team import TeamHandler
from domain.handlers.webhooks import WebhookHandler
from domain.passwords import Passwords
from domain.ports import Clock, OtpGenerator, SystemClock, TokenSigner, UrlGuard
from domain.store import EventStore
from domain.webhooks import WebhookSecrets
from projections.access import AccessProjection, AccessView
from projections.accounting import AccountingProjection, AccountingView
from projections.activity_log import ActivityLogProjection, ActivityLogView
from projections.app_list import AppListProjection, AppListView
from projections.directory import DirectoryProjection, DirectoryView
from projections.ecosystem import EcosystemProjection, EcosystemView
from projections.mail_outbox import MailOutboxProjection, MailOutboxView
from projections.portal import PortalProjection, PortalView
from projections.sql import Dialect, SqlDatabase
from projections.team import TeamProjection, TeamView
from projections.view import View, wait_for_all
from projections.webhooks import WebhooksProjection, WebhooksView
from workers.denied_calls import DeniedCallCounter
from workers.expiry_recorder import ExpiryRecorder
from workers.mail_sender import MailSender
from workers.mail_templates import MailRenderer
from workers.projection_runner import ProjectionRunner
from workers.usage_counter import UsageCounter
from workers.webhook_sender import WebhookSender

PROJECTIONS: dict[str, tuple[type[Projection[Any]], type[View]]] = {
    "app_list": (AppListProjection, AppListView),
    "activity_log": (ActivityLogProjection, ActivityLogView),
    "access": (AccessProjection, AccessView),
    "directory": (DirectoryProjection, DirectoryView),
    "portal": (PortalProjection, PortalView),
    "mail_outbox": (MailOutboxProjection, MailOutboxView),
    "accounting": (AccountingProjection, AccountingView),
    "team": (TeamProjection, TeamView),
    "ecosystem": (EcosystemProjection, EcosystemView),
    "webhooks": (WebhooksProjection, WebhooksView),
}
LISTENER_NAME = "integrations view progress"  # how the listener shows in pg_stat_activity
SCHEMA_LOCK_KEY = 0x1A7E_6A7E  # any constant shared by every process of this product


@dataclass(frozen=True)
class Commands:
    """One handler per area; routes, the SOAP gateway and the workers call these."""

    directory: DirectoryHandler
    apps: AppCommands
    developers: DeveloperAccess
    portal: PortalHandler
    oauth: OAuthHandler
    accounting: AccountingHandler
    mail: MailHandler
    team: TeamHandler
    ecosystem: EcosystemHandler
    webhooks: WebhookHandler


@dataclass
class Services:
    settings: Settings
    store: EventStore
    commands: Commands
    clock: Clock
    views: dict[str, View]
    invites: InviteTokens
    signup_codes: SignupCodes
    access_tokens: AccessTokenService
    runners: list[ProjectionRunner] = field(default_factory=list)
    mail_sender: MailSender | None = None
    expiry_recorder: ExpiryRecorder | None = None
    denied_calls: DeniedCallCounter = field(init=False)  # set by build_services
    usage: UsageCounter = field(init=False)  # set by build_services
    usage_store: UsageStore = field(init=False)
    call_quota: CallQuota | None = None
    webhook_http: WebhookHttp = field(init=False)
    webhook_sender: WebhookSender | None = None
    # PostgreSQL: what this process hears of the views' progress (started by the first wait).
    progress_news: ViewProgressListener | None = None
    _news_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def app_list(self) -> AppListView:
        return self.views["app_list"]  # type: ignore[return-value]

    @property
    def activity_log(self) -> ActivityLogView:
        return self.views["activity_log"]  # type: ignore[return-value]

    @property
    def access(self) -> AccessView:
        return self.views["access"]  # type: ignore[return-value]

    @property
    def directory(self) -> DirectoryView:
        return self.views["directory"]  # type: ignore[return-value]

    @property
    def accounting(self) -> AccountingView:
        return self.views["accounting"]  # type: ignore[return-value]

    @property
    def portal(self) -> PortalView:
        return self.views["portal"]  # type: ignore[return-value]

    @property
    def webhooks(self) -> WebhooksView:
        return self.views["webhooks"]  # type: ignore[return-value]

    @property
    def ecosystem(self) -> EcosystemView:
        return self.views["ecosystem"]  # type: ignore[return-value]

    @property
    def team(self) -> TeamView:
        return self.views["team"]  # type: ignore[return-value]

    @property
    def mail_outbox(self) -> MailOutboxView:
        return self.views["mail_outbox"]  # type: ignore[return-value]

    def integration_admins_of_app(self, app_id: str) -> list[str]:
        """The addresses of the app's group's Integration Admins, as the directory has them."""
        row = self.app_list.get(app_id)
        return self.directory.integration_admins(row["group_id"]) if row else []

    def projection(self, name: str) -> Projection[Any]:
        projection_class, _ = PROJECTIONS[name]
        return projection_class(view=self.views[name])

    def start_projections(self) -> None:
        """Follow the event store in a background thread (serve, worker, tests)."""
        projections = [self.projection(name) for name in self.views]
        self.runners = [ProjectionRunner(self.store, projections).start()]

    def start_workers(self) -> None:
        """Everything `integrations worker` runs: projections, mail notifier, expiry recorder,
        webhook sender."""
        self.start_projections()
        self.start_mail()
        self.expiry_recorder = ExpiryRecorder(
            self.app_list, self.commands.developers, self.clock, self.settings.expiry_interval
        ).start()
        self.start_webhooks()

    def start_webhooks(self) -> None:
        sender = WebhookSender(
            self.webhooks, self.webhook_http, WebhookSecrets(self.settings.secret_key), self.clock
        )
        self.webhook_sender = sender.start()

    def start_mail(self) -> None:
        renderer = MailRenderer(
            self.settings, self.invites, self.signup_codes, self.integration_admins_of_app
        )
        mailer = mailer_for(self.settings)
        undelivered = self.commands.mail
        sender = MailSender(self.mail_outbox, mailer, renderer, self.clock, undelivered)
        self.mail_sender = sender.start()

    def wait_for_views(self, position: int, *names: str) -> None:
        """Read-your-writes: block until the named views (all when none are named) have
        processed `position`."""
        if position <= 0:
            return  # nothing recorded yet: every view is as current as it can be
        views = [self.views[name] for name in names] if names else list(self.views.values())
        timeout = self.settings.read_model_timeout
        wait_for_all(views, self.store.name, position, timeout, self._news())

    def _news(self) -> ViewProgressListener | None:
        if self.settings.is_sqlite:
            return None  # one file, one host: the in-process runner wakes waiters, or a poll
        if self.progress_news is not None:
            return self.progress_news  # every wait after the first: no lock
        with self._news_lock:
            if self.progress_news is None:
                connect = partial(connect_postgres, self.settings, LISTENER_NAME)
                self.progress_news = ViewProgressListener(connect, self.store.name).start()
            return self.progress_news

    def wait_until_current(self, *names: str) -> None:
        """Block until the named views (all when none are named) have every event recorded
        so far, by any process."""
        self.wait_for_views(self.store.head(), *names)

    def close(self) -> None:
        if self.progress_news is not None:
            self.progress_news.stop()
            self.progress_news = None
        if self.expiry_recorder is not None:
            self.expiry_recorder.stop()
            self.expiry_recorder = None
        if self.mail_sender is not None:
            self.mail_sender.stop()
            self.mail_sender = None
        self.denied_calls.stop()  # clean shutdown: the counted refusals are recorded
        self.usage.stop()  # and the usage counted since the last flush
        if self.webhook_sender is not None:
            self.webhook_sender.stop()
            self.webhook_sender = None
        for runner in self.runners:
            runner.stop()
        self.runners = []
        self.store.close()


def connect_postgres(settings: Settings, name: str = "integrations") -> psycopg.Connection[Any]:
    """A connection of its own (not from the pool), in autocommit mode, under `name` in
    pg_stat_activity."""
    env = settings.eventsourcing_env()
    return psycopg.connect(
        application_name=name,
        dbname=env["POSTGRES_DBNAME"],
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"],
        autocommit=True,
    )


@contextmanager
def schema_lock(settings: Settings) -> Iterator[None]:
    """Processes starting together (gunicorn workers) create tables one at a time:
    PostgreSQL's CREATE ... IF NOT EXISTS is not safe against a concurrent twin."""
    if settings.is_sqlite:
        yield  # SQLite serialises DDL with its file lock
        return
    with connect_postgres(settings) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK_KEY,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK_KEY,))


def private_sqlite_file(env: dict[str, str]) -> None:
    """The SQLite store (e-mails, digests, the unencrypted views) is readable by its owner only.

    Created 0600 before SQLite opens it, so it is never world-readable for a moment; SQLite
    gives the -wal and -shm files the main file's mode. An older, wider file is narrowed.
    """
    path = env.get("SQLITE_DBNAME", "")
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if os.stat(path).st_mode & 0o077 and os.stat(path).st_uid == os.getuid():
        os.chmod(path, 0o600)


def build_services(settings: Settings, *, clock: Clock | None = None) -> Services:
    clock = clock or SystemClock()
    env = settings.eventsourcing_env()
    if settings.is_sqlite:
        private_sqlite_file(env)
    if settings.cipher_key:
        env.update(
            {
                "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
                "CIPHER_KEY": settings.cipher_key,
            }
        )
    with schema_lock(settings):
        store = EventStore(env)
        dialect: Dialect = "sqlite" if settings.is_sqlite else "postgres"
        db = SqlDatabase(store.recorder.datastore, dialect)  # type: ignore[attr-defined]
        views = {name: view_class(db) for name, (_, view_class) in PROJECTIONS.items()}
        for view in views.values():
            view.create_tables()
        usage_store = UsageStore(db)
        usage_store.create_tables()
        keys = signing_keys(settings, db, clock)
    token_ttl = timedelta(seconds=settings.access_token_ttl)
    webhook_http = WebhookHttp(allow_loopback=settings.webhook_allow_loopback)
    access_tokens = AccessTokenService(
        keys, clock, settings.base_url, f"{settings.base_url}/soap", token_ttl
    )
    invites = InviteTokens(settings.secret_key)
    signup_codes = SignupCodes(settings.secret_key)
    services = Services(
        settings=settings,
        store=store,
        commands=build_commands(
            store,
            clock,
            Passwords(
                Argon2Passwords(settings.argon2_time_cost, settings.argon2_memory_kib),
                ZxcvbnStrength(),
            ),
            secret_key=settings.secret_key,
            token_signer=access_tokens,
            token_ttl=token_ttl,
            secret_grace=timedelta(seconds=settings.secret_grace_seconds),
            url_guard=webhook_http,
        ),
        clock=clock,
        views=views,
        invites=invites,
        signup_codes=signup_codes,
        access_tokens=access_tokens,
    )
    services.denied_calls = DeniedCallCounter(
        services.commands.accounting, clock, settings.denied_call_interval
    )
    services.webhook_http = webhook_http
    services.usage_store = usage_store
    services.usage = UsageCounter(usage_store, clock)
    if settings.ratelimit_enabled:  # off for load tests, app quotas included
        services.call_quota = CallQuota(
            settings.ratelimit_storage_uri, settings.ratelimit_key_prefix
        )
    return services


def signing_keys(settings: Settings, db: SqlDatabase, clock: Clock) -> KeySource:
    """SIGNING_KEYS when the operator gives them; else the table, with a first key made by
    whichever process starts first."""
    if settings.signing_keys:
        return ConfiguredSigningKeys(settings.signing_keys)
    stored = StoredSigningKeys(db, KeySealer(settings.cipher_key or settings.secret_key))
    stored.create_table()
    stored.ensure_one(clock.now())
    return stored


def build_commands(
    store: EventStore,
    clock: Clock,
    passwords: Passwords,
    *,
    secret_key: str,
    token_signer: TokenSigner,
    token_ttl: timedelta,
    secret_grace: timedelta,
    url_guard: UrlGuard,
    otp_generator: OtpGenerator = new_otp,
) -> Commands:
    """Each handler with the collaborators it uses, and nothing more."""
    invites, signup_codes = InviteTokens(secret_key), SignupCodes(secret_key)
    otps = OtpDigests(secret_key)
    linker = DeveloperLinker(store, clock, otp_generator, invites, otps)
    return Commands(
        directory=DirectoryHandler(store, clock, passwords),
        apps=AppCommands(store, linker),
        developers=DeveloperAccess(store, clock, linker),
        portal=PortalHandler(store, clock, passwords, invites, signup_codes, otps, secret_grace),
        oauth=OAuthHandler(store, clock, token_signer, token_ttl),
        accounting=AccountingHandler(store),
        mail=MailHandler(store),
        team=TeamHandler(store, clock, passwords, linker),
        ecosystem=EcosystemHandler(store, linker),
        webhooks=WebhookHandler(store, WebhookSecrets(secret_key), url_guard),
    )
