#!/usr/bin/env python3
"""`make audit`: Lighthouse 12.2.3 scores of the home page and the article.

Without --url it sets up a throwaway copy of the site (SQLite in a temporary folder:
migrate, setup_roles, collectstatic, import_content; never your data) and starts it
under gunicorn with production settings (config/gunicorn.conf.py) over plain HTTP on
127.0.0.1, as `make serve` would with DJANGO_SECURE_SSL_REDIRECT=0, behind nginx as
deploy/nginx/ sets it up: its proxy cache and the compression readers get (the app sends
pages uncompressed and leaves that to nginx; a phone would download 168 KB instead of
32). Without nginx it audits gunicorn itself and says so. With --url it audits a site
that is already running.

    make audit                                        # mobile preset (the default)
    .venv/bin/python bench/audit.py --preset desktop
    .venv/bin/python bench/audit.py --url http://127.0.0.1:8000

It writes each page's full Lighthouse report (JSON) and a summary under var/audit/,
prints the four category scores per page and exits 1 when a score is below its target
(performance 98, accessibility, best practices and SEO 100), 2 when Lighthouse itself
failed. Standard library only. Needs Node (Lighthouse from `npm ci`, node_modules/) and
Chromium (/usr/bin/chromium, or CHROMIUM_PATH / CHROME_PATH).
"""

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.support.servers

from tests.support.servers import ROOT, Gunicorn, free_port, wait_for  # noqa: E402

