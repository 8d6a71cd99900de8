from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .page_cache import cache_for_readers


@never_cache
def healthz(request):
    """The process is up. Touches nothing else, so a load balancer can poll it cheaply."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Ready for traffic: the database answers and every migration is applied."""
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # any failure to reach the database means "not ready"
        return JsonResponse(
            {"status": "unavailable", "database": exc.__class__.__name__}, status=503
        )
    if pending:
        return JsonResponse(
            {"status": "unavailable", "migrations_pending": len(pending)}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@cache_for_readers
def privacy(request):
    return render(request, "core/privacy.html")


@cache_for_readers
def robots(request):
    return render(request, "core/robots.txt", content_type="text/plain")


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Nothing here touches the database (the context processors that would, auth and
    # messages, are lazy and the page reads neither): it must render whatever broke.
    return render(request, "500.html", status=500)
