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

The parts: bench/seeding.py (the throwaway database and what is in it), the site's
gunicorn from tests/support/servers.py (the launcher the operations tests use),
bench/servers.py (nginx, the processes' CPU time and memory), bench/report.py (the
table). This file drives the rounds with wrk.
"""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.support.servers

from report import TARGETS, print_table  # noqa: E402
from seeding import COMMENTS_SLUG, PAGE_SLUG, SLUG, STATIC_COPY, Database, seed  # noqa: E402
from servers import Nginx, StockDjango, cpu_seconds, get, rss, settle, which  # noqa: E402

from tests.support.servers import Gunicorn, site_env  # noqa: E402


def require_tools():
    """wrk drives the load; nginx (optional) adds the cached-proxy row. Both come from
    Debian (`apt-get install wrk nginx-light`, see README): the bench installs nothing."""
    if not which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk nginx-light (see README)")
    if not which("nginx"):
        print("nginx not found: the nginx row is left out (apt-get install nginx-light)")


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
    parser.add_argument("--keep", action="store_true", help="keep the bench folder")
    args = parser.parse_args()
    require_tools()
    workdir = Path(tempfile.mkdtemp(prefix="evidence-health-bench-"))
    (workdir / "var").mkdir()
    database = Database(workdir)
    env = site_env(
        workdir / "var",
        database.url,
        secrets.token_urlsafe(50),
        # REDIS_URL is the shared cache when set; WEB_CONCURRENCY the workers.
        inherit=("REDIS_URL", "WEB_CONCURRENCY"),
        DJANGO_CACHE_PREFIX=f"bench-{secrets.token_hex(4)}",
    )
    servers = []
    try:
        info = seed(env)
        # Access logs cost every row alike and are off in every row (nginx too); in
        # production nginx keeps the access log.
        warm = Gunicorn(env, workdir, name="warm", access_log=False)
        servers.append(warm)
        cold = Gunicorn(
            {**env, "DJANGO_PAGE_CACHE_SECONDS": "0"}, workdir, name="cold", access_log=False
        )
        servers.append(cold)
        stock = StockDjango(env, workdir, info["static_root"])
        servers.append(stock)
        nginx = None
        if which("nginx"):
            nginx = Nginx(workdir, warm.port, info["static_root"])
            servers.append(nginx)
        results = run_rows(args, info, warm, cold, stock, nginx)
        print_table(args, info, database, warm, results)
    finally:
        for server in reversed(servers):
            server.stop()
        database.drop()
        if args.keep:
            print(f"bench folder kept: {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run_rows(args, info, warm, cold, stock, nginx):
    article = f"/articles/{SLUG}/"
    rows = {
        "warm": warm.base + article,
        "static": warm.base + "/static/" + STATIC_COPY,
        "stock": stock.base + "/static/" + STATIC_COPY,
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
    rss_before = rss(warm.workers())
    served_before = 0

    # Which processes answer each row: their CPU time per request is measured beside
    # wrk's throughput (steadier than req/s when other work shares the machine).
    answering = {
        "warm": warm,
        "static": warm,
        "stock": stock,
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
            pids = set(answering[name].workers())
            if name == "nginx_cache":
                pids |= warm.workers()  # revalidations reach the app
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
    rss_after = rss(warm.workers())
    cold_rss = rss(cold.workers())
    return {
        "samples": samples,
        "rss_before": rss_before,
        "rss_after": rss_after,
        "cold_rss": cold_rss,
        "served": served + served_before,
        "load": load,
    }


if __name__ == "__main__":
    main()
