"""Security headers on every kind of response, cookies and the admin's settings.

Every response — a reader page rendered or served from the page cache, the error pages,
a static file served by whitenoise, the admin, JSON health checks, feeds and downloads —
carries a strict Content-Security-Policy and the other headers; HSTS is sent on secure
requests with debug off; session and CSRF cookies are Secure, HttpOnly and SameSite.
"""

import os
import subprocess
import sys
import urllib.request

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ValidationError
from django.core.handlers.wsgi import WSGIHandler
from django.test.testcases import LiveServerThread
from django.urls import path

from tests.comments.conftest import aged_token

from .conftest import ADMIN, ARTICLE_URL, BROWSER, SLUG

REQUIRED_PERMISSIONS = {"camera", "microphone", "geolocation", "payment", "usb"}


def directives(csp):
    found = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            assert words[0] not in found, f"directive {words[0]} given twice"
            found[words[0]] = words[1:]
    return found


def assert_security_headers(headers, label):
    """The headers every response must carry (headers: any case-insensitive mapping)."""
    csp = headers.get("Content-Security-Policy")
    assert csp, f"{label}: no Content-Security-Policy"
    policy = directives(csp)
    assert policy.get("default-src") == ["'self'"], label
    assert policy.get("object-src") == ["'none'"], label
    assert policy.get("base-uri") == ["'none'"], label
    assert policy.get("frame-ancestors") == ["'none'"], label
    assert policy.get("form-action") == ["'self'"], label
    for name, sources in policy.items():
        assert "'unsafe-inline'" not in sources, f"{label}: 'unsafe-inline' in {name}"
        assert "'unsafe-eval'" not in sources, f"{label}: 'unsafe-eval' in {name}"
        assert "'unsafe-hashes'" not in sources, f"{label}: 'unsafe-hashes' in {name}"
    for name in ("script-src", "style-src", "default-src"):
        loose = {"*", "http:", "https:", "data:", "blob:"} & set(policy.get(name, []))
        assert not loose, f"{label}: {name} allows {loose}"
    assert "Content-Security-Policy-Report-Only" not in headers, label

    assert headers.get("X-Content-Type-Options") == "nosniff", label
    assert headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", label
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin", label
    permissions = {
        item.split("=")[0].strip(): item.split("=", 1)[1].strip()
        for item in headers.get("Permissions-Policy", "").split(",")
        if "=" in item
    }
    denied = {name for name, allow in permissions.items() if allow == "()"}
    assert REQUIRED_PERMISSIONS <= denied, f"{label}: Permissions-Policy {permissions}"


@pytest.fixture
def broken_urls(settings):
    """A URLconf whose one view raises, with the site's own 500 handler."""

    def broken(request):
        raise RuntimeError("internal details")

    settings.ROOT_URLCONF = type(
        "urls",
        (),
        {"urlpatterns": [path("boom/", broken)], "handler500": "core.views.server_error"},
    )


