"""Where a webhook may be sent: never into the server's own networks (SSRF; docs/adr/0020)."""

from __future__ import annotations

import ipaddress
import socket


def forbidden_address(host: str) -> str | None:
    """Return why a webhook may not be sent to this host (an address inside a private, link-local, reserved or
    multicast network, as named or as it resolves now: the server's own networks, cloud metadata), else None.
    Loopback stays allowed (a relay on the server itself; docs/adr/0020). An unresolvable name passes here and
    fails to connect."""
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return None
    for text in found:
        address = ipaddress.ip_address(str(text).split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if address.is_loopback:
            continue
        if (address.is_private or address.is_link_local or address.is_multicast or address.is_reserved
                or address.is_unspecified or not address.is_global):
            return f"{host} is an address of a private, link-local or reserved network ({address})"
    return None
