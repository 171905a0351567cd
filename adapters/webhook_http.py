"""Webhook URLs and deliveries, with server-side request forgery kept out (SPEC 15).

A URL must be https, and its host must resolve only to public addresses: private, loopback,
link-local, multicast and reserved ones are refused when the endpoint is saved, and again
when each delivery connects, to the very address that was checked (the connection goes to
that IP, with the host name for SNI, the certificate and the Host header), so a DNS answer
that changes in between (rebinding) cannot point a delivery inside. Loopback over http is
allowed only with WEBHOOK_ALLOW_LOOPBACK=true, for tests.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3

from domain.errors import ValidationError

MAX_URL = 2000
MAX_RESPONSE_BYTES = 64 * 1024  # what is read of an answer (its status is what matters)


class UnsafeUrl(ValueError):
    """Not a URL deliveries may go to; says why."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query
    address: str  # the checked IP to connect to


@dataclass(frozen=True)
class Outcome:
    status: int | None  # the HTTP status, or None when no answer came
    error: str  # "" on success


class WebhookHttp:
    def __init__(self, allow_loopback: bool = False, timeout: float = 10.0) -> None:
        self.allow_loopback = allow_loopback
        self.timeout = timeout

    # -- when an endpoint is saved ---------------------------------------------------------
    def check(self, url: str) -> str:
        """The URL as it will be used, or ValidationError naming `url` with the reason."""
        try:
            self.target(url)
        except UnsafeUrl as error:
            raise ValidationError(f"url: {error}", "url") from None
        return url

    def target(self, url: str) -> Target:
        if not isinstance(url, str) or len(url) > MAX_URL or not url.isprintable():
            raise UnsafeUrl("not a URL")
        parts = urlsplit(url.strip())
        if parts.scheme not in ("https", "http") or (
            parts.scheme == "http" and not self.allow_loopback
        ):
            raise UnsafeUrl("it must be an https:// URL")
        if parts.username or parts.password:
            raise UnsafeUrl("credentials in a URL end up in logs; use the signature instead")
        host = parts.hostname
        if not host:
            raise UnsafeUrl("the URL has no host")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise UnsafeUrl("the port is not a number") from None
        addresses = self._resolve(host, port)
        loopback = all(ipaddress.ip_address(a).is_loopback for a in addresses)
        if parts.scheme != "https" and not (
            self.allow_loopback and parts.scheme == "http" and loopback
        ):
            raise UnsafeUrl("it must be an https:// URL")
        for address in addresses:
            ip = ipaddress.ip_address(address)
            if ip.is_loopback and self.allow_loopback:
                continue
            if not ip.is_global or ip.is_multicast:
                raise UnsafeUrl(f"{host} resolves to {address}, which is not a public address")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return Target(parts.scheme, host, port, path, addresses[0])

    @staticmethod
    def _resolve(host: str, port: int) -> list[str]:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            raise UnsafeUrl(f"{host} does not resolve") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not addresses:
            raise UnsafeUrl(f"{host} does not resolve")
        return addresses

    # -- deliveries -----------------------------------------------------------------------------
    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Outcome:
        """One POST on a connection of its own (see `open` for several)."""
        try:
            with self.open(url) as connection:
                return connection.post(body, headers)
        except UnsafeUrl as error:
            return Outcome(None, f"refused: {error}")

    def open(self, url: str) -> Connection:
        """A connection to the address checked now, kept alive for several POSTs to `url`;
        UnsafeUrl when the URL (or what its host resolves to now) is not allowed."""
        return Connection(self.target(url), self.timeout)


class Connection:
    def __init__(self, target: Target, timeout: float) -> None:
        self.target = target
        limits = urllib3.Timeout(connect=timeout, read=timeout)
        if target.scheme == "https":
            self.pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(
                target.address,
                target.port,
                timeout=limits,
                retries=False,
                server_hostname=target.host,
                assert_hostname=target.host,
            )
        else:
            self.pool = urllib3.HTTPConnectionPool(
                target.address, target.port, timeout=limits, retries=False
            )
        port = target.port
        self.host = target.host if port in (80, 443) else f"{target.host}:{port}"

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.close()

    def post(self, body: bytes, headers: dict[str, str]) -> Outcome:
        """Any failure is an Outcome, never an exception."""
        try:
            response = self.pool.urlopen(
                "POST",
                self.target.path,
                body=body,
                headers={**headers, "Host": self.host},
                redirect=False,  # a redirect could lead anywhere: it is an answer, not followed
                preload_content=False,
            )
            response.read(MAX_RESPONSE_BYTES)
            response.release_conn()
        except Exception as error:  # time-outs, refusals, TLS: all a failed attempt
            return Outcome(None, f"{type(error).__name__}: {error}"[:300])
        if 200 <= response.status < 300:
            return Outcome(response.status, "")
        return Outcome(response.status, f"HTTP {response.status}")
