import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from citations.exports import FORMATS
from citations.formatting import web_url
from citations.models import Citation, ClaimCitation, ClaimSupport, EvidenceLevel
from citations.support import sentence_key
from core.clients import client_hash
from core.csrf import same_origin_post
from core.page_cache import cache_for_readers

from .forms import FeedbackForm
from .models import Article, Feedback
from .page import (
    CommentSection,
    article_review_banner,
    live_page,
    page_context,
    reader_page,
    stored_page,
)

# The query strings a reader page may carry, with the only values they take. Any other
# query makes the page uncacheable, so random query strings cannot fill the cache.
CACHEABLE_PARAMS = {
    "page": re.compile(r"[1-9][0-9]{0,4}"),
    "comment": re.compile(r"received"),
    "reported": re.compile(r"1"),
    "feedback": re.compile(r"thanks"),
}


def cacheable_query(query):
    return all(
        name in CACHEABLE_PARAMS
        and len(values) == 1
        and CACHEABLE_PARAMS[name].fullmatch(values[0])
        for name, values in query.lists()
    )


@cache_for_readers
def article_list(request):
    articles = Article.objects.published()
    return render(request, "articles/article_list.html", {"articles": articles})


def render_article(request, article, status=200, **extra):
    """The article page: the page around the stored body (articles.page), or around one
    rendered now for a draft. The feedback view calls it to show a refused form again
    with what the reader typed (extra context: feedback_form)."""
    url = request.build_absolute_uri(article.get_absolute_url())
    parts = stored_page(article, url) if article.is_public else None
    body, structured_data = parts or live_page(article, url)
    banner = article_review_banner(article)
    comments = CommentSection.for_request(request, article)
    context = page_context(article, url, body, structured_data, banner, comments)
    context["feedback_notice"] = request.GET.get("feedback") == "thanks"
    context.update(extra)
    return render(request, "articles/article_detail.html", context, status=status)


def may_preview(user):
    """Staff who may edit or review articles see drafts at their public address."""
    return (
        user.is_active
        and user.is_staff
        and (user.has_perm("articles.change_article") or user.has_perm("articles.review_article"))
    )


def article_detail(request, slug):
    if not request.GET:
        # The plain address of a published article: the whole page stored on write.
        url = request.build_absolute_uri(reverse("articles:detail", args=[slug]))
        page = reader_page(slug, url)
        if page is not None:
            return whole_published_page(request, page)
    # The stored page holds the byline, the references and the change log: a reader's
    # request reads only the review's dates for the banners (a draft's live render loads
    # the rest when it needs it).
    articles = Article.objects.select_related("last_review").defer(
        "references_html", "public_changes", "evidence", "byline"
    )
    article = get_object_or_404(articles, slug=slug)
    if article.is_public:
        return published_article(request, article)
    # A draft: readers get a 404 (the page cache never sees a signed-in request); the
    # staff's copy is never stored by any cache.
    if not may_preview(request.user):
        raise Http404("No such article.")
    response = render_article(request, article)
    patch_cache_control(response, private=True, no_store=True)
    return response


@cache_for_readers(when=lambda request: cacheable_query(request.GET))
def published_article(request, article):
    return render_article(request, article)


@cache_for_readers
def whole_published_page(request, page):
    return HttpResponse(page)


def store_answer(request, article, values):
    """Keep the answer unless this address has given its share today.

    With no cookie, the address is all that tells readers apart, and it is shared (a
    household, an office, a phone network). Each answer is kept beside the others,
    never replacing one (it may be another person's), up to FEEDBACK_ANSWERS_PER_ADDRESS
    per address, article and day; the browser's User-Agent plays no part, so changing
    it buys no more votes. Each answer takes one of the address's numbered slots; the
    unique constraint keeps two racing answers from sharing one."""
    today = timezone.localdate()
    slots = [
        client_hash(request, "feedback", str(today), str(n))
        for n in range(settings.FEEDBACK_ANSWERS_PER_ADDRESS)
    ]
    taken = set(
        Feedback.objects.filter(article=article, day=today, visitor__in=slots).values_list(
            "visitor", flat=True
        )
    )
    free = [slot for slot in slots if slot not in taken]
    if not free:
        return
    try:
        with transaction.atomic():
            Feedback.objects.create(article=article, day=today, visitor=free[0], **values)
    except IntegrityError:  # another answer took the slot at the same moment
        pass


@same_origin_post
def feedback(request, slug):
    """Store a yes/no answer (a few per address, article and day), with no cookie.
    Opening the address (a reload, a new tab) leads to the article's question; a refused
    answer gets a short page of its own with the error next to the form, answer kept."""
    article = get_object_or_404(Article.objects.published(), slug=slug)
    if request.method != "POST":
        return HttpResponseRedirect(f"{article.get_absolute_url()}#feedback", status=303)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        context = {"article": article, "feedback_form": form}
        response = render(request, "articles/feedback_refused.html", context, status=400)
        response.headers["Cache-Control"] = "private, no-store"
        return response
    values = {"helpful": form.cleaned_data["helpful"], "reason": form.cleaned_data["reason"]}
    store_answer(request, article, values)
    return HttpResponseRedirect(
        f"{article.get_absolute_url()}?feedback=thanks#feedback", status=303
    )


@cache_for_readers
def source_detail(request, key):
    """A source's page: its record and the claims of published articles resting on it."""
    citation = get_object_or_404(Citation, key=key)
    claims = (
        ClaimCitation.objects.filter(
            citation=citation, section__article__in=Article.objects.published()
        )
        .select_related("section__article")
        .order_by("section__article__title", "section__order", "position")
    )
    # Each claim with the editor's check of it against this source (or none: not checked).
    supports = {
        (s.article_id, s.sentence_hash): s for s in ClaimSupport.objects.filter(citation=citation)
    }
    claims = list(claims)
    for claim in claims:
        claim.support = supports.get((claim.section.article_id, sentence_key(claim.sentence)))
    context = {
        "citation": citation,
        "claims": claims,
        "evidence_levels": list(EvidenceLevel),
        "web_url": web_url(citation.url),
    }
    return render(request, "citations/citation_detail.html", context)


@cache_for_readers
def article_references(request, slug, fmt):
    """The article's references as a file for reference managers (RIS, BibTeX, CSL-JSON)."""
    if fmt not in FORMATS:
        raise Http404("No such format.")
    article = get_object_or_404(Article.objects.published(), slug=slug)
    rows = (
        ClaimCitation.objects.filter(section__article=article)
        .select_related("citation")
        .order_by("number", "pk")
    )
    citations = list({row.citation.key: row.citation for row in rows}.values())
    build, content_type, extension = FORMATS[fmt]
    response = HttpResponse(build(citations), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slug}-references.{extension}"'
    return response


@cache_for_readers
def updates(request):
    """The article updates as a page people can read (the Atom feed, same items, stays
    for feed readers): newest change first, with each article's public change notes."""
    articles = Article.objects.published().order_by("-content_changed")[:20]
    return render(request, "articles/updates.html", {"articles": articles})
