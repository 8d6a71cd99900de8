"""When the database cannot be reached: a calm 503 page, never a traceback."""

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from .responses import mark_database_down

logger = logging.getLogger(__name__)


def outage_page(build_context, template_name):
    """Decorate a view that receives a reader's text: when the database is down during
    its POST, the reader gets `template_name` (a 503 page) rendered with
    `build_context(request, **view_kwargs)`, so their text comes back to send again.

    The context builder must not touch the database.
    """

    def decorate(view):
        view.outage_page = (build_context, template_name)
        return view

    return decorate


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, answer 503 with a calm page, never a traceback.

    A view decorated with @outage_page gives the reader's text back in a form they can
    send again; the admin says plainly that nothing was saved. Reader pages already
    cached keep being served (see core.page_cache, which looks for core.responses'
    `database_down`).
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
        page = getattr(match.func, "outage_page", None) if match is not None else None
        if request.method == "POST" and page is not None:
            build_context, template_name = page
            return database_unavailable_response(
                template_name, build_context(request, **match.kwargs)
            )
        if request.path.startswith("/" + settings.ADMIN_URL):
            return database_unavailable_response("core/admin_unavailable.html")
        return database_unavailable_response()


def is_connection_error(exception):
    return isinstance(exception, (OperationalError, InterfaceError))


def database_unavailable_response(template_name="503.html", context=None):
    # No request in the context: context processors must not touch the database.
    html = render_to_string(template_name, context or {}, request=None)
    response = HttpResponse(html, status=503)
    response.headers["Retry-After"] = "30"
    response.headers["Cache-Control"] = "no-store"
    return mark_database_down(response)
