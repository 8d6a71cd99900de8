"""Who is asking, without keeping who they are.

Rate limits, duplicate votes and login lockouts need to recognise a returning client;
the site never stores a raw IP address. A keyed hash (HMAC with the secret key) can be
compared but not reversed or looked up in a table of addresses.
"""

import hashlib
import hmac
import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address as the app server sees it, trusting only our own proxies."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_hash(request, *scope):
    """A stable, keyed fingerprint of the client's address, optionally scoped.

    The address only: a header such as User-Agent is the client's to change, and would
    let one person slip past a rate limit or report a comment many times.
    """
    material = "|".join([client_ip(request), *scope])
    key = (settings.SECRET_KEY + ":client").encode()
    return hmac.new(key, material.encode(), hashlib.sha256).hexdigest()


def pseudonymous_ip(request):
    """For django-axes, which stores an address per login attempt: a keyed hash of the real
    address shaped as an IPv6 address in the documentation range, so lockouts still work
    per client and the database never holds the real address."""
    digest = hmac.new(
        (settings.SECRET_KEY + ":ip").encode(), client_ip(request).encode(), hashlib.sha256
    ).digest()
    return str(ipaddress.IPv6Address(b"\x20\x01\x0d\xb8" + digest[:12]))
