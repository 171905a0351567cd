"""IP allowlists (SPEC 14): up to 50 IPv4/IPv6 networks per app; an empty list allows any."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from domain.errors import ValidationError

MAX_ALLOWED_NETWORKS = 50
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def allowed_networks(values: object) -> list[str]:
    """The list in canonical CIDR form, de-duplicated in order ("10.0.0.7" becomes
    "10.0.0.7/32"; host bits set, as in "10.0.0.7/24", are refused as a likely mistake)."""
    if not isinstance(values, list):
        raise ValidationError("allowed_ips must be a list of CIDRs", "allowed_ips")
    if len(values) > MAX_ALLOWED_NETWORKS:
        raise ValidationError(
            f"allowed_ips holds at most {MAX_ALLOWED_NETWORKS} networks", "allowed_ips"
        )
    networks: list[str] = []
    for value in values:
        if not isinstance(value, str) or len(value) > 64:
            raise ValidationError(
                "each allowed IP must be a CIDR such as 203.0.113.0/24", "allowed_ips"
            )
        try:
            network = ipaddress.ip_network(value.strip())
        except ValueError:
            raise ValidationError(
                f"{value[:64]!r} is not an IPv4 or IPv6 address or network (host bits must be"
                " zero: 203.0.113.0/24, not 203.0.113.7/24)",
                "allowed_ips",
            ) from None
        if str(network) not in networks:
            networks.append(str(network))
    return networks


@lru_cache(maxsize=1024)
def _networks(allowed: tuple[str, ...]) -> tuple[IpNetwork, ...]:
    return tuple(ipaddress.ip_network(n) for n in allowed)


def address_allowed(address: str | None, allowed: list[str] | tuple[str, ...]) -> bool:
    """Whether a client at `address` may use an app with this allowlist. An IPv4 address
    seen as IPv6 (::ffff:203.0.113.7, a dual-stack socket) is judged as the IPv4 one."""
    if not allowed:
        return True
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False  # no usable address: an allowlist cannot be satisfied
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in _networks(tuple(allowed)))
