"""gunicorn's access log without secrets: query values of secret-like names are replaced.

A client may put `client_secret`, a token or a password in the query string (the token
endpoint and /soap ignore it there, but the request line is logged before anyone refuses it),
and the Referer may carry another page's query. The request line (`%(r)s`), the query
(`%(q)s`), the Referer (`%(f)s`, `%({referer}i)s`) are logged with those values as
`REDACTED`, and credential headers never appear.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_plus

from gunicorn.glogging import Logger

SECRET_NAMES = frozenset(
    {
        "client_secret",
        "client_assertion",
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "password",
        "otp",
        "code",
        "invite",
        "invite_token",
        "secret",
        "accesstoken",
    }
)
REDACTED = "REDACTED"
# One name=value pair of a query string: the name up to "=" and the value up to "&" or ";".
_PAIR = re.compile(r"(?P<name>[^&;=\s]*)=(?P<value>[^&;\s]*)")
_CREDENTIAL_HEADERS = ("{authorization}i", "{cookie}i", "{proxy-authorization}i")


def _is_secret(raw_name: str) -> bool:
    return unquote_plus(raw_name).strip().lower() in SECRET_NAMES


def redact_query(query: str) -> str:
    """`a=1&client_secret=s3cret` -> `a=1&client_secret=REDACTED`."""

    def pair(match: re.Match[str]) -> str:
        if _is_secret(match.group("name")):
            return f"{match.group('name')}={REDACTED}"
        return match.group()

    return _PAIR.sub(pair, query)


def redact_uri(uri: str) -> str:
    """A request target or URL with its query (and fragment) redacted."""
    path, mark, query = uri.partition("?")
    return path + mark + redact_query(query) if mark else uri


class RedactingLogger(Logger):  # type: ignore[misc]
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["r"] = " ".join(
            [
                str(environ.get("REQUEST_METHOD", "-")),
                redact_uri(str(environ.get("RAW_URI", ""))),
                str(environ.get("SERVER_PROTOCOL", "-")),
            ]
        )
        atoms["q"] = redact_query(str(environ.get("QUERY_STRING") or ""))
        for referer in ("f", "{referer}i"):
            if atoms.get(referer) not in (None, "-"):
                atoms[referer] = redact_uri(str(atoms[referer]))
        for header in _CREDENTIAL_HEADERS:
            if header in atoms:
                atoms[header] = REDACTED
        return atoms
