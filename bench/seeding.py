"""The bench's copy of the site: a throwaway database, the imported content, two copies
of the article (one page of comments; 10,000 comments) and the article's bytes as a
static file.

`seed(env)` runs prepare() in a child process with the bench's environment (production
settings, the throwaway database) and returns what it found, as a dict.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SLUG = "microdosing-derealization"
COMMENTS_SLUG = SLUG + "-comments"
PAGE_SLUG = SLUG + "-one-page-of-comments"
COMMENTS = 10_000
STATIC_COPY = "bench/article.html"  # under STATIC_ROOT: /static/bench/article.html


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


def seed(env):
    """prepare() in a child process with `env`; its JSON answer."""
    try:
        result = subprocess.run(
            [sys.executable, __file__],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    except subprocess.CalledProcessError as error:
        sys.stderr.write((error.stderr or "") + (error.stdout or ""))
        raise
    return json.loads(result.stdout.strip().splitlines()[-1])


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
    # Static files first: the pages stored on import name their hashed files.
    call_command("collectstatic", interactive=False, verbosity=0, **quiet)
    call_command("import_content", verbosity=0, **quiet)

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


if __name__ == "__main__":
    prepare()
