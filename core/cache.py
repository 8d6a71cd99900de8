"""The content version: one number in the shared cache that every change bumps.

Cached pages are keyed by it, so an edit, a review or a moderation decision made in
any process (a gunicorn worker, a management command) retires every cached page at
once: the other processes read the new version from the same shared cache.
"""

import time

from django.core.cache import cache

VERSION_KEY = "content-version"


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh or flushed cache: start from the clock so the number never goes back
        # to one that old cached pages were stored under.
        version = time.time_ns()
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version():
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)
