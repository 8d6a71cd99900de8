import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import http_date, quote_etag

from .cache import content_version

logger = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    ]
)

# Anonymous readers may keep a page a minute, serve it stale for ten more while they
# revalidate (edits reach readers within about a minute), and for a day if we are down.
ANONYMOUS_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600, stale-if-error=86400"
PRIVATE_CACHE_CONTROL = "private, no-store"


class SecurityHeadersMiddleware:
    """The headers Django's SecurityMiddleware does not set, on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


def mark_cacheable(response, last_modified=None):
    """Called by a reader view: this response is the same for every anonymous reader."""
    response.cache_anonymously = True
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified.timestamp())
    return response


class AnonymousPageCacheMiddleware:
    """Serve reader pages whole from the shared cache, before sessions, auth or the database.

    An entry is fresh while its content version is current and it is younger than
    PAGE_CACHE_SECONDS (the page carries a signed comment-form timestamp, which must not
    grow old). A stale entry is kept for a day and served when rendering fails because the
    database is unreachable, so readers keep reading through an outage.
    """

    STALE_SECONDS = 60 * 60 * 24

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            response = self.get_response(request)
            if getattr(response, "cache_anonymously", False):
                response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
            return response

        key = "page:" + hashlib.sha256(request.get_full_path().encode()).hexdigest()
        try:
            version = content_version()
            entry = cache.get(key)
        except Exception:  # the cache itself is down: render as if nothing were cached
            logger.warning("page cache unavailable", exc_info=True)
            version, entry = None, None

        if (
            entry
            and entry["version"] == version
            and time.time() - entry["stored"] < (settings.PAGE_CACHE_SECONDS)
        ):
            return self.from_entry(request, entry)

        try:
            response = self.get_response(request)
        except DatabaseError:
            if entry:
                return self.from_entry(request, entry)
            raise
        if response.status_code == 503 and entry and getattr(response, "database_down", False):
            return self.from_entry(request, entry)

        if getattr(response, "cache_anonymously", False) and response.status_code == 200:
            response.headers["Cache-Control"] = ANONYMOUS_CACHE_CONTROL
            response.headers.pop("Vary", None)
            etag = quote_etag(hashlib.md5(response.content, usedforsecurity=False).hexdigest())
            response.headers["ETag"] = etag
            if version is not None and not response.cookies:
                entry = {
                    "version": version,
                    "stored": time.time(),
                    "content": response.content,
                    "headers": {
                        name: value
                        for name, value in response.headers.items()
                        if name.lower() not in ("set-cookie", "vary")
                    },
                }
                try:
                    cache.set(key, entry, self.STALE_SECONDS)
                except Exception:
                    logger.warning("page cache unavailable", exc_info=True)
            if request.headers.get("If-None-Match") == etag:
                return self.not_modified(entry["headers"] if entry else response.headers)
        return response

    def from_entry(self, request, entry):
        headers = entry["headers"]
        if request.headers.get("If-None-Match") == headers["ETag"]:
            return self.not_modified(headers)
        response = HttpResponse(entry["content"], headers=headers)
        return response

    @staticmethod
    def not_modified(headers):
        response = HttpResponse(status=304)
        for name in ("Cache-Control", "ETag", "Last-Modified"):
            if name in headers:
                response.headers[name] = headers[name]
        return response


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, answer 503 with a calm page, never a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DatabaseError) or not is_connection_error(exception):
            return None
        logger.error("database unavailable: %s", exception.__class__.__name__)
        return database_unavailable_response(request)


def is_connection_error(exception):
    from django.db import InterfaceError, OperationalError

    return isinstance(exception, (OperationalError, InterfaceError))


def database_unavailable_response(request, template="503.html", context=None):
    html = render_to_string(template, context or {}, request=None)
    response = HttpResponse(html, status=503)
    response.headers["Retry-After"] = "30"
    response.headers["Cache-Control"] = "no-store"
    response.database_down = True
    return response
