"""The visitor's address: X-Forwarded-For is believed only from trusted proxies."""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(entries):
    networks = []
    for entry in entries:
        networks.append(ipaddress.ip_network(entry, strict=False))
    return tuple(networks)


def _parse(value):
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted_proxy(address):
    return _is_trusted(address or "", tuple(settings.TRUSTED_PROXIES))


@lru_cache(maxsize=4096)
def _is_trusted(address, entries):
    # Asked two or three times a request, for the same few addresses: remembered.
    ip = _parse(address)
    return ip is not None and any(ip in net for net in _networks(entries))


def client_ip(request):
    """The client's IP address as a string.

    The TCP peer (REMOTE_ADDR), unless that peer is one of DJANGO_TRUSTED_PROXIES:
    then X-Forwarded-For is read from the right, skipping trusted proxies, and the
    first other address is the client. Entries a client put in front of the header
    itself are never reached, so they cannot choose whom a lockout hits.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        ip = _parse(entry)
        if ip is None:
            break
        if not is_trusted_proxy(str(ip)):
            return str(ip)
    return remote
