"""What is counted of each app's use, per UTC day (SPEC 15): tokens issued, SOAP calls
served, the writes among them, and refused calls as "denied:<ERROR_CODE>"."""

from __future__ import annotations

TOKENS, CALLS, WRITES, DENIED = "tokens", "calls", "writes", "denied:"
