import hashlib
import logging
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import engines
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

from .cache import PageEntry, PageStore, content_version

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
    """Called by a reader view: this response is the same for every anonymous reader.

    AnonymousPageCacheMiddleware then stores it and sends it with its own validators
    (`last_modified` is kept for callers; the Last-Modified sent is when the copy was
    rendered, see there).
    """
    response.cache_anonymously = True
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified.timestamp())
    return response


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
        if request.method not in ("GET", "HEAD") or (
            settings.SESSION_COOKIE_NAME in request.COOKIES
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

        if getattr(response, "database_down", False):
            if entry is not None and now - entry.stored < self.STALE_SECONDS:
                return self.respond(request, entry)  # the last good copy, logged below
            return response
        if not getattr(response, "cache_anonymously", False):
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

    def uncached(self, request):
        response = self.get_response(request)
        if getattr(response, "cache_anonymously", False):
            response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response

    @staticmethod
    def cache_key(request):
        """Scheme, host, path and the query in a canonical order.

        The host (validated by get_host(), which refuses hosts not in ALLOWED_HOSTS) and
        the scheme are part of the page: its canonical and feed links are absolute.
        """
        query = request.META.get("QUERY_STRING", "")
        if query:
            query = "?" + urlencode(sorted(parse_qsl(query, keep_blank_values=True)))
        return f"{request.scheme}://{request.get_host()}{request.path}{query}"

    @staticmethod
    def make_entry(response, version, now):
        content = response.content
        etag = quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest())
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


# The database is down ----------------------------------------------------------------

COMMENT_NOT_SAVED = """{% extends "503.html" %}
{% block title %}Your comment was not sent yet · Evidence Health{% endblock %}
{% block extra %}
<section class="comment-compose" aria-labelledby="not-sent-title">
  <h2 id="not-sent-title">Your comment was not sent yet</h2>
  <p>We could not store it just now. Your text is still here: wait a minute, then press
  “Send again”. You can also copy it somewhere safe first.</p>
  <form class="comment-form" method="post" action="{{ action }}">
    <input type="hidden" name="token" value="{{ token }}">
    <div class="field">
      <label for="comment-name">Name</label>
      <input type="text" id="comment-name" name="name" value="{{ name }}" maxlength="80"
        required autocomplete="nickname">
    </div>
    <div class="field">
      <label for="comment-email">Email (optional)</label>
      <input type="email" id="comment-email" name="email" value="{{ email }}" maxlength="254"
        autocomplete="email" spellcheck="false">
    </div>
    <div class="field">
      <label for="comment-body">Comment</label>
      <textarea id="comment-body" name="body" rows="8" required autocomplete="off" dir="auto">
{{ body }}</textarea>
    </div>
    <div class="honeypot" aria-hidden="true">
      <label for="comment-website">Leave this field empty</label>
      <input type="text" id="comment-website" name="website" value="{{ website }}"
        tabindex="-1" autocomplete="off">
    </div>
    <button type="submit" class="button">Send again</button>
  </form>
  {% if article_url %}<p><a href="{{ article_url }}">Back to the article</a></p>{% endif %}
</section>
{% endblock %}
"""

ADMIN_UNAVAILABLE = """{% extends "503.html" %}
{% block title %}The admin cannot reach the database · Evidence Health{% endblock %}
{% block extra %}
<section aria-labelledby="admin-down-title">
  <h2 id="admin-down-title">The editorial admin cannot reach the database</h2>
  <p>Nothing can be opened or saved until the database answers again, and
  <strong>nothing from this request was saved</strong>: if you were saving a change, keep
  the browser tab open and send it again when the database is back.</p>
  <p>Readers still see the pages already cached. Operators: <code>/readyz</code> answers
  503 until the database is reachable; the app reconnects by itself, no restart needed.</p>
</section>
{% endblock %}
"""

_templates = {}


def _template(source):
    if source not in _templates:
        _templates[source] = engines["django"].from_string(source)
    return _templates[source]


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, answer 503 with a calm page, never a traceback.

    A reader's comment comes back in a form they can send again; the admin says plainly
    that nothing was saved. Reader pages already cached keep being served (see
    AnonymousPageCacheMiddleware, which looks for `database_down` on the response).
    """

    LOG_EVERY_SECONDS = 10

    def __init__(self, get_response):
        self.get_response = get_response
        self.logged_at = 0.0
        self.unlogged = 0

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_connection_error(exception):
            return None
        # One line, no traceback, at most every ten seconds per process: an outage under
        # a spike must not turn into thousands of log lines a second.
        now = time.monotonic()
        if now - self.logged_at >= self.LOG_EVERY_SECONDS:
            logger.error(
                "database unavailable: %s on %s %s%s",
                exception.__class__.__name__,
                request.method,
                request.path,
                f" (and {self.unlogged} more requests)" if self.unlogged else "",
            )
            self.logged_at, self.unlogged = now, 0
        else:
            self.unlogged += 1
        match = request.resolver_match
        if request.method == "POST" and match is not None and match.view_name == "comments:post":
            return comment_not_saved_response(request, match.kwargs.get("slug", ""))
        if request.path.startswith("/" + settings.ADMIN_URL):
            return database_unavailable_response(request, source=ADMIN_UNAVAILABLE)
        return database_unavailable_response(request)


def is_connection_error(exception):
    return isinstance(exception, (OperationalError, InterfaceError))


def database_unavailable_response(request, template="503.html", context=None, source=None):
    # No request in the context: context processors must not touch the database.
    if source is not None:
        html = _template(source).render(context or {}, request=None)
    else:
        html = render_to_string(template, context or {}, request=None)
    response = HttpResponse(html, status=503)
    response.headers["Retry-After"] = "30"
    response.headers["Cache-Control"] = "no-store"
    response.database_down = True
    response._has_been_logged = True  # logged above, once; Django need not log each one
    return response


def comment_not_saved_response(request, slug):
    post = request.POST
    context = {
        "action": request.path,
        "article_url": f"/articles/{slug}/#comment-form" if slug else "",
        **{name: post.get(name, "") for name in ("name", "email", "body", "token", "website")},
    }
    return database_unavailable_response(request, context=context, source=COMMENT_NOT_SAVED)