@pytest.mark.django_db
def test_reader_pages_first_and_cached(client, published):
    """The article page rendered, then served from the page cache: the same headers."""
    first = client.get(ARTICLE_URL)
    second = client.get(ARTICLE_URL)
    assert first.status_code == second.status_code == 200
    assert second["ETag"] == first["ETag"]  # the stored copy
    assert "public" in second["Cache-Control"]
    assert_security_headers(first, "article (rendered)")
    assert_security_headers(second, "article (cached)")
    revalidated = client.get(ARTICLE_URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert revalidated.status_code == 304
    assert_security_headers(revalidated, "article (304)")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, status",
    [
        ("/", 200),
        ("/about/", 200),
        ("/privacy/", 200),
        ("/robots.txt", 200),
        ("/feed/", 200),
        ("/sitemap.xml", 200),
        ("/citations/trial2020/", 200),
        (f"/citations/export/{SLUG}.ris", 200),
        (f"/citations/export/{SLUG}.bib", 200),
        (f"/citations/export/{SLUG}.json", 200),
        ("/healthz", 200),
        ("/readyz", 200),
        ("/no-such-page/", 404),
        (f"/articles/{SLUG}", 301),
        (ADMIN, 302),
        (ADMIN + "login/", 200),
    ],
)
def test_every_kind_of_response(client, published, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert_security_headers(response, url)


def test_server_error_page(client, broken_urls):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "internal details" not in response.content.decode()
    assert_security_headers(response, "500")


def test_bad_host_is_a_400_with_headers(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_security_headers(response, "400 (disallowed host)")


@pytest.mark.django_db
def test_refusals_and_redirects(client, published, settings):
    """A refused comment (400), a cross-site post (403), a rate-limited comment (429) and
    the redirect after a comment (303)."""
    url = f"/comments/post/{SLUG}/"
    refused = client.post(url, {"name": "", "body": "x", "token": aged_token(published)}, **BROWSER)
    assert refused.status_code == 400
    assert_security_headers(refused, "400 comment")

    cross = client.post(
        url, {}, HTTP_ORIGIN="https://evil.example", HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert cross.status_code == 403
    assert_security_headers(cross, "403 cross-site")

    sent = client.post(
        url, {"name": "Sam", "body": "Fine.", "token": aged_token(published)}, **BROWSER
    )
    assert sent.status_code == 303
    assert_security_headers(sent, "303 comment received")

    settings.COMMENT_RATE_LIMIT = (1, 600)
    limited = client.post(
        url, {"name": "Sam", "body": "Again.", "token": aged_token(published)}, **BROWSER
    )
    assert limited.status_code == 429
    assert_security_headers(limited, "429 comment")


@pytest.mark.django_db
def test_admin_pages(client, editor_client, published):
    for url in (ADMIN, ADMIN + "articles/section/", ADMIN + "citations/citation/"):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, url)
        assert (
            response["Cache-Control"].startswith("max-age=0")
            or "no-cache" in response["Cache-Control"]
        )


def test_static_file_through_whitenoise_in_the_test_client(client):
    url = staticfiles_storage.url("css/site.css")
    assert url.startswith("/static/css/site.") and url != "/static/css/site.css"
    response = client.get(url)
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert_security_headers(response, url)


STARTED_SERVERS = []


@pytest.fixture
def whitenoise_server():
    """A live server that hands every request, /static/ included, to the site's own WSGI
    application, so static files come from whitenoise as in production (pytest-django's
    live_server serves /static/ itself, around the middleware)."""
    thread = LiveServerThread("127.0.0.1", static_handler=lambda handler: WSGIHandler())
    thread.daemon = True
    STARTED_SERVERS.append(thread)
    thread.start()
    thread.is_ready.wait(10)
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


def test_static_file_through_whitenoise_in_a_live_server(whitenoise_server):
    for name in ("css/site.css", "js/site.js", "admin/js/core.js"):
        url = whitenoise_server + staticfiles_storage.url(name)
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our server
            assert response.status == 200
            assert "immutable" in response.headers["Cache-Control"]
            assert_security_headers(response.headers, url)


def test_healthz_through_a_live_server(whitenoise_server):
    with urllib.request.urlopen(whitenoise_server + "/healthz", timeout=10) as response:  # noqa: S310
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/json"
        assert_security_headers(response.headers, "/healthz (live)")


@pytest.mark.django_db
def test_hsts_on_secure_requests_with_debug_off(client, published, settings):
    assert settings.DEBUG is False
    for url in ("/", ARTICLE_URL, "/healthz", ADMIN + "login/"):
        response = client.get(url, secure=True)
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        ), url
        assert_security_headers(response, url + " (https)")


@pytest.mark.django_db
def test_admin_cookies_are_secure_httponly_and_samesite(client, make_user):
    make_user("edith", password="a-long-test-password")
    login = client.get(ADMIN + "login/", secure=True)
    csrf = login.cookies["csrftoken"]
    assert csrf["secure"] is True and csrf["httponly"] is True
    assert csrf["samesite"] == "Strict"

    response = client.post(
        ADMIN + "login/",
        {"username": "edith", "password": "a-long-test-password", "next": ADMIN},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True and session["httponly"] is True
    assert session["samesite"] in ("Lax", "Strict")


def test_password_validators_refuse_weak_passwords(settings):
    names = {v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    } <= names
    for weak in ("password123", "12345678901234", "short", "qwertyuiop"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("a sentence only I would think of, 2025")


def shell(code, **env):
    """Run Python in `manage.py shell` with production settings and extra variables."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.pop("DATABASE_URL", None)
    environment = {
        **base,
        "DJANGO_VAR_DIR": os.environ["DJANGO_VAR_DIR"],
        "DJANGO_SECRET_KEY": os.environ["DJANGO_SECRET_KEY"],
        "DJANGO_ALLOWED_HOSTS": "testserver",
        **env,
    }
    from tests.conftest import ROOT

    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_admin_path_and_failure_limit_come_from_the_environment():
    code = (
        "from django.conf import settings; from django.urls import reverse, resolve;"
        "print(reverse('admin:index'), settings.AXES_FAILURE_LIMIT);"
        "from django.urls import Resolver404\n"
        "try:\n    resolve('/admin/'); print('admin-found')\n"
        "except Resolver404:\n    print('admin-missing')"
    )
    result = shell(code, DJANGO_ADMIN_URL="editors-7f3a/", DJANGO_LOGIN_FAILURE_LIMIT="7")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/editors-7f3a/", "7", "admin-missing"]


def test_session_and_csrf_cookie_settings_with_debug_off(settings):
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE in ("Lax", "Strict")
    assert settings.CSRF_COOKIE_SAMESITE in ("Lax", "Strict")


def test_no_threads_left_behind():
    """The live servers this module started shut down (a leaked thread would hold the
    database). The session's shared live server, if another module started one, stays."""
    assert len(STARTED_SERVERS) == 2
    assert not [thread for thread in STARTED_SERVERS if thread.is_alive()]
