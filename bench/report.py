"""The bench's table: each row's median over the rounds, against its target."""

import os
import statistics

from seeding import COMMENTS_SLUG, PAGE_SLUG, SLUG

TARGETS = {
    "warm_ratio": 0.9,
    "stock_ratio": 0.9,
    "cold_rps": 900,
    "cold_ratio": 0.25,
    "cold_queries": 5,
    "comments_cost": 0.10,
    "nginx_ratio": 0.5,
    "rss_mib": 80,
    "rss_growth_mib": 2,
    "rss_requests": 50_000,
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
    stock_ratio = row["warm"]["rps"] / row["stock"]["rps"]
    stock_cpu_ratio = row["stock"]["cpu_ms"] / max(row["warm"]["cpu_ms"], 1e-9)
    cold_ratio = row["cold"]["rps"] / row["static"]["rps"]
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
        "same bytes, a stock Django app (bench/stock) serving them with whitenoise, "
        "same gunicorn configuration and workers",
        "stock",
    )
    lines.append(
        f"| ratio warm / stock Django with whitenoise | {stock_ratio:.2f}× | | | "
        f"{stock_cpu_ratio:.2f}× | "
        f"≥ {TARGETS['stock_ratio']}×: {mark(stock_ratio >= TARGETS['stock_ratio'])} |"
    )
    add(
        "article, cold render (cached copy expired on every request)",
        "cold",
        f"≥ {TARGETS['cold_rps']}/s: {mark(row['cold']['rps'] >= TARGETS['cold_rps'])}; "
        f"{cold_q} queries (≤ {TARGETS['cold_queries']}: "
        f"{mark(cold_q <= TARGETS['cold_queries'])})",
    )
    lines.append(
        f"| ratio cold / whitenoise static (same run) | {cold_ratio:.2f}× | | | "
        f"{row['static']['cpu_ms'] / max(row['cold']['cpu_ms'], 1e-9):.2f}× | "
        f"≥ {TARGETS['cold_ratio']}×: {mark(cold_ratio >= TARGETS['cold_ratio'])} "
        "(Wagtail 8 serving a 24 KB page here: 0.05×) |"
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
        lines.append(
            "| nginx proxy_cache and nginx static | skipped: nginx is not installed "
            "(apt-get install nginx-light) | | | | |"
        )
    lines.append(
        "| Lighthouse mobile performance, article and home | run `make audit` "
        "(Chromium, three runs) | | | | ≥ 98 |"
    )
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
