"""Medical review: who signed, when, what is due, and what a page may say about it.

A reviewer's signature (a Review row) is the only way a reviewer's name or a review date
reaches a page. Any change to the content after the signature is a change since review;
other apps report theirs through `mark_content_changed` (a signed outcome that changes,
say).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

REVIEW_INTERVAL = datetime.timedelta(days=182)
# Days before the due date at which authors and the reviewer are reminded, each once.
REMINDER_DAYS = (30, 7, 0)
OVERDUE = "overdue"


def mark_content_changed(article, when=None):
    """Record that readers now see different content: the page says "updated since its
    last medical review" until a reviewer signs again, and cached pages are retired."""
    from core.cache import retire_pages_on_commit

    from .models import Article

    when = when or timezone.now()
    Article.objects.filter(pk=article.pk).update(
        content_changed=when, updated=timezone.localdate(when)
    )
    article.content_changed, article.updated = when, timezone.localdate(when)
    from .page import store_page

    store_page(article.pk)
    retire_pages_on_commit()


def review_required():
    return settings.REQUIRE_REVIEW_TO_PUBLISH


def may_publish(user, article):
    """(allowed, before_review): may this user publish the article now?"""
    if article.review_current:
        return True, False
    if not review_required():
        return True, True
    return user.has_perm("articles.publish_before_review"), True


@transaction.atomic
def sign_review(article, profile, next_review_due, note="", when=None):
    """A reviewer signs: a Review row, the article points at it, a revision records it."""
    from .models import Review

    when = when or timezone.now()
    review = Review.objects.create(
        article=article,
        reviewer=profile,
        signed_at=when,
        next_review_due=next_review_due,
        note=note,
    )
    article.last_review = review
    article.version += 1
    article._change_reason = review_note(profile, note)
    article.save()
    return review


def review_note(profile, note):
    """The change note a review leaves in the article's history."""
    return f"Medically reviewed by {profile.public_name}" + (f": {note}" if note else "")


def reminder_due(review, today):
    """The reminder this review needs today and has not had, or None.

    Only the most urgent one is sent: a command that did not run for a while sends the
    7-day reminder, not the 30-day one as well."""
    days = (review.next_review_due - today).days
    if days < 0:
        kind = OVERDUE
    else:
        passed = [d for d in REMINDER_DAYS if days <= d]
        if not passed:
            return None
        kind = str(min(passed))
    return None if kind in review.reminders_sent else kind


def reminder_recipients(review, kind):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if kind == OVERDUE:
        users = User.objects.filter(groups__name="Editors", is_active=True)
    else:
        people = [review.reviewer.user_id, *review.article.authors.values_list("user", flat=True)]
        users = User.objects.filter(pk__in=people, is_active=True)
    return sorted({u.email for u in users if u.email})
