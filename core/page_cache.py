"""The whole-page cache for anonymous readers, and the caching policy it sends.

Views opt in with @cache_for_readers; the middleware reads the flags of core.responses.
"""

import functools
import logging
import time
import zlib
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

from .cache import PageEntry, PageStore, content_version
from .responses import is_database_down, is_for_readers, mark_for_readers

logger = logging.getLogger(__name__)

# What shared caches (nginx proxy_cache, a CDN) and browsers may do with a reader page:
# - max-age=60: a correction, a medical review or a moderated comment reaches every
#   reader within a minute, though no one can purge a CDN; during a spike one request
#   per minute per cache reaches the app, the rest are served by the cache.
# - stale-while-revalidate=600: after that minute a cache answers at once with its copy
#   while it fetches a new one in the background (nginx: proxy_cache_background_update),
#   so no reader waits on a render; a quiet page is at most 11 minutes old, once.
# - stale-if-error=86400: if the app is down or answers 5xx, keep serving the last copy
#   for a day: readers keep reading through an outage.
# The comment form in the page carries a signed time and is refused after
# COMMENT_MAX_AGE_SECONDS (a day): the normal worst case, PAGE_CACHE_SECONDS in our own
# cache plus max-age and stale-while-revalidate downstream, is about 21 minutes. Only
# stale-if-error copies can reach a day; posting cannot work during such an outage
# anyway, and a form refused as too old keeps the reader's text.
MAX_AGE = 60
STALE_WHILE_REVALIDATE = 600
STALE_IF_ERROR = 60 * 60 * 24
ANONYMOUS_CACHE_CONTROL = (
    f"public, max-age={MAX_AGE}, stale-while-revalidate={STALE_WHILE_REVALIDATE}, "
    f"stale-if-error={STALE_IF_ERROR}"
)
PRIVATE_CACHE_CONTROL = "private, no-store"


