"""Which approved comments a page of the comment section shows: newest first, with the
total, in one query (a window count rides along with the page's rows)."""

from django.conf import settings
from django.db.models import Count, Window

from .models import Comment, Status


def top_level_approved(article):
    return Comment.objects.filter(article=article, parent__isnull=True, status=Status.APPROVED)


def newest_first(article, number, fields):
    """(rows of `fields` for page `number`, total approved top-level comments, pages).

    On a page past the end the rows are empty and the total unknown (0): the section
    then offers the first page."""
    per_page = settings.COMMENTS_PER_PAGE
    offset = (number - 1) * per_page
    rows = list(
        top_level_approved(article)
        .annotate(total=Window(Count("pk")))
        .order_by("-created", "-pk")
        .values_list(*fields, "total")[offset : offset + per_page]
    )
    total = rows[0][-1] if rows else 0
    pages = max(1, -(-total // per_page))
    return [row[:-1] for row in rows], total, pages
