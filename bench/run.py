#!/usr/bin/env python3
"""`make bench`: how fast the article is served, measured every time in one run.

It sets up a throwaway copy of the site (SQLite in a temporary folder, or a throwaway
database on the PostgreSQL server named by DATABASE_URL; never your data), starts it
under gunicorn with production settings (config/gunicorn.conf.py) on 127.0.0.1, puts
nginx in front of it as configured in deploy/nginx/, drives everything with wrk and
prints one table. Rows are measured in interleaved rounds and each figure is the median
of the rounds, so a slow moment of the machine hits every row alike.

    make bench                      # default: 5 rounds of 4 s per row
    .venv/bin/python bench/run.py --rounds 3 --seconds 2   # quicker, noisier

Environment: DATABASE_URL (a PostgreSQL server: a database bench_<random> is created
and dropped on it), REDIS_URL (used as the shared cache, under a key prefix of its own),
WEB_CONCURRENCY (gunicorn workers; default from config/gunicorn.conf.py).

The cold rows run on a second gunicorn started with DJANGO_PAGE_CACHE_SECONDS=0: every
request finds its cached copy expired and renders the page again (database queries,
templates, storing the new copy), as the first reader after an edit does.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from processes import ROOT, free_port, start_gunicorn, stop, wait_for

SLUG = "microdosing-derealization"
COMMENTS_SLUG = SLUG + "-comments"
PAGE_SLUG = SLUG + "-one-page-of-comments"
COMMENTS = 10_000
STATIC_COPY = "bench/article.html"  # under STATIC_ROOT: /static/bench/article.html
MIB = 1024 * 1024

TARGETS = {
    "warm_ratio": 0.9,
    "cold_rps": 900,
    "cold_queries": 5,
    "comments_cost": 0.10,
    "nginx_ratio": 0.5,
    "rss_mib": 80,
    "rss_growth_mib": 2,
    "rss_requests": 50_000,
}


# Preparation (runs in a child process with the bench environment) -------------------


def prepare():
    """Migrate, import, add the article copy with 10,000 comments, write the static copy,
    count the queries of a cold and a warm request. Prints JSON."""
    import io

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

    from datetime import timedelta

    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from articles.models import Article
    from articles.rerendering import rerender
    from comments.models import Comment, Status

    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("migrate", interactive=False, verbosity=0, **quiet)
    call_command("setup_roles", verbosity=0, **quiet)
    call_command("import_content", verbosity=0, **quiet)
    call_command("collectstatic", interactive=False, verbosity=0, **quiet)

    def clone(slug):
        """The same article under another address (same text, sections, references)."""
        copy = Article.objects.get(slug=SLUG)
        sections = list(copy.sections.order_by("order"))
        copy.pk = None
        copy.slug = slug
        copy.save()
        for section in sections:
            section.pk = None
            section.article = copy
            section.save(rerender=False)
        rerender(copy)
        return copy

    now = timezone.now()
    one_page = clone(PAGE_SLUG)
    Comment.objects.bulk_create(
        Comment(
            article=one_page,
            name=f"Reader {n}",
            body=f"Comment number {n}. " + "It helped me to read the evidence levels. " * 3,
            status=Status.APPROVED,
            created=now - timedelta(days=20 - n),
        )
        for n in range(settings.COMMENTS_PER_PAGE)
    )
    copy = clone(COMMENTS_SLUG)
    top = [
        Comment(
            article=copy,
            name=f"Reader {n}",
            body=f"Comment number {n}. " + "It helped me to read the evidence levels. " * 3,
            status=Status.APPROVED,
            created=now - timedelta(days=365) + timedelta(minutes=50 * n),
        )
        for n in range(COMMENTS - COMMENTS // 50)
    ]
    Comment.objects.bulk_create(top, batch_size=1000)
    parents = list(
        Comment.objects.filter(article=copy).order_by("created", "pk").values_list("pk", "created")
    )[:: len(top) // (COMMENTS // 50)][: COMMENTS // 50]
    Comment.objects.bulk_create(
        [
            Comment(
                article=copy,
                parent_id=pk,
                is_editorial=True,
                name="Editorial team",
                body="Thank you: we have added this to the article's questions.",
                status=Status.APPROVED,
                created=created + timedelta(hours=2),
            )
            for pk, created in parents
        ],
        batch_size=1000,
    )

    if connection.vendor == "postgresql":
        # A real database has statistics (autovacuum analyses new rows within a minute).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # SQLite has none unless someone runs ANALYZE: left as a real site would have it.

    client = Client()
    counts = {}
    pages = {}
    for slug in (SLUG, PAGE_SLUG, COMMENTS_SLUG):
        url = f"/articles/{slug}/"
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as warm:
            again = client.get(url, HTTP_HOST="127.0.0.1")
        assert again.status_code == 200
        counts[slug] = {"cold": len(cold), "warm": len(warm)}
        pages[slug] = response.content
    cache.clear()
    static_copy = Path(settings.STATIC_ROOT) / STATIC_COPY
    static_copy.parent.mkdir(parents=True, exist_ok=True)
    static_copy.write_bytes(pages[SLUG])
    print(
        json.dumps(
            {
                "queries": counts,
                "bytes": len(pages[SLUG]),
                "comments_bytes": len(pages[COMMENTS_SLUG]),
                "static_root": str(settings.STATIC_ROOT),
                "database": connection.vendor,
                "comments": Comment.objects.filter(article=copy, status=Status.APPROVED).count(),
                "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
                "per_page": settings.COMMENTS_PER_PAGE,
            }
        )
    )


# Tools ------------------------------------------------------------------------------


def require_tools():
    """wrk drives the load; nginx (optional) adds the cached-proxy row. Both come from
    Debian (`apt-get install wrk nginx-light`, see README): the bench installs nothing."""
    if not which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk nginx-light (see README)")
    if not which("nginx"):
        print("nginx not found: the nginx row is left out (apt-get install nginx-light)")


def which(name):
    return shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()),
        None,
    )


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# Database ---------------------------------------------------------------------------


class Database:
    """SQLite in the bench folder, or a throwaway database on DATABASE_URL's server."""

    def __init__(self, workdir):
        self.url = os.environ.get("DATABASE_URL", "")
        self.name = None
        if self.url.startswith(("postgres://", "postgresql://")):
            parts = urlsplit(self.url)
            self.name = f"bench_{secrets.token_hex(4)}"
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))
            self.url = urlunsplit(parts._replace(path="/" + self.name))
            self.sql(f"CREATE DATABASE {self.name}")
        elif self.url:
            sys.exit("DATABASE_URL must name a PostgreSQL server (or be unset for SQLite)")
        else:
            self.url = f"sqlite:///{workdir / 'var' / 'db.sqlite3'}"

    def sql(self, statement):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(statement)

    def drop(self):
        if self.name:
            self.sql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")

    def describe(self):
        if self.name:
            return f"PostgreSQL (throwaway database {self.name} on {urlsplit(self.url).netloc})"
        return "SQLite (throwaway file)"


