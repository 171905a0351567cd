"""Configuration from the environment (12-factor), read once by the entry point."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

DEFAULT_DATABASE_URL = "sqlite:///var/integrations.sqlite3"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it."""


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = ""
    base_url: str = "http://127.0.0.1:8000"
    access_token_ttl: int = 3600
    secret_grace_seconds: int = 24 * 3600
    expiry_interval: int = 30
    trusted_proxies: int = 0
    read_model_timeout: float = 10.0
    team_email: str = "integrations-team@example.com"
    sales_email: str = "sales@example.com"
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "no-reply@integrations.local"
    mail_dir: str = "var/mail"
    log_level: str = "INFO"
    ratelimit_enabled: bool = True
    # Throttle counters: memory:// counts per process; several processes need redis://.
    ratelimit_storage_uri: str = "memory://"
    ratelimit_key_prefix: str = "integrations"
    default_app_rate_limit: int = 600
    webhook_allow_loopback: bool = False
    denied_call_interval: int = 60
    cipher_key: str = ""
    # A JWKS of private P-256 keys (first = current); empty: generated and kept encrypted.
    signing_keys: str = ""
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    pool_size: int = 10

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        database_url = env.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
        secret_key = env.get("SECRET_KEY", "").strip() or _local_secret_key(database_url)
        return cls(
            database_url=database_url,
            secret_key=secret_key,
            base_url=env.get("BASE_URL", cls.base_url).rstrip("/"),
            access_token_ttl=_int(env, "ACCESS_TOKEN_TTL", cls.access_token_ttl),
            secret_grace_seconds=_int(env, "SECRET_GRACE_SECONDS", cls.secret_grace_seconds),
            expiry_interval=_int(env, "EXPIRY_INTERVAL_SECONDS", cls.expiry_interval),
            trusted_proxies=_int(env, "TRUSTED_PROXIES", cls.trusted_proxies),
            read_model_timeout=_int(env, "READ_MODEL_TIMEOUT_SECONDS", 10),
            team_email=env.get("TEAM_EMAIL", cls.team_email),
            sales_email=env.get("SALES_EMAIL", cls.sales_email),
            smtp_host=env.get("SMTP_HOST", ""),
            smtp_port=_int(env, "SMTP_PORT", cls.smtp_port),
            smtp_username=env.get("SMTP_USERNAME", ""),
            smtp_password=env.get("SMTP_PASSWORD", ""),
            smtp_starttls=_flag(env.get("SMTP_STARTTLS"), False),
            mail_from=env.get("MAIL_FROM", cls.mail_from),
            mail_dir=env.get("MAIL_DIR", cls.mail_dir),
            log_level=env.get("LOG_LEVEL", cls.log_level).upper(),
            ratelimit_enabled=_flag(env.get("RATELIMIT_ENABLED"), True),
            ratelimit_storage_uri=env.get("RATELIMIT_STORAGE_URI", "").strip()
            or cls.ratelimit_storage_uri,
            ratelimit_key_prefix=env.get("RATELIMIT_KEY_PREFIX", cls.ratelimit_key_prefix),
            webhook_allow_loopback=_flag(env.get("WEBHOOK_ALLOW_LOOPBACK"), False),
            default_app_rate_limit=max(
                1, _int(env, "DEFAULT_APP_RATE_LIMIT", cls.default_app_rate_limit)
            ),
            denied_call_interval=max(1, _int(env, "DENIED_CALL_INTERVAL_SECONDS", 60)),
            cipher_key=env.get("CIPHER_KEY", ""),
            signing_keys=env.get("SIGNING_KEYS", "").strip(),
            argon2_time_cost=_int(env, "ARGON2_TIME_COST", cls.argon2_time_cost),
            argon2_memory_kib=_int(env, "ARGON2_MEMORY_KIB", cls.argon2_memory_kib),
            pool_size=_int(env, "DB_POOL_SIZE", cls.pool_size),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    def eventsourcing_env(self) -> dict[str, str]:
        """DATABASE_URL translated into eventsourcing's persistence settings."""
        url = urlparse(self.database_url)
        if url.scheme == "sqlite":
            path = sqlite_path(self.database_url)
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": path,
                "SQLITE_LOCK_TIMEOUT": "10",
                "APPLICATION_RECORDER_TOPIC": "adapters.sqlite_recorder:BellSQLiteRecorder",
            }
        if url.scheme in ("postgres", "postgresql"):
            if not url.path.strip("/"):
                raise SettingsError("DATABASE_URL names no database")
            return {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": unquote(url.path.lstrip("/")),
                "POSTGRES_HOST": url.hostname or "127.0.0.1",
                "POSTGRES_PORT": str(url.port or 5432),
                "POSTGRES_USER": unquote(url.username or "postgres"),
                "POSTGRES_PASSWORD": unquote(url.password or ""),
                "POSTGRES_POOL_SIZE": str(self.pool_size),
                "POSTGRES_MAX_OVERFLOW": str(self.pool_size),
                "POSTGRES_LOCK_TIMEOUT": "5",
                "APPLICATION_RECORDER_TOPIC": (
                    "adapters.postgres_recorder:OneStatementPostgresRecorder"
                ),
            }
        raise SettingsError(
            f"DATABASE_URL must start with sqlite:/// or postgresql://, not {url.scheme!r}"
        )


def sqlite_path(database_url: str) -> str:
    return database_url[len("sqlite:///") :] or "var/integrations.sqlite3"


def _local_secret_key(database_url: str) -> str:
    """The embedded default keeps a generated key beside its database; production sets one."""
    if not database_url.startswith("sqlite:"):
        raise SettingsError("SECRET_KEY must be set when DATABASE_URL is PostgreSQL")
    key_file = Path(sqlite_path(database_url)).with_suffix(".secret_key")
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        # Created 0600 in one step: write-then-chmod would leave it readable for a moment.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(32))
    return key_file.read_text().strip()
