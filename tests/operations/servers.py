"""Real servers for the operations tests: the site's preparation for gunicorn (the
launcher itself is tests/support/servers.py, shared with bench/), a private PostgreSQL
instance, and a small HTTP client.

The client keeps cookies itself: with debug off the session and CSRF cookies are
Secure, which a standard client would not send back over plain HTTP on loopback.
"""

import html.parser
import http.client
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from tests.support.content import ARTICLE_URL, SLUG  # noqa: F401 (the operations tests import them from here)
from tests.support.servers import ROOT, free_port
from tests.support.skips import unavailable

PASSWORD = "a-long-test-password-for-ops"


PREPARE = """
import io, json, sys
import django
django.setup()
from django.contrib.auth.models import Group, User
from django.core.management import call_command
quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
call_command("migrate", interactive=False, verbosity=0, **quiet)
call_command("setup_roles", verbosity=0, **quiet)
call_command("collectstatic", interactive=False, verbosity=0, **quiet)
call_command("import_content", verbosity=0, **quiet)
for spec in json.loads(sys.argv[1]):
    user = User.objects.create_user(
        spec["username"], password=spec["password"], is_staff=True,
        is_superuser=spec.get("superuser", False),
    )
    user.groups.set(Group.objects.filter(name__in=spec.get("groups", [])))
from articles.models import Article
article = Article.objects.get(slug=%(slug)r)
print(json.dumps({
    "article": article.pk,
    "sections": {s.key: s.pk for s in article.sections.all()},
}))
"""


def prepare_site(env, users=()):
    """migrate, setup_roles, collectstatic, import_content and the given staff users, in
    one process; returns the article's ids."""
    result = subprocess.run(
        [sys.executable, "-c", PREPARE % {"slug": SLUG}, json.dumps(list(users))],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def manage(env, *args, timeout=60):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


# HTTP ---------------------------------------------------------------------------------


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # [(name, value)], as sent
        self.body = body
        self.text = body.decode("utf-8", errors="replace")

    def header(self, name, default=None):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return default

    def header_list(self, name):
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def forms(self):
        parser = FormParser()
        parser.feed(self.text)
        return parser.forms


class Client:
    """One browser: its own cookies (sent by hand, Secure or not) and user agent."""

    def __init__(self, base, user_agent="Mozilla/5.0 (operations test)", address=None):
        self.base = base
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.user_agent = user_agent
        # Behind a proxy (DJANGO_PROXY_COUNT=1) the client's address is the one the proxy
        # forwards: rate limits and lockouts are per address, so each simulated person
        # needs their own.
        self.address = address
        self.cookies = {}

    def request(self, method, path, data=None, headers=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=20)
        sent = {"Host": f"{self.host}:{self.port}", "User-Agent": self.user_agent}
        if self.address:
            sent["X-Forwarded-For"] = self.address
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = self.base
            sent["Sec-Fetch-Site"] = "same-origin"
        sent.update(headers or {})
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            response = Response(raw.status, raw.getheaders(), raw.read())
        finally:
            connection.close()
        for value in response.header_list("Set-Cookie"):
            cookie = SimpleCookie()
            cookie.load(value)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path, **headers):
        return self.request("GET", path, headers=headers)

    def post(self, path, data, **headers):
        return self.request("POST", path, data=data, headers=headers)

    def submit(self, path, changes=None, form_index=None, match=None, button=None):
        """GET the page, fill its form like a browser (every field as it is, `changes`
        applied), POST it to the form's action."""
        page = self.get(path)
        assert page.status == 200, (path, page.status, page.text[:500])
        forms = [f for f in page.forms() if f["method"] == "post"]
        if match:
            forms = [f for f in forms if match(f)]
        form = forms[form_index or 0]
        fields = dict(form["fields"])
        fields.update(changes or {})
        if button:
            fields[button] = ""
        action = form["action"] or path
        return self.post(action, fields)

    def login(self, username, password=PASSWORD):
        response = self.submit(
            "/admin/login/?next=/admin/",
            {"username": username, "password": password},
        )
        return response


