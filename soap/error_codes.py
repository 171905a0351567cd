"""Every ErrorCode a SOAP operation can answer with, and what it means: the one table.

An authorised operation answers {Status: "Failure", ErrorCode, ErrorMessage, HasExpired}
instead of a SOAP fault when the call is refused or fails; these are the codes. The
Developer Portal's API documentation (/portal/docs) shows this table as it is, and a test
fails if soap/gateway.py or soap/service.py answers with a code that is not here.
"""

from __future__ import annotations

ERROR_CODES: dict[str, str] = {
    "INVALID_TOKEN": (
        "The access token is missing, malformed or unknown, was revoked, or was obtained with a "
        "client secret that has since been ended. Send a valid token as Authorization: Bearer "
        "<token> (or in AiqSoapHeader/AccessToken); get a new one from the token endpoint."
    ),
    "TOKEN_EXPIRED": (
        "The access token has expired; HasExpired is true. Get a new token from the token "
        "endpoint and call again."
    ),
    "APPLICATION_REVOKED": (
        "The integration application was revoked by its group's admin: no call succeeds and "
        "no new token is issued."
    ),
    "APPLICATION_SUSPENDED": (
        "The integration application is suspended because its group left the AIQ3 plan. Calls "
        "are refused until the group is on the plan again."
    ),
    "IP_NOT_ALLOWED": (
        "The call came from an address outside the application's allowed IP addresses."
    ),
    "RATE_LIMITED": (
        "The application made more calls this minute than its quota (rate_limit_per_minute,"
        " counted across every server) allows; the HTTP answer is 429 with Retry-After, the"
        " seconds to wait."
    ),
    "ENTITY_REQUIRED": (
        "The operation works on one entity: name it by its code in AiqSoapHeader/Entity "
        "(GetEntitiesByToken lists the codes)."
    ),
    "ENTITY_NOT_PERMITTED": (
        "The entity named in AiqSoapHeader/Entity is unknown, belongs to another group, or is "
        "not among the entities assigned to the application."
    ),
    "READ_ONLY": (
        "The application has read permission only; writes such as UpdateCustomer need read and "
        "write permission."
    ),
    "VALIDATION_FAILED": (
        "The input is not valid, for example a value too long, control characters, a missing "
        "customer name, or a new customer whose code already exists; ErrorMessage says what "
        "and names the field."
    ),
    "NOT_FOUND": (
        "What the call names does not exist in the entity, for example no customer has that code."
    ),
}
