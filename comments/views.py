"""Readers' side of comments: the section under the article, posting and reporting.

Readers' POSTs are protected from cross-site submission by core.csrf.same_origin_post
(Origin and Sec-Fetch-Site checks), not by Django's CSRF cookie: a `{% csrf_token %}`
would set a cookie on every anonymous article page, make it vary on Cookie and keep
shared caches from holding it, and a cached page would hand every reader the same
token. A reader's comment changes nothing on their behalf and meets every anti-spam
check whatever its origin, so the browser's own provenance headers are the right guard.

Nothing here touches request.user or the session: the article page stays the same for
every anonymous reader and sets no cookie.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from articles.models import Article
from core.clients import client_hash
from core.csrf import same_origin_post

from . import moderation, spam
from .forms import CommentForm
from .models import BlockedTerm, Comment, Status
from .notifications import notify_new_pending
from .rendering import render_plain_text
from .risk import assess

logger = logging.getLogger(__name__)

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
    comments there are (the top-level comments of the page, one more row to know whether
    a next page exists, then the editorial replies to those comments)."""
    per_page = settings.COMMENTS_PER_PAGE
    number = page_number(request.GET)
    offset = (number - 1) * per_page
    rows = list(
        Comment.objects.filter(article=article, parent__isnull=True, status=Status.APPROVED)
        .order_by("created", "pk")
        .values_list(*FIELDS)[offset : offset + per_page + 1]
    )
    has_next = len(rows) > per_page
    report_url = reverse("comments:report", args=[_PK_PLACEHOLDER])
    comments = [_shown(row, report_url) for row in rows[:per_page]]
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
    return {
        "comments": comments,
        "comments_page": number,
        "comments_next_page": number + 1 if has_next else None,
        "comments_previous_page": number - 1 if number > 1 else None,
        # A refused submission replaces this with the bound form (see refuse()).
        "comment_form": None,
        "comment_token": spam.sign_timestamp(article.pk),
        "comment_max_length_text": f"{settings.COMMENT_MAX_LENGTH:,}",
        "comment_max_links": settings.COMMENT_MAX_LINKS,
        "comment_received": request.GET.get("comment") == "received",
        "comment_reported": request.GET.get("reported") == "1",
    }


def refuse(request, article, form, status, message=None):
    """Show the article again with the reader's text in the form and the reason."""
    from articles.views import render_article  # articles.views imports this module

    if message:
        form.add_error(None, message)
    response = render_article(request, article, status=status, comment_form=form)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def received(article):
    return HttpResponseRedirect(
        article.get_absolute_url() + "?comment=received#comment-form", status=303
    )


@same_origin_post
@require_POST
def post_comment(request, slug):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        return refuse(request, article, form, 400)

    data = form.cleaned_data
    client = client_hash(request)
    fingerprint = spam.body_fingerprint(data["body"], data["name"], data["email"])
    duplicate = Comment.objects.filter(
        article=article, client_hash=client, body_hash=fingerprint
    ).exists()
    if duplicate:  # sent twice (a double click, a reload): stored once
        logger.info("comment on %s sent again; stored once", article.slug)
        return received(article)

    if spam.over_rate_limit(client):
        response = refuse(
            request,
            article,
            form,
            429,
            "You have sent several comments in a short time. Please wait a few minutes, "
            "then send this one again: your text is still here.",
        )
        response.headers["Retry-After"] = str(spam.retry_after_seconds())
        return response

    spam_reason = ""
    if form.is_honeypot_filled:
        spam_reason = "honeypot field filled"
    else:
        terms = BlockedTerm.objects.values_list("kind", "value")
        spam_reason = spam.blocklist_hit([data["name"], data["body"]], terms)

    risk = assess(data["name"], data["body"])
    comment = Comment(
        article=article,
        name=data["name"],
        email=data["email"],
        body=data["body"],
        status=Status.SPAM if spam_reason else Status.PENDING,
        spam_reason=spam_reason,
        risk_flags=risk.flags,
        risk=risk.weight,
        client_hash=client,
        body_hash=fingerprint,
    )
    try:
        with transaction.atomic():
            comment.save()
            if comment.status == Status.PENDING:
                transaction.on_commit(lambda: notify_new_pending(comment))
    except IntegrityError:  # the same comment, sent twice at the same moment
        logger.info("comment on %s sent twice at once; stored once", article.slug)
        return received(article)
    logger.info(
        "comment %s on %s stored as %s%s",
        comment.pk,
        article.slug,
        comment.status,
        f" ({spam_reason})" if spam_reason else "",
    )
    return received(article)


def public_comment_or_404(pk):
    """The comment if a reader can see it (approved, under a published article); else the
    same 404 whether it is pending, rejected, under a draft or missing: a report must not
    tell which comment ids exist, nor name an unpublished article's address."""
    return get_object_or_404(
        Comment.objects.filter(status=Status.APPROVED, article__in=Article.objects.published())
        .select_related("article")
        .only("pk", "article__slug"),
        pk=pk,
    )


@same_origin_post
@require_POST
def report_comment(request, pk):
    comment = public_comment_or_404(pk)
    client = client_hash(request, "report")
    if not spam.over_rate_limit(client, scope="report"):
        moderation.report(comment.pk, client)
    # The same answer whether the report counted, repeated or was over the limit: a reader
    # cannot learn how close a comment is to leaving the page.
    page = page_number(request.POST)
    query = f"?page={page}&reported=1" if page > 1 else "?reported=1"
    return HttpResponseRedirect(
        comment.article.get_absolute_url() + query + "#comments", status=303
    )
