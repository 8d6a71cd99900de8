"""The article page, rendered on write.

Everything a reader sees between the review banners and the share links (title, byline,
summary, "How sure are we?", contents, sections, references, legend, what changed) and
the JSON-LD only change when an editor, a reviewer or an import changes the article, its
sections, outcomes, citations or claim checks. Each such change calls `store_page()`
(articles.signals, articles.rerendering, articles.reviews), which renders them once into
Article.body_html and Article.json_ld, and the whole page around them (head, header,
share links, feedback form, footer) into Article.reader_page.

The whole page leaves five slots open, filled for each request by `reader_page()`: the
page's address (it depends on the host a reader asked for; as an attribute, URL-encoded
and in the JSON-LD), the review banner (it follows the date) and the comment section
(comments.section: the first page of comments and a form with a signed time of its own).
A reader's request at the plain address then costs one indexed query for the page and
the comment section's own, and no template. The stored page is used only while it was
rendered from the same templates, static files and settings as this process would use
(`page_format()`); otherwise, and for every other request (a query string, a draft), the
page is rendered from templates around the stored body (articles.views.render_article).

Nothing a reader typed (comments, feedback) is part of the stored page: it is built from
the sanitized section HTML (articles.rendering) and autoescaped templates, and marked
safe only when it is put into the page.

A page is rendered twice per change: in the transaction that makes it (so the change is
visible at once to whatever reads inside it) and again once the transaction has
committed, with the article's row locked, so that of two editors saving at once the last
render sees both changes. Drafts are rendered live for the staff who may see them.
"""

import datetime
import functools
import hashlib
import json
import logging
import math
import secrets
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from certainty.grading import Certainty
from certainty.models import last_reviewed
from citations.models import EvidenceLevel
from citations.support import Support
from core.cache import retire_pages
from core.context_processors import site

from .structured_data import article_data, json_ld

logger = logging.getLogger(__name__)

WORDS_PER_MINUTE = 220


def body_context(article, sections, outcomes):
    words = sum(section.word_count for section in sections)
    return {
        "article": article,
        "sections": sections,
        "reading_minutes": max(1, math.ceil(words / WORDS_PER_MINUTE)),
        "evidence_levels": list(EvidenceLevel),
        "outcomes": outcomes,
        "certainty_reviewed": last_reviewed(outcomes),
        "certainties": list(Certainty),
        "supports": list(Support),
    }


def page_parts(article):
    """(body HTML, JSON-LD split around its address) for the article as stored now."""
    # The Markdown source is the largest column and the page never shows it.
    sections = list(article.sections.defer("body_markdown", "imported_hash").order_by("order"))
    outcomes = list(article.outcomes.all())
    body = render_to_string("articles/article_body.html", body_context(article, sections, outcomes))
    # The JSON-LD names the page's address, which depends on the host a reader asked
    # for: it is stored in two parts and the address is put between them per request. A
    # placeholder nobody can type (new for every render) marks where.
    slot = secrets.token_hex(16)
    parts = str(article_data(article, sections, slot)).split(json.dumps(slot))
    if len(parts) != 2:
        raise ValueError("the page's address must appear once in its JSON-LD")
    return body, parts


def stored_page(article, url):
    """(body, JSON-LD) for a reader's request: the stored page, or None when the article
    has none yet (a migration added the field and nothing has rendered it)."""
    if not article.body_html or len(article.json_ld) != 2:
        return None
    before, after = article.json_ld
    return mark_safe(article.body_html), mark_safe(before + json_ld(url) + after)  # noqa: S308


def live_page(article, url):
    """(body, JSON-LD) rendered now: for drafts, and for a page not stored yet."""
    body, (before, after) = page_parts(article)
    return mark_safe(body), mark_safe(before + json_ld(url) + after)  # noqa: S308


class CommentSection:
    """The comment section under the article, registered by the comments app (which
    depends on articles, not the other way round). Both return safe HTML."""

    @staticmethod
    def for_request(request, article):
        return ""

    @staticmethod
    def first_page(article_pk, slug):
        return ""


