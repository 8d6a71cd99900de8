"""Readers' side of comments: posting and reporting (the section under the article is
comments/section.py).

Readers' POSTs are protected from cross-site submission by core.csrf.same_origin_post
(Origin and Sec-Fetch-Site checks), not by Django's CSRF cookie: a `{% csrf_token %}`
would set a cookie on every anonymous article page, make it vary on Cookie and keep
shared caches from holding it, and a cached page would hand every reader the same
token. A reader's comment changes nothing on their behalf and meets every anti-spam
check whatever its origin, so the browser's own provenance headers are the right guard.
"""

import logging

from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from articles.models import Article
from core.clients import client_hash
from core.csrf import same_origin_post
from core.outage import outage_page

from . import moderation, spam
from .forms import CommentForm
from .models import BlockedTerm, Comment, ReportReason, Status
from .notifications import notify_new_pending
from .risk import assess
from .section import form_context, page_number

logger = logging.getLogger(__name__)


def refuse(request, article, form, status, message=None):
    """The comment was not accepted: a short page of its own with the reader's text in
    the form, the reasons and a link back to the article."""
    if message:
        form.add_error(None, message)
    action = reverse("comments:post", args=[article.slug]) + "#comment-form"
    context = {"article": article, **form_context(form, spam.sign_timestamp(article.pk), action)}
    response = render(request, "comments/refused.html", context, status=status)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def not_saved_context(request, slug):
    """The database-outage page for a comment (core.outage): the reader's text, the token
    they sent, no database query."""
    post = request.POST
    fields = ("name", "email", "body", "website")
    form = CommentForm(initial={name: post.get(name, "") for name in fields}, article=None)
    return {
        **form_context(form, post.get("token", ""), request.path),
        "article_url": reverse("articles:detail", args=[slug]) + "#comment-form",
    }


def received(request, article, risk):
    """The page a commenter sees next. Everyday comments: back to the article's form with
    the thank-you (one shared, cacheable URL). A comment that raised the self-harm flag:
    this response itself, a short page that puts the crisis lines first and the thank-you
    after, sent only to this commenter (no redirect, so no URL carries the flag; private,
    never stored; no cookie). Nothing public changes."""
    if not risk.self_harm:
        return HttpResponseRedirect(
            article.get_absolute_url() + "?comment=received#comment-form", status=303
        )
    response = render(request, "comments/help_now.html", {"article": article})
    response.headers["Cache-Control"] = "private, no-store"
    return response


@outage_page(not_saved_context, "comments/not_saved.html")
@same_origin_post
def post_comment(request, slug):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    if request.method != "POST":  # a reload or a new tab on the form's address
        return HttpResponseRedirect(f"{article.get_absolute_url()}#comment-form", status=303)
    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        return refuse(request, article, form, 400)

    data = form.cleaned_data
    risk = assess(data["name"], data["body"])
    client = client_hash(request)
    fingerprint = spam.body_fingerprint(data["body"], data["name"], data["email"])
    duplicate = Comment.objects.filter(
        article=article, client_hash=client, body_hash=fingerprint
    ).exists()
    if duplicate:  # sent twice (a double click, a reload): stored once
        logger.info("comment on %s sent again; stored once", article.slug)
        return received(request, article, risk)

    if not spam.spend_token(data["token"], client):
        return refuse(
            request,
            article,
            form,
            400,
            "This form was already used to send a comment. Your text is still here: "
            "please send it again.",
        )

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
        return received(request, article, risk)
    logger.info(
        "comment %s on %s stored as %s%s",
        comment.pk,
        article.slug,
        comment.status,
        f" ({spam_reason})" if spam_reason else "",
    )
    return received(request, article, risk)


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
@require_http_methods(["GET", "HEAD", "POST"])
def report_comment(request, pk):
    """GET: a short form (an optional reason, a button, a way back). POST: the report."""
    comment = public_comment_or_404(pk)
    page = page_number(request.POST if request.method == "POST" else request.GET)
    if request.method != "POST":
        return report_form(request, comment, page)
    client = client_hash(request, "report")
    reason = request.POST.get("reason", "")
    reason = reason if reason in ReportReason.values else ""
    if not spam.over_rate_limit(client, scope="report"):
        moderation.report(comment.pk, client, reason)
    # The same answer whether the report counted, repeated or was over the limit: a reader
    # cannot learn how close a comment is to leaving the page.
    query = f"?page={page}&reported=1" if page > 1 else "?reported=1"
    return HttpResponseRedirect(
        comment.article.get_absolute_url() + query + "#comments", status=303
    )


def report_form(request, comment, page):
    shown = Comment.objects.only("name", "body").get(pk=comment.pk)
    back = comment.article.get_absolute_url() + (f"?page={page}" if page > 1 else "")
    context = {
        "comment": comment,
        "excerpt": shown.body if len(shown.body) <= 300 else shown.body[:299] + "…",
        "name": shown.name,
        "reasons": ReportReason.choices,
        "page": page,
        "back_url": f"{back}#comment-{comment.pk}",
    }
    return render(request, "comments/report.html", context)