# Servers ----------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, name, env, workdir, extra_env=None):
        self.name = name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(workdir / f"gunicorn-{name}.log", "wb")
        self.process = start_gunicorn(self.port, {**env, **(extra_env or {})}, self.log)
        wait_for(self.base + "/healthz", process=self.process)

    def workers(self):
        return children(self.process.pid)

    def rss(self):
        """Resident memory of each worker, in MiB."""
        sizes = []
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            if match:
                sizes.append(int(match.group(1)) / 1024)
        return sizes

    def stop(self):
        stop(self.process)
        self.log.close()


NGINX_CONF = """\
# Generated by bench/run.py: deploy/nginx/evidence-health-app.conf (the production
# proxy_cache rules, included unchanged) on plain HTTP, with a static copy beside it.
worker_processes auto;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    open_file_cache max=1000 inactive=60s;
    limit_req_zone $binary_remote_addr zone=evidence_health_posts:10m rate=30r/m;

    proxy_cache_path {dir}/cache levels=1:2 keys_zone=evidence_health:10m max_size=1g
                     inactive=1d use_temp_path=off;
    upstream evidence_health_app {{
        server 127.0.0.1:{app_port};
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1;
        include {root}/deploy/nginx/evidence-health-app.conf;
        location = /{static_copy} {{
            root {static_root};
        }}
    }}
}}
"""


