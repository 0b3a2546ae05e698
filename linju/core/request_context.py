"""Where a request came from, for the audit log ("who, when, what, from where") and the limits
counted per address.

The address is the connection's own (REMOTE_ADDR). Only when that connection comes from a proxy
Linju is told to trust (settings.LINJU_TRUSTED_PROXIES: addresses or networks) is X-Forwarded-For
read, from its right-hand end: each trusted proxy appended the address it was reached from, so the
first address from the right that is not a trusted proxy is the client. Whatever a client writes
into the header itself stays to the left of that, unread. A malformed entry ends the walk (the
last good address stands): the log never shows, and no query ever receives, something that is
not an address."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

from .text import HIDDEN

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    user_agent: str = ""
    path: str = ""


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "LINJU_TRUSTED_PROXIES", ()) or ()))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # a zone ("fe80::1%eth0") means nothing off the proxy's own link, and the database refuses it
    return None if getattr(address, "scope_id", None) else address


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, as a normalised string, or None when the connection gives none."""
    address = _address(request.META.get("REMOTE_ADDR") or "") if request is not None else None
    if address is None:
        return None
    networks = trusted_networks()
    if networks:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h for h in forwarded.split(",") if h.strip()]
        while hops and any(address in network for network in networks):
            hop = _address(hops.pop())
            if hop is None:
                break
            address = hop
    return str(address)


def client_ip_for_limits(request: HttpRequest) -> str:
    """The same for django-ratelimit (RATELIMIT_IP_META_KEY), which needs an address: requests that
    come with none share one count."""
    return client_ip(request) or "0.0.0.0"


def request_context(request: HttpRequest | None) -> RequestContext:
    if request is None:
        return RequestContext()
    return RequestContext(
        ip=client_ip(request),
        user_agent=HIDDEN.sub("", request.META.get("HTTP_USER_AGENT", ""))[:300],
        path=HIDDEN.sub("", request.get_full_path())[:300],
    )
