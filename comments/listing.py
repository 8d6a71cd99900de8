"""Which approved comments a page of the comment section shows: newest first, with the
total, in one query however many comments there are.

The page's rows come from the comment_page index (article, status, parent, created, id)
in order, so 20 rows cost 20 index entries, not a sort of every comment. The total is a
count of that index's entries, which grows with the comments: it is counted once per
content version (core.cache: every moderation decision moves it) in each process and
remembered, riding along with the page's rows as a subquery when it is counted.
"""

from django.conf import settings
from django.db.models import Count, IntegerField, Subquery
from django.db.models.functions import Coalesce

from core.cache import content_version

from .models import Comment, Status

# {(article id, content version): approved top-level comments}, this process only.
_totals = {}
_MAX_TOTALS = 1000


def top_level_approved(article):
    return Comment.objects.filter(article=article, parent__isnull=True, status=Status.APPROVED)


def _version():
    try:
        return content_version()
    except Exception:  # the shared cache is down: count every time
        return None


def known_total(article_pk):
    """The approved top-level comments under the article as last counted for the current
    content version in this process, or None when they must be counted."""
    version = _version()
    return None if version is None else _totals.get((article_pk, version))


def newest_first(article, number, fields):
    """(rows of `fields` for page `number`, total approved top-level comments, pages).

    On a page past the end the rows are empty and the total unknown (0): the section
    then offers the first page."""
    per_page = settings.COMMENTS_PER_PAGE
    offset = (number - 1) * per_page
    key = (article.pk, _version())
    total = _totals.get(key) if key[1] is not None else None
    rows = top_level_approved(article).order_by("-created", "-pk")
    if total is not None:
        rows = list(rows.values_list(*fields)[offset : offset + per_page])
        if not rows:
            total = 0  # as when counted: past the end, the total is not shown
    else:
        count = (
            top_level_approved(article)
            .order_by()
            .values("article")
            .annotate(n=Count("pk"))
            .values("n")
        )
        rows = list(
            rows.annotate(
                total=Coalesce(Subquery(count, output_field=IntegerField()), 0)
            ).values_list(*fields, "total")[offset : offset + per_page]
        )
        total = rows[0][-1] if rows else 0
        rows = [row[:-1] for row in rows]
        # No rows on the first page: no comments at all, a total as good as counted.
        if (rows or number == 1) and key[1] is not None:
            if len(_totals) >= _MAX_TOTALS:
                _totals.clear()
            _totals[key] = total
    pages = max(1, -(-total // per_page))
    return rows, total, pages