class Nginx:
    def __init__(self, workdir, app_port, static_root):
        self.dir = workdir / "nginx"
        self.dir.mkdir()
        if os.geteuid() == 0:
            # nginx's workers drop to www-data: they must read the static copy and write
            # their cache and temporary files.
            import pwd

            user = pwd.getpwnam("www-data")
            workdir.chmod(0o755)
            os.chown(self.dir, user.pw_uid, user.pw_gid)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        conf = self.dir / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                dir=self.dir,
                app_port=app_port,
                port=self.port,
                root=ROOT,
                static_copy=STATIC_COPY,
                static_root=static_root,
            )
        )
        nginx = which("nginx")
        subprocess.run([nginx, "-t", "-q", "-c", str(conf), "-p", str(self.dir)], check=True)
        subprocess.run([nginx, "-c", str(conf), "-p", str(self.dir)], check=True)
        self.nginx, self.conf = nginx, conf
        wait_for(self.base + "/healthz")

    def workers(self):
        pid_file = self.dir / "nginx.pid"
        return children(int(pid_file.read_text())) if pid_file.exists() else []

    def stop(self):
        pid_file = self.dir / "nginx.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text()), signal.SIGQUIT)
            except (ProcessLookupError, ValueError):
                pass
            for _ in range(50):
                if not pid_file.exists():
                    break
                time.sleep(0.1)


