"""The article page, rendered on write.

Everything a reader sees between the review banners and the share links (title, byline,
summary, "How sure are we?", contents, sections, references, legend, what changed) and
the JSON-LD only change when an editor, a reviewer or an import changes the article, its
sections, outcomes, citations or claim checks. Each such change calls `store_page()`
(articles.signals, articles.rerendering, articles.reviews), which renders them once into
Article.body_html and Article.json_ld. A reader's request then renders only the page
around them: the head, the review banners (they follow the date), the share links (the
page's own address), the feedback form, and the comments with their form's signed time.

Nothing a reader typed (comments, feedback) is part of the stored page: it is built from
the sanitized section HTML (articles.rendering) and autoescaped templates, and marked
safe only when it is put into the page.

A page is rendered twice per change: in the transaction that makes it (so the change is
visible at once to whatever reads inside it) and again once the transaction has
committed, with the article's row locked, so that of two editors saving at once the last
render sees both changes. Drafts are rendered live for the staff who may see them.
"""

import json
import logging
import math
import secrets

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from certainty.grading import Certainty
from certainty.models import last_reviewed
from citations.models import EvidenceLevel
from citations.support import Support
from core.cache import retire_pages

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
    if article.body_html == body and article.json_ld == parts:
        return False
    Article.objects.filter(pk=article_id).update(body_html=body, json_ld=parts)
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