def page_context(article, url, body, structured_data, review_banner, comment_section):
    """What templates/articles/article_detail.html shows, for the stored page and for a
    page rendered for one request alike."""
    return {
        "article": article,
        "body_html": body,
        "canonical_url": url,
        "canonical_url_quoted": quote(url, safe="/"),
        "structured_data": structured_data,
        "review_banner": review_banner,
        "comment_section": comment_section,
        "feedback_form": None,
        "feedback_notice": False,
    }


@functools.lru_cache(maxsize=64)
def review_banner(reviewed, due, today):
    """The note above the title: never reviewed, review overdue, or nothing."""
    overdue = due is not None and due < today
    context = {"reviewed": reviewed, "overdue": overdue, "due": due}
    return render_to_string("articles/review_banner.html", context)


def article_review_banner(article):
    return review_banner(
        article.last_review_id is not None, article.next_review_due, timezone.localdate()
    )


# The slots of the stored page (see the module's docstring): a random marker, new for
# each render so nobody can type it, followed by one of these letters.
ADDRESS, ADDRESS_QUOTED, ADDRESS_JSON, BANNER, COMMENTS = "aqjbc"
SLOT_LENGTH = 32


def whole_page(article, body, json_parts):
    """The stored page (UTF-8): its slot marker, then the page with the slots in it."""
    slot = secrets.token_hex(SLOT_LENGTH // 2)
    before, after = json_parts
    context = page_context(
        article,
        slot + ADDRESS,
        mark_safe(body),  # noqa: S308 - rendered from sanitized HTML (articles.rendering)
        mark_safe(before + slot + ADDRESS_JSON + after),  # noqa: S308
        mark_safe(slot + BANNER),  # noqa: S308
        mark_safe(slot + COMMENTS),  # noqa: S308
    )
    context["canonical_url_quoted"] = slot + ADDRESS_QUOTED
    # The values of the context processors the page uses: nothing here is per request.
    context.update(site(None))
    return (slot + render_to_string("articles/article_detail.html", context)).encode()


def same_page(stored, page):
    """True when two stored pages differ only in their slot marker."""
    stored, page = bytes(stored), bytes(page)  # a memoryview from some database drivers
    if len(stored) != len(page):
        return False
    stored_slot, slot = stored[:SLOT_LENGTH], page[:SLOT_LENGTH]
    return stored[SLOT_LENGTH:].replace(stored_slot, slot) == page[SLOT_LENGTH:]


# Settings the page prints (directly or through the context processors).
FORMAT_SETTINGS = (
    "DEBUG",
    "STATIC_URL",
    "SITE_URL",
    "CONTACT_EMAIL",
    "SITE_OWNER",
    "SITE_FUNDING",
    "TIME_ZONE",
    "LANGUAGE_CODE",
    "COMMENTS_PER_PAGE",
    "COMMENT_MAX_LENGTH",
    "COMMENT_MAX_LINKS",
)


@functools.cache
def page_format():
    """A digest of what the stored page was rendered with besides the database: the
    project's templates, the static files' hashed names and the settings it prints.
    Computed once per process, when it starts (articles.apps), from the files as they
    are then: a process that keeps templates loaded before a release labels what it
    renders with the format it started with, never with the release's."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(base)
    ]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(base)).encode() + b"\0")
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
    if settings.STATIC_ROOT and manifest.is_file():
        digest.update(manifest.read_bytes())
    digest.update(repr([getattr(settings, name, None) for name in FORMAT_SETTINGS]).encode())
    return digest.hexdigest()


def _settings_changed(**kwargs):
    page_format.cache_clear()
    review_banner.cache_clear()


setting_changed.connect(_settings_changed)


def reader_page(slug, url):
    """The stored page of the published article at this address, filled in for this
    request (UTF-8 bytes), or None when there is none to use: then the page is rendered."""
    from .models import Article, ArticleStatus, Review

    # Raw SQL: for one row by an indexed column, building the query through the ORM
    # costs several times what running it does.
    quote_name = connection.ops.quote_name
    articles, reviews = (quote_name(model._meta.db_table) for model in (Article, Review))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.id, a.status, a.reader_page_format, a.reader_page, r.id, "  # noqa: S608
            f"r.next_review_due FROM {articles} a LEFT OUTER JOIN {reviews} r "
            "ON r.id = a.last_review_id WHERE a.slug = %s",
            [slug],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    pk, status, page_format_, page, review_id, due = row
    if status != ArticleStatus.PUBLISHED or not page or page_format_ != page_format():
        return None
    if due is not None and not isinstance(due, datetime.date):
        due = datetime.date.fromisoformat(due)
    values = {
        ord(ADDRESS): escape(url),
        ord(ADDRESS_QUOTED): quote(url, safe="/"),
        ord(ADDRESS_JSON): json_ld(url),
        ord(BANNER): review_banner(review_id is not None, due, timezone.localdate()),
        ord(COMMENTS): CommentSection.first_page(pk, slug),
    }
    page = bytes(page)  # some database drivers give a memoryview
    # Slices of a memoryview: the page is copied once, by the final join.
    view = memoryview(page)
    slot = page[:SLOT_LENGTH]
    filled = []
    start = SLOT_LENGTH
    while (at := page.find(slot, start)) >= 0:
        value = values.get(page[at + SLOT_LENGTH]) if at + SLOT_LENGTH < len(page) else None
        if value is None:  # a slot this release does not know: render the page instead
            return None
        filled.append(view[start:at])
        filled.append(value.encode())
        start = at + SLOT_LENGTH + 1
    filled.append(view[start:])
    return b"".join(filled)


def store_page(article_id):
    """Render the article's page and store it, now (inside the caller's transaction) and
    again when that transaction commits."""
    if not transaction.get_connection().in_atomic_block:
        _after_commit(article_id)
        return
    _render_and_store(article_id)
    batch = _batch()
    batch.ids.add(article_id)
    transaction.on_commit(batch.run, robust=True)


class _Batch:
    """The articles a transaction changed, rendered again once, by the first of its
    on-commit callbacks to run (as core.cache retires pages once per transaction)."""

    def __init__(self):
        self.ids = set()
        self.done = False

    def run(self):
        if self.done:
            return
        self.done = True
        for article_id in sorted(self.ids):
            _after_commit(article_id)


def _batch():
    connection = transaction.get_connection()
    batch = getattr(connection, "pages_to_render", None)
    if batch is None or batch.done:
        batch = connection.pages_to_render = _Batch()
    return batch


def _render_and_store(article_id, lock=False):
    """Returns True when the stored page changed."""
    from .models import Article

    articles = Article.objects.for_page().filter(pk=article_id)
    if lock:
        articles = articles.select_for_update(of=("self",))
    article = articles.first()
    if article is None:
        return False
    body, parts = page_parts(article)
    # Only a published article's page is stored whole: one published behind the models'
    # back (QuerySet.update) then finds none, never a draft's.
    page = b""
    if article.is_public:
        try:
            page = whole_page(article, body, parts)
        except ValueError:
            # A static file missing from the manifest: collectstatic has not run yet. The
            # page is rendered per request until `manage.py render_pages`.
            logger.warning("article %s: whole page not stored (run collectstatic)", article_id)
    page_format_ = page_format() if page else ""
    if (
        article.body_html == body
        and article.json_ld == parts
        and article.reader_page_format == page_format_
        and same_page(article.reader_page, page)
    ):
        return False
    Article.objects.filter(pk=article_id).update(
        body_html=body, json_ld=parts, reader_page=page, reader_page_format=page_format_
    )
    return True


def _after_commit(article_id):
    """Render once more from what is committed. The row lock makes a second editor's
    render wait for the first one's commit, so the last stored page has both changes."""
    with transaction.atomic():
        changed = _render_and_store(article_id, lock=True)
    if changed:
        # Pages cached since the commit retired them hold the page rendered inside the
        # transaction: retire them too.
        retire_pages()