class FormParser(html.parser.HTMLParser):
    """Forms and their fields as a browser would submit them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": (a.get("method") or "get").lower(),
                "id": a.get("id", ""),
                "fields": [],
            }
            self.forms.append(self._form)
        elif self._form is None or "name" not in a:
            if tag == "option" and self._select is not None:
                self._select["options"].append(a)
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._form["fields"].append((a["name"], a.get("value", default)))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select = {"name": a["name"], "options": []}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None and self._form is not None:
            value = self._textarea[1]
            self._form["fields"].append((self._textarea[0], value.removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            options = self._select["options"]
            chosen = next((o for o in options if "selected" in o), options[0] if options else {})
            if chosen:
                self._form["fields"].append((self._select["name"], chosen.get("value", "")))
            self._select = None
        elif tag == "form":
            self._form = None


def burst(base, path, count=48, concurrency=6):
    """`count` GETs, `concurrency` at a time, so that every worker answers some."""
    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(lambda _: Client(base).get(path), range(count)))


def comment_token(secret_key, article_pk, age=60):
    """The comment form's token, as a page rendered `age` s ago would carry it (each
    render's token is its own, and good for one comment per reader)."""
    import secrets

    from django.core import signing

    from comments.spam import TOKEN_SALT

    when = int(time.time() - age)
    value = f"{article_pk}:{when}:{secrets.token_urlsafe(6)}"
    return signing.Signer(key=secret_key, salt=TOKEN_SALT).sign(value)


def comment_data(secret_key, article_pk, body, name="Sam"):
    return {
        "name": name,
        "email": "",
        "body": body,
        "website": "",
        "token": comment_token(secret_key, article_pk),
    }


# PostgreSQL ---------------------------------------------------------------------------


def postgres_bin():
    """The directory of initdb and pg_ctl, or None."""
    candidates = []
    if shutil.which("pg_config"):
        try:
            out = subprocess.run(
                ["pg_config", "--bindir"], capture_output=True, text=True, timeout=10
            )
            candidates.append(Path(out.stdout.strip()))
        except OSError:
            pass
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    if shutil.which("initdb"):
        candidates.append(Path(shutil.which("initdb")).parent)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


class PrivatePostgres:
    """A PostgreSQL instance of the test's own: initdb in a temporary folder, its own
    port, started and stopped with pg_ctl. Never the machine's shared server.

    initdb and pg_ctl refuse to run as root: as root they run as the postgres user,
    in a folder that user owns.
    """

    def __init__(self, bindir):
        self.bindir = Path(bindir)
        self.dir = Path(tempfile.mkdtemp(prefix="ops-postgres-"))
        self.data = self.dir / "data"
        self.logfile = self.dir / "postgres.log"
        self.port = free_port()
        self.as_user = []
        if os.geteuid() == 0:
            import pwd

            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                unavailable(
                    "running as root and there is no postgres user to run initdb", required_by="CI"
                )
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.started = False
        try:
            self.run(
                "initdb",
                "-D",
                self.data,
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
            )
        except BaseException:
            shutil.rmtree(self.dir, ignore_errors=True)
            raise

    def run(self, tool, *args, timeout=60):
        command = [*self.as_user, str(self.bindir / tool), *map(str, args)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, f"{tool}: {result.stdout}{result.stderr}"
        return result

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self.run("pg_ctl", "-D", self.data, "-l", self.logfile, "-o", options, "-w", "start")
        self.started = True

    def stop(self, mode="fast"):
        if self.started:
            self.run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")
            self.started = False

    def url(self, database="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name):
        import psycopg

        with psycopg.connect(self.url(), autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"CREATE DATABASE {name}")

    def destroy(self):
        try:
            self.stop("immediate")
        except AssertionError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def random_name(prefix):
    return f"{prefix}_{secrets.token_hex(4)}"


def random_address():
    """An address from a documentation range (RFC 5737), different on every call."""
    value = secrets.randbelow(2**16)
    return f"198.51.{100 + value // 256 % 2}.{value % 254 + 1}"