LIGHTHOUSE = Path(os.environ.get("LIGHTHOUSE_BIN", ROOT / "node_modules/.bin/lighthouse"))
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
# Lighthouse 12.2.3's RootCauses gatherer cannot parse the traces of newer Chromium: these
# diagnostic audits (weight 0, no effect on the scores) would only show up as errors.
SKIP_AUDITS = (
    "layout-shifts,largest-contentful-paint-element,lcp-lazy-loaded,"
    "non-composited-animations,prioritize-lcp-image,render-blocking-resources"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 0.98, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
OUT = ROOT / "var" / "audit"


def chromium():
    for candidate in (
        os.environ.get("CHROME_PATH"),
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def fetch(url, seconds=10):
    with urllib.request.urlopen(url, timeout=seconds) as response:
        return response.status, response.read().decode("utf-8", "replace")


class Site:
    """A throwaway copy of the site under gunicorn, production settings, plain HTTP."""

    def __init__(self):
        self.workdir = Path(tempfile.mkdtemp(prefix="site-audit-"))
        self.env = {
            **{
                key: value
                for key, value in os.environ.items()
                if not key.startswith(("DJANGO_", "GUNICORN_"))
                and key not in ("DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY")
            },
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_VAR_DIR": str(self.workdir / "var"),
            "DJANGO_CACHE_DIR": str(self.workdir / "cache"),
        }
        self.server = self.nginx = None

    def manage(self, *args):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self):
        for command in (
            ("migrate", "--noinput"),
            ("setup_roles",),
            ("collectstatic", "--noinput"),
            ("import_content",),
        ):
            self.manage(*command)
        self.server = Gunicorn(self.env, self.workdir, workers=2, access_log=False)
        self.nginx = Nginx(self.workdir, self.server.port)
        if self.nginx.binary is None:
            self.nginx = None
            print(
                "nginx not found: auditing gunicorn itself, which sends pages uncompressed "
                "(install nginx to audit the site as deploy/nginx/ serves it)",
                file=sys.stderr,
            )
            return self.server.base
        return self.nginx.start()

    def stop(self):
        if self.nginx is not None:
            self.nginx.stop()
        if self.server is not None:
            self.server.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


# deploy/nginx/evidence-health.conf on plain HTTP: its compression settings, and the app's
# locations (deploy/nginx/evidence-health-app.conf) included unchanged.
NGINX_CONF = """\
{user}worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    limit_req_zone $binary_remote_addr zone=evidence_health_posts:10m rate=30r/m;
    proxy_cache_path {dir}/cache levels=1:2 keys_zone=evidence_health:10m inactive=1d
                     use_temp_path=off;
    upstream evidence_health_app {{ server 127.0.0.1:{app_port}; keepalive 4; }}
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1;
        gzip on;
        gzip_comp_level 4;
        gzip_min_length 1024;
        gzip_vary on;
        gzip_proxied any;
        gzip_types text/css application/javascript application/json application/atom+xml
                   application/xml text/plain image/svg+xml;
        include {root}/deploy/nginx/evidence-health-app.conf;
    }}
}}
"""


class Nginx:
    """nginx in front of the app, as in production (plain HTTP, a throwaway folder)."""

    def __init__(self, workdir, app_port):
        self.binary = shutil.which("nginx") or next(
            (path for path in ("/usr/sbin/nginx",) if Path(path).exists()), None
        )
        self.dir = Path(workdir) / "nginx"
        self.conf = self.dir / "nginx.conf"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.app_port = app_port

    def start(self):
        self.dir.mkdir()
        self.conf.write_text(
            NGINX_CONF.format(
                # As root, nginx's workers would drop to www-data, who cannot write here.
                user="user root;\n" if os.geteuid() == 0 else "",
                dir=self.dir,
                port=self.port,
                app_port=self.app_port,
                root=ROOT,
            )
        )
        subprocess.run([self.binary, "-q", "-c", str(self.conf), "-p", str(self.dir)], check=True)
        wait_for(self.base + "/healthz")
        return self.base

    def stop(self):
        if (self.dir / "nginx.pid").exists():
            subprocess.run([self.binary, "-c", str(self.conf), "-p", str(self.dir), "-s", "quit"])
            for _ in range(50):
                if not (self.dir / "nginx.pid").exists():
                    break
                time.sleep(0.1)


def first_article(base):
    """The address of the first article listed on the home page."""
    status, html = fetch(base + "/")
    match = re.search(r'href="(/articles/[^"#?]+/)"', html)
    if status != 200 or not match:
        raise RuntimeError(f"no article linked from {base}/ (status {status})")
    return match.group(1)


def run_lighthouse(url, preset, attempts=3):
    """The Lighthouse report of one page, or None. Retries runtime errors such as
    NO_NAVSTART, which Lighthouse 12.2.3 meets now and then with newer Chromium."""
    env = dict(os.environ, CHROME_PATH=chromium())
    for attempt in range(1, attempts + 1):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "lh.json"
            command = [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={out}",
                f"--chrome-flags={CHROME_FLAGS}",
                f"--skip-audits={SKIP_AUDITS}",
                "--only-categories=" + ",".join(CATEGORIES),
            ]
            if preset == "desktop":
                command.append("--preset=desktop")
            proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
            report = json.loads(out.read_text()) if out.exists() else None
        error = (report or {}).get("runtimeError") or (
            None if report else {"code": f"exit code {proc.returncode}"}
        )
        if report and not error:
            return report
        print(
            f"  lighthouse attempt {attempt}/{attempts} on {url} failed: {error}\n"
            f"  {proc.stderr.strip()[-500:]}",
            file=sys.stderr,
        )
    return None


def failing_audits(report, category):
    """The weighted audits that cost a category points."""
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            value = audit.get("displayValue", "")
            yield f"{audit['id']} (score {audit['score']}{', ' + value if value else ''})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="audit this running site instead of starting one")
    parser.add_argument("--preset", choices=["mobile", "desktop"], default="mobile")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the JSON reports")
    args = parser.parse_args()

    if not LIGHTHOUSE.exists():
        sys.exit(f"Lighthouse not found at {LIGHTHOUSE}: run `npm ci` (make audit does)")
    if chromium() is None:
        sys.exit("Chromium not found: install chromium or set CHROMIUM_PATH")
    if not shutil.which("node"):
        sys.exit("Node not found: Lighthouse 12.2.3 needs Node 18.16 or newer")

    site = None
    try:
        if args.url:
            base = args.url.rstrip("/")
        else:
            site = Site()
            print("Setting up a throwaway copy of the site under gunicorn and nginx…", flush=True)
            base = site.start()
        pages = {"home": "/", "article": first_article(base)}
        for path in pages.values():  # readers get pages from the page cache: fill it
            fetch(base + path)
        args.out.mkdir(parents=True, exist_ok=True)
        summary = {"base": base, "preset": args.preset, "lighthouse": "12.2.3", "pages": {}}
        below = False
        print(f"Lighthouse ({args.preset} preset) on {base}")
        for name, path in pages.items():
            url = base + path
            report = run_lighthouse(url, args.preset)
            if report is None:
                print(f"{name}: Lighthouse failed three times on {url}", file=sys.stderr)
                return 2
            report_path = args.out / f"{name}-{args.preset}.json"
            report_path.write_text(json.dumps(report))
            scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
            summary["pages"][name] = {"url": url, "scores": scores, "report": str(report_path)}
            shown = "  ".join(
                f"{c} {round(s * 100) if s is not None else '—'}" for c, s in scores.items()
            )
            host = report["environment"].get("benchmarkIndex")
            summary["pages"][name]["benchmark_index"] = host
            print(f"{name:8} {path:40} {shown}  (host benchmarkIndex {round(host or 0)})")
            for category, target in TARGETS.items():
                if (scores[category] or 0) < target:
                    below = True
                    print(
                        f"  {category} below {round(target * 100)}: "
                        + ", ".join(failing_audits(report, category)),
                        file=sys.stderr,
                    )
        (args.out / f"summary-{args.preset}.json").write_text(json.dumps(summary, indent=2))
        if below:
            print(
                "Performance is simulated from the CPU time measured on this machine: a busy "
                "or slow host (benchmarkIndex well under 1000) scores lower than a quiet one; "
                "compare runs made on the same quiet machine.",
                file=sys.stderr,
            )
        print(
            f"Reports: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}"
        )
        return 1 if below else 0
    finally:
        if site is not None:
            site.stop()


if __name__ == "__main__":
    sys.exit(main())
