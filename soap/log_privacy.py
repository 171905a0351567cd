"""spyne's own logging, made safe: it prints whole envelopes, and envelopes carry tokens.

spyne logs an invalid document whole ("... in string '<soap:Envelope>...'") at ERROR, its faults
with their fault strings (a schema error quotes the offending value) and, at DEBUG, every
document it reads. Each of those can hold `AiqSoapHeader/AccessToken`. Every record of the
`spyne` loggers is stopped here and, from WARNING up, passed on as one line that keeps what
an operator needs (which logger, the fault code or exception type) and nothing of the request.
"""

from __future__ import annotations

import logging

SPYNE = "spyne"
REPORTED_AS = "soap.spyne"


class _RedactingHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.WARNING:
            return  # document dumps and tracing: never
        error = record.exc_info[1] if record.exc_info else record.msg
        what = getattr(error, "faultcode", None) or (
            type(error).__name__ if isinstance(error, BaseException) else "a problem"
        )
        safe = logging.LogRecord(
            name=REPORTED_AS,
            level=record.levelno,
            pathname=record.pathname,
            lineno=record.lineno,
            msg="%s reported %s; details withheld (SOAP requests carry access tokens)",
            args=(record.name, what),
            exc_info=None,
        )
        logging.getLogger(REPORTED_AS).handle(safe)


def quiet_spyne_logs() -> None:
    """Idempotent; every entry point runs it where the SOAP app is built."""
    logger = logging.getLogger(SPYNE)
    if not any(isinstance(h, _RedactingHandler) for h in logger.handlers):
        logger.addHandler(_RedactingHandler())
    logger.propagate = False
