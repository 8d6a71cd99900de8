"""Email medical review reminders: authors and the reviewer 30, 7 and 0 days before the
next review is due, the Editors group once it is overdue. Each reminder is sent once per
review (a new review starts afresh). Run daily (deploy/evidence-health-reminders.timer).
"""

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.reviews import OVERDUE, reminder_due, reminder_recipients


def message(article, review, kind):
    due = review.next_review_due.strftime("%-d %B %Y")
    admin = (settings.SITE_URL or "") + reverse("admin:articles_article_change", args=[article.pk])
    if kind == OVERDUE:
        subject = f"Medical review overdue: {article.title}"
        first = f"The medical review of “{article.title}” was due on {due} and is overdue."
    elif kind == "0":
        subject = f"Medical review due today: {article.title}"
        first = f"The medical review of “{article.title}” is due today, {due}."
    else:
        subject = f"Medical review due in {kind} days: {article.title}"
        first = f"The medical review of “{article.title}” is due on {due}, in {kind} days."
    body = (
        f"{first}\n\nThe page tells readers when a review is overdue. A reviewer signs the "
        f"review in the admin:\n{admin}\n"
    )
    return subject, body


class Command(BaseCommand):
    help = "Email medical review reminders (30, 7, 0 days before due; editors when overdue)."

    def handle(self, *args, **options):
        today = timezone.localdate()
        articles = Article.objects.published().filter(last_review__isnull=False)
        sent = 0
        for article in articles.select_related("last_review__reviewer"):
            review = article.last_review
            kind = reminder_due(review, today)
            if kind is None:
                continue
            recipients = reminder_recipients(review, kind)
            with transaction.atomic():
                # Marked first, in the same transaction: a failed send rolls it back.
                review.reminders_sent = [*review.reminders_sent, kind]
                review.save(update_fields=["reminders_sent"])
                if recipients:
                    subject, body = message(article, review, kind)
                    send_mail(subject, body, None, recipients)
            sent += 1
            self.stdout.write(f"{article.slug}: {kind} reminder to {len(recipients)} people")
        self.stdout.write(f"{sent} reminder(s) sent.")