def cpu_seconds(pids):
    """User + system CPU time of these processes so far, in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def children(pid):
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def settle(pids, timeout=15.0):
    """Wait until these processes are idle: requests still queued when wrk stopped (slow
    rows have many) must not be counted against the next row."""
    deadline = time.monotonic() + timeout
    last = cpu_seconds(pids)
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = cpu_seconds(pids)
        if now - last < 0.01:
            return
        last = now


# wrk --------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url, seconds, connections=32, threads=2):
    result = subprocess.run(
        [
            which("wrk"),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    latency = {}
    for pct in ("50", "99"):
        match = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        latency[pct] = float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": rps,
        "requests": total,
        "p50": latency["50"],
        "p99": latency["99"],
        "non2xx": int(bad.group(1)) if bad else 0,
        # Sync workers close every connection after answering, which wrk counts as a
        # read error on some kernels: only connect errors and timeouts are failures.
        "errors": int(errors.group(1)) + int(errors.group(4)) if errors else 0,
    }


# The run ----------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=4, help="per row and round")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the bench folder")
    args = parser.parse_args()
    if args.prepare:
        return prepare()

    require_tools()
    workdir = Path(tempfile.mkdtemp(prefix="evidence-health-bench-"))
    (workdir / "var").mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_")) and key != "DATABASE_URL"
    }
    database = Database(workdir)
    env.update(
        {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_VAR_DIR": str(workdir / "var"),
            "DJANGO_CACHE_PREFIX": f"bench-{secrets.token_hex(4)}",
            "DATABASE_URL": database.url,
            # Access logs cost every row alike and are off in every row (nginx too);
            # in production nginx keeps the access log.
            "GUNICORN_ACCESS_LOG": "",
        }
    )
    servers = []
    try:
        info = json.loads(
            subprocess.run(
                [sys.executable, __file__, "--prepare"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        warm = Gunicorn("warm", env, workdir)
        servers.append(warm)
        cold = Gunicorn("cold", env, workdir, {"DJANGO_PAGE_CACHE_SECONDS": "0"})
        servers.append(cold)
        nginx = None
        if which("nginx"):
            nginx = Nginx(workdir, warm.port, info["static_root"])
            servers.append(nginx)
        results = run_rows(args, info, warm, cold, nginx)
        print_table(args, info, database, warm, results)
    except subprocess.CalledProcessError as error:
        sys.stderr.write((error.stderr or "") + (error.stdout or ""))
        raise
    finally:
        for server in reversed(servers):
            server.stop()
        database.drop()
        if args.keep:
            print(f"bench folder kept: {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run_rows(args, info, warm, cold, nginx):
    article = f"/articles/{SLUG}/"
    rows = {
        "warm": warm.base + article,
        "static": warm.base + "/static/" + STATIC_COPY,
        "cold": cold.base + article,
        "one_page": cold.base + f"/articles/{PAGE_SLUG}/",
        "comments": cold.base + f"/articles/{COMMENTS_SLUG}/",
    }
    if nginx:
        rows["nginx_cache"] = nginx.base + article
        rows["nginx_static"] = nginx.base + "/" + STATIC_COPY

    # Every URL answers as expected before anything is measured.
    for name, url in rows.items():
        status, headers, body = get(url)
        assert status == 200, f"{name}: {url} answered {status}"
    status, headers, _ = get(rows["warm"])
    assert "public" in headers.get("Cache-Control", ""), headers
    assert "Set-Cookie" not in headers and "Cookie" not in headers.get("Vary", ""), headers
    if nginx:
        _, headers, _ = get(rows["nginx_cache"])
        assert headers.get("X-Cache-Status") in ("HIT", "UPDATING", "REVALIDATED"), headers

    load = os.getloadavg()
    # Warm up, then note the workers' memory before the measured requests.
    for url in rows.values():
        wrk(url, 1)
    rss_before = warm.rss()
    served_before = 0

    # Which processes answer each row: their CPU time per request is measured beside
    # wrk's throughput (steadier than req/s when other work shares the machine).
    answering = {
        "warm": warm,
        "static": warm,
        "cold": cold,
        "one_page": cold,
        "comments": cold,
        "nginx_cache": nginx,
        "nginx_static": nginx,
    }
    samples = {name: [] for name in rows}
    for round_number in range(args.rounds):
        print(f"round {round_number + 1}/{args.rounds}…", file=sys.stderr)
        for name, url in rows.items():
            pids = answering[name].workers()
            if name == "nginx_cache":
                pids += warm.workers()  # revalidations reach the app
            settle(pids)
            before = cpu_seconds(pids)
            result = wrk(url, args.seconds)
            result["cpu_ms"] = (cpu_seconds(pids) - before) * 1000 / max(result["requests"], 1)
            samples[name].append(result)

    served = sum(
        s["requests"] for name in ("warm", "static") for s in samples[name]
    )  # requests the warm server answered (nginx hits do not reach it)
    # Top up to at least 50,000 requests on the warm server, so "flat" means something.
    while served < TARGETS["rss_requests"]:
        result = wrk(rows["warm"], 2)
        served += result["requests"]
    rss_after = warm.rss()
    cold_rss = cold.rss()
    return {
        "samples": samples,
        "rss_before": rss_before,
        "rss_after": rss_after,
        "cold_rss": cold_rss,
        "served": served + served_before,
        "load": load,
    }


def median(samples, key):
    return statistics.median(s[key] for s in samples)


def print_table(args, info, database, warm, results):
    samples = results["samples"]
    row = {
        name: {k: median(s, k) for k in ("rps", "p50", "p99", "cpu_ms")}
        for name, s in samples.items()
    }
    failures = {name: sum(x["non2xx"] + x["errors"] for x in s) for name, s in samples.items()}
    queries = info["queries"]

    def mark(ok):
        return "met" if ok else "NOT MET"

    lines = []

    def add(label, name, note=""):
        r = row[name]
        bad = f"  ({failures[name]} failed)" if failures[name] else ""
        lines.append(
            f"| {label} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | "
            f"{r['cpu_ms']:.3f} | {note}{bad} |"
        )

    warm_ratio = row["warm"]["rps"] / row["static"]["rps"]
    # The same ratio from CPU time: static CPU per request over warm CPU per request.
    cpu_ratio = row["static"]["cpu_ms"] / max(row["warm"]["cpu_ms"], 1e-9)
    cost = 1 - row["comments"]["rps"] / row["cold"]["rps"]
    page_cost = 1 - row["comments"]["rps"] / row["one_page"]["rps"]
    settings_per_page = info["per_page"]
    cold_q = queries[SLUG]["cold"]
    comments_q = queries[COMMENTS_SLUG]["cold"]
    workers = len(warm.workers())
    print()
    print(
        f"Evidence Health bench: {info['bytes']:,}-byte article, {database.describe()}, "
        f"{info['cache']} shared cache, gunicorn {workers} workers (config/gunicorn.conf.py), "
        f"wrk -t2 -c32, median of {args.rounds} interleaved rounds of {args.seconds} s, "
        f"{os.cpu_count()} cores, load average {results['load'][0]:.1f} before and "
        f"{os.getloadavg()[0]:.1f} after (other work on the machine skews req/s more than "
        "the CPU time per request)"
    )
    print()
    print("| what | req/s | p50 ms | p99 ms | server CPU ms/req | target |")
    print("|---|---:|---:|---:|---:|---|")
    add(
        "article, warm (page cache)",
        "warm",
        f"{queries[SLUG]['warm']} queries (0: {mark(queries[SLUG]['warm'] == 0)})",
    )
    add("same bytes, static file via whitenoise, same gunicorn", "static")
    lines.append(
        f"| ratio warm / whitenoise | {warm_ratio:.2f}× | | | {cpu_ratio:.2f}× | "
        f"≥ {TARGETS['warm_ratio']}×: {mark(warm_ratio >= TARGETS['warm_ratio'])} |"
    )
    add(
        "article, cold render (cached copy expired on every request)",
        "cold",
        f"≥ {TARGETS['cold_rps']}/s: {mark(row['cold']['rps'] >= TARGETS['cold_rps'])}; "
        f"{cold_q} queries (≤ {TARGETS['cold_queries']}: "
        f"{mark(cold_q <= TARGETS['cold_queries'])})",
    )
    add(
        f"article with {settings_per_page} approved comments (one page), cold render",
        "one_page",
        f"{queries[PAGE_SLUG]['cold']} queries",
    )
    add(
        f"article with {info['comments']:,} approved comments, cold render",
        "comments",
        f"{comments_q} queries (≤ {TARGETS['cold_queries']}: "
        f"{mark(comments_q <= TARGETS['cold_queries'])})",
    )
    lines.append(
        f"| cost of {info['comments']:,} comments (cold) | {cost:.1%} | | | "
        f"{row['comments']['cpu_ms'] / row['cold']['cpu_ms'] - 1:+.1%} | "
        f"< {TARGETS['comments_cost']:.0%}: {mark(cost < TARGETS['comments_cost'])} |"
    )
    lines.append(
        f"| cost of {info['comments']:,} comments against one page of them (cold) | "
        f"{page_cost:.1%} | | | "
        f"{row['comments']['cpu_ms'] / row['one_page']['cpu_ms'] - 1:+.1%} | |"
    )
    if "nginx_cache" in row:
        nginx_ratio = row["nginx_cache"]["rps"] / row["nginx_static"]["rps"]
        add("article through nginx proxy_cache (deploy/nginx)", "nginx_cache")
        add("same bytes, static file via nginx", "nginx_static")
        lines.append(
            f"| ratio proxy_cache / nginx static | {nginx_ratio:.2f}× | | | | "
            f"≥ {TARGETS['nginx_ratio']}×: {mark(nginx_ratio >= TARGETS['nginx_ratio'])} |"
        )
    else:
        lines.append("| nginx rows | skipped: nginx not installed | | | | |")
    before, after = results["rss_before"], results["rss_after"]
    growth = max((a - b for a, b in zip(after, before, strict=False)), default=0)
    top = max(after, default=0)
    lines.append(
        f"| worker RSS after the run (warm server) | "
        f"{' / '.join(f'{x:.1f}' for x in after)} MiB | | | | "
        f"≤ {TARGETS['rss_mib']} MiB: {mark(top <= TARGETS['rss_mib'])} |"
    )
    lines.append(
        f"| worker RSS growth over {results['served']:,} requests | "
        f"{' / '.join(f'{a - b:+.1f}' for a, b in zip(after, before, strict=False))} MiB "
        "| | | | "
        f"flat (≤ {TARGETS['rss_growth_mib']} MiB): "
        f"{mark(growth <= TARGETS['rss_growth_mib'])} |"
    )
    lines.append(
        f"| worker RSS after the run (cold server) | "
        f"{' / '.join(f'{x:.1f}' for x in results['cold_rss'])} MiB | | | | |"
    )
    print("\n".join(lines))
    print()


if __name__ == "__main__":
    main()