def cache_for_readers(view=None, *, when=None):
    """The view's answer is the same for every anonymous reader: the page cache may store
    it and send it as public (see AnonymousPageCacheMiddleware).

    `when(request)`, if given, decides per request (for instance only for the query
    strings the page knows, so random query strings cannot fill the cache).
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if when is None or when(request):
                mark_for_readers(response)
            return response

        return wrapped

    return decorate(view) if view is not None else decorate


# Headers a stored page never keeps: cookies are never stored (a response that sets one
# is not cached at all), the page varies on nothing but its address (so no Vary), and the
# validators and Cache-Control are set afresh for each stored copy.
NOT_STORED = {"set-cookie", "vary", "cache-control", "etag", "last-modified", "expires"}


class AnonymousPageCacheMiddleware:
    """Serve reader pages whole from the shared cache, before sessions, auth or the database.

    Where it sits (see config/settings.py): after SecurityHeadersMiddleware and
    SecurityMiddleware, so cached responses still get the CSP and the other security
    headers, and after WhiteNoise (a dictionary lookup for other paths), so static files
    never reach it; before sessions, CSRF, authentication, messages and history, which a
    cached reader page needs none of. A warm request runs four middleware and reads one
    small key (the content version) from the shared cache; the page itself comes from
    this process's memory (see core.cache.PageStore).

    An entry is fresh while its content version is current and it is younger than
    PAGE_CACHE_SECONDS (the page carries a signed comment-form time, which must not grow
    old). Any entry up to a day old is served when rendering fails because the database
    is unreachable, so readers keep reading through an outage. When the cache itself is
    unreachable, pages are rendered uncached for a few seconds before it is tried again.

    Anonymous responses set no cookie and carry no Vary: any shared cache may hold them.
    A response that sets a cookie anyway is neither stored nor sent as public. Requests
    with a session cookie (editors, moderators) are never served from or stored in the
    cache and get `private, no-store`.
    """

    STALE_SECONDS = 60 * 60 * 24
    CACHE_RETRY_SECONDS = 5

    def __init__(self, get_response):
        self.get_response = get_response
        self.store = PageStore(stale_seconds=self.STALE_SECONDS)
        self.cache_down_until = 0.0
        worst = settings.PAGE_CACHE_SECONDS + MAX_AGE + STALE_WHILE_REVALIDATE
        if worst * 4 > settings.COMMENT_MAX_AGE_SECONDS:
            logger.warning(
                "PAGE_CACHE_SECONDS (%s) plus the downstream max-age and "
                "stale-while-revalidate come close to COMMENT_MAX_AGE_SECONDS (%s): readers "
                "would get comment forms that are about to expire",
                settings.PAGE_CACHE_SECONDS,
                settings.COMMENT_MAX_AGE_SECONDS,
            )

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            # The site is served at the root. A SCRIPT_NAME (from a proxy or a client
            # header passed through) makes request.path differ from the path Django
            # routes on: a page stored then could answer for another address.
            or request.META.get("SCRIPT_NAME")
        ):
            return self.uncached(request)

        key = self.cache_key(request)
        now = time.time()
        max_age = settings.PAGE_CACHE_SECONDS
        version = entry = None
        if now >= self.cache_down_until:
            try:
                version = content_version()
                entry = self.store.get(key, version, max_age)
            except Exception:
                self.cache_unavailable(now)
                version = entry = None
        if entry is not None and entry.is_fresh(version, max_age, now):
            return self.respond(request, entry)

        response = self.get_response(request)

        if is_database_down(response):
            entry = self.last_copy(key, now)
            if entry is not None and now - entry.stored < self.STALE_SECONDS:
                return self.respond(request, entry)  # the last good copy, logged below
            return response
        if not is_for_readers(response):
            return response
        if response.cookies:
            # A bug elsewhere (a template with {% csrf_token %}, a view touching the
            # session): never hand one reader's cookie to everyone.
            logger.warning("reader page %s sets a cookie: not cached", request.path)
            response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
            return response
        if response.status_code != 200 or response.streaming:
            return response

        entry = self.make_entry(response, version, now)
        if version is not None:
            try:
                self.store.set(key, entry)
            except Exception:
                self.cache_unavailable(now)
        return self.respond(request, entry)

    def last_copy(self, key, now):
        if now < self.cache_down_until:
            return None
        try:
            return self.store.last_copy(key)
        except Exception:
            self.cache_unavailable(now)
            return None

    def uncached(self, request):
        response = self.get_response(request)
        if is_for_readers(response):
            response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response

    @staticmethod
    def cache_key(request):
        """Scheme, host, the path Django routes on and the query in a canonical order.

        The host (validated by get_host(), which refuses hosts not in ALLOWED_HOSTS) and
        the scheme are part of the page: its canonical and feed links are absolute.
        """
        query = request.META.get("QUERY_STRING", "")
        if query:
            query = "?" + urlencode(sorted(parse_qsl(query, keep_blank_values=True)))
        return f"{request.scheme}://{request.get_host()}{request.path_info}{query}"

    @staticmethod
    def make_entry(response, version, now):
        content = response.content
        # A checksum, not a digest: an ETag only has to change with the content, and
        # CRC-32 with the length does that in a quarter of MD5's time.
        etag = quote_etag(f"{zlib.crc32(content):08x}-{len(content):x}")
        headers = [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in NOT_STORED
        ]
        # Last-Modified is when this copy was rendered, not when the article's text last
        # changed: the page also shows approved comments and carries the comment form's
        # signed time, so the text's date would answer 304 to copies that are out of date.
        headers += [
            ("Cache-Control", ANONYMOUS_CACHE_CONTROL),
            ("ETag", etag),
            ("Last-Modified", http_date(now)),
        ]
        return PageEntry(
            version=version,
            stored=now,
            content=content,
            headers=tuple(headers),
            etag=etag,
            size=len(content),
        )

    @staticmethod
    def respond(request, entry):
        response = HttpResponse(entry.content, headers=dict(entry.headers))
        meta = request.META
        if "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta:
            # RFC 9110 13.2.2: If-None-Match (weak comparison, so a copy nginx gzipped
            # and marked W/ still matches) wins over If-Modified-Since.
            return get_conditional_response(
                request, etag=entry.etag, last_modified=int(entry.stored), response=response
            )
        return response

    def cache_unavailable(self, now):
        logger.warning(
            "page cache unavailable: rendering uncached for %s s",
            self.CACHE_RETRY_SECONDS,
            exc_info=True,
        )
        self.cache_down_until = now + self.CACHE_RETRY_SECONDS
