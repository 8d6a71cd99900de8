"""The comment section under an article (templates/comments/section.html), brought into
the article page by the {% comment_section article %} tag (templatetags/comment_tags.py).

Nothing here touches request.user or the session: the article page stays the same for
every anonymous reader and sets no cookie.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from . import spam
from .listing import newest_first
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
    number = page_number(request.GET)
    rows, total, pages = newest_first(article, number, FIELDS)
    report_url = reverse("comments:report", args=[_PK_PLACEHOLDER])
    comments = [_shown(row, report_url) for row in rows]
    if comments:
        by_pk = {comment.pk: comment for comment in comments}
        # By parent only, filtering the few rows here: with a status condition SQLite's
        # planner walks the status index over every approved comment on the site.
        replies = (
            Comment.objects.filter(parent__in=list(by_pk))
            .order_by("created", "pk")
            .values_list(*FIELDS, "status", "is_editorial")
        )
        width = len(FIELDS)
        for row in replies:
            if row[width] == Status.APPROVED and row[width + 1]:
                by_pk[row[1]].editorial_replies.append(_shown(row[:width]))
    action = reverse("comments:post", args=[article.slug]) + "#comment-form"
    return {
        **form_context(None, spam.sign_timestamp(article.pk), action),
        "article": article,
        "comments": comments,
        "comments_page": number,
        "comments_pages": pages,
        "comments_total": total,
        # Newest first: the next page holds older comments.
        "comments_next_page": number + 1 if number < pages else None,
        "comments_previous_page": number - 1 if number > 1 else None,
        "comment_received": request.GET.get("comment") == "received",
        "comment_reported": request.GET.get("reported") == "1",
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
