"""The comment section under an article (templates/comments/section.html). The article
page gets it from section_html() for a request with a query string, and from
first_page_html() for the stored page at the plain address (see articles.page; both are
registered in comments.apps).

Nothing here touches request.user or the session: the article page stays the same for
every anonymous reader and sets no cookie.
"""

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.models import Article

from . import spam
from .listing import known_total, newest_first
from .models import Comment, Status
from .rendering import render_plain_text

FIELDS = ("pk", "parent_id", "name", "body", "created")
_PK_PLACEHOLDER = 987654321


@dataclass
class ShownComment:
    """What the page shows of a comment, prepared in Python: the template only prints it
    (dates, URLs and filters resolved in the template cost more than the two queries)."""

    pk: int
    name: str
    body_html: str
    created_iso: str
    created_text: str
    report_url: str = ""
    editorial_replies: list = field(default_factory=list)


def _shown(row, report_url=""):
    pk, _parent, name, body, created = row
    local = timezone.localtime(created)
    return ShownComment(
        pk=pk,
        name=name,
        body_html=render_plain_text(body),
        created_iso=local.isoformat(timespec="seconds"),
        created_text=f"{local.day} {local:%B %Y}",
        report_url=report_url.replace(str(_PK_PLACEHOLDER), str(pk)),
    )


def page_number(params):
    try:
        number = int(params.get("page", "1"))
    except ValueError:
        return 1
    return number if 1 <= number <= 100_000 else 1


def comment_context(request, article):
    """Context for templates/comments/section.html: at most two queries, however many
    comments there are (the page's top-level comments, newest first, with the total
    counted alongside, then the editorial replies to those comments)."""
    params = request.GET
    number = page_number(params)
    rows, total, pages = newest_first(article, number, FIELDS)
    replies = ()
    if rows:
        # By parent only, filtering the few rows here: with a status condition SQLite's
        # planner walks the status index over every approved comment on the site.
        replies = (
            Comment.objects.filter(parent__in=[row[0] for row in rows])
            .order_by("created", "pk")
            .values_list(*FIELDS, "status", "is_editorial")
        )
    return section_context(article, number, rows, replies, total, pages, params)


def section_context(article, number, rows, replies, total, pages, params, token=None):
    """The section's context from its rows: the page's top-level comments (FIELDS) and
    the replies to them (FIELDS, status, is_editorial), in the order shown."""
    report_url = reverse("comments:report", args=[_PK_PLACEHOLDER])
    comments = [_shown(row, report_url) for row in rows]
    by_pk = {comment.pk: comment for comment in comments}
    width = len(FIELDS)
    for row in replies:
        if row[width] == Status.APPROVED and row[width + 1]:
            by_pk[row[1]].editorial_replies.append(_shown(row[:width]))
    action = reverse("comments:post", args=[article.slug]) + "#comment-form"
    token = spam.sign_timestamp(article.pk) if token is None else token
    return {
        **form_context(None, token, action),
        "article": article,
        "comments": comments,
        "comments_page": number,
        "comments_pages": pages,
        "comments_total": total,
        # Newest first: the next page holds older comments.
        "comments_next_page": number + 1 if number < pages else None,
        "comments_previous_page": number - 1 if number > 1 else None,
        "comment_received": params.get("comment") == "received",
        "comment_reported": params.get("reported") == "1",
    }


def form_context(form, token, action):
    """What templates/comments/form.html needs, wherever the form is shown: under the
    article, on the refused-comment page and on the database-outage page. `form` is a
    CommentForm (bound to show the reader's text and errors) or None for an empty form."""
    return {
        "form": form,
        "comment_token": token,
        "comment_action": action,
        "comment_max_length_text": f"{settings.COMMENT_MAX_LENGTH:,}",
        "comment_max_links": settings.COMMENT_MAX_LINKS,
    }


def section_html(request, article):
    """The comment section for this request: the page and notices its query asks for."""
    return render_to_string("comments/section.html", comment_context(request, article))


# The first page's section, rendered once per content of the rows it shows. The key is
# everything the section prints, read on every request: the page's approved top-level
# comments, the replies to them and the total; the section is rendered from those very
# rows. A comment approved, edited or removed by any means changes the key.
# Kept for the 64 most recently read first pages (each holds its comments' text about
# three times: in its key and twice in its HTML).
_first_pages = OrderedDict()
_first_pages_lock = threading.Lock()
_FIRST_PAGES_KEPT = 64


def _as_the_orm_gives(row, created):
    """A raw row with its `created` column as the ORM returns it (SQLite gives it
    naive; the backend's own converter makes it aware)."""
    convert = getattr(connection.ops, "convert_datetimefield_value", None)
    if convert is None:
        return row
    return (*row[:created], convert(row[created], None, connection), *row[created + 1 :])


def _first_page_rows(article_pk):
    """The first page's rows (FIELDS) and the replies to them (FIELDS, status,
    is_editorial), as the database has them now: raw SQL, two index walks, without the
    ORM's cost of building the queries. Times come as the driver gives them."""
    table = connection.ops.quote_name(Comment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, parent_id, name, body, created FROM {table} "  # noqa: S608 - names from _meta
            "WHERE article_id = %s AND parent_id IS NULL AND status = %s "
            "ORDER BY created DESC, id DESC LIMIT %s",
            [article_pk, Status.APPROVED, settings.COMMENTS_PER_PAGE],
        )
        rows = tuple(cursor.fetchall())
        if not rows:
            return rows, ()
        # By parent only, as comment_context does (see there why).
        marks = ", ".join(["%s"] * len(rows))
        cursor.execute(
            f"SELECT id, parent_id, name, body, created, status, is_editorial FROM {table} "  # noqa: S608
            f"WHERE parent_id IN ({marks}) ORDER BY created, id",
            [row[0] for row in rows],
        )
        replies = tuple(cursor.fetchall())
    return rows, replies


def first_page_html(article_pk, slug):
    """The comment section at the article's plain address (no query string), with a form
    token of its own for this request."""
    rows, replies = _first_page_rows(article_pk)
    total = known_total(article_pk)
    if total is None:  # counted once per content version (comments.listing)
        total = newest_first(Article(pk=article_pk), 1, ("pk",))[1] if rows else 0
    key = (article_pk, slug, total, rows, replies)
    with _first_pages_lock:
        parts = _first_pages.get(key)
        if parts is not None:
            _first_pages.move_to_end(key)
    if parts is None:
        slot = secrets.token_hex(16)
        pages = max(1, -(-total // settings.COMMENTS_PER_PAGE))
        # All the section needs of the article is its pk and its address.
        article = Article(pk=article_pk, slug=slug)
        created = FIELDS.index("created")
        rows = [_as_the_orm_gives(row, created) for row in rows]
        replies = [_as_the_orm_gives(row, created) for row in replies]
        context = section_context(article, 1, rows, replies, total, pages, {}, token=slot)
        parts = render_to_string("comments/section.html", context).split(slot)
        with _first_pages_lock:
            _first_pages[key] = parts
            while len(_first_pages) > _FIRST_PAGES_KEPT:
                _first_pages.popitem(last=False)
    return mark_safe(spam.sign_timestamp(article_pk).join(parts))  # noqa: S308
