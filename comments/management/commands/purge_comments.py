"""Apply the retention periods the README promises. Run it daily (cron, a systemd timer).

- rejected and spam comments: deleted N days (default 30) after the decision;
- the keyed client and text fingerprints (rate limits, duplicates): cleared on every
  comment after the same N days;
- reader reports: deleted after the same N days;
- commenters' email addresses: cleared after --email-days (default 180), when nobody
  will still reply to them.

Idempotent; prints what it did.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from comments.models import Comment, Report, Status


class Command(BaseCommand):
    help = "Delete old rejected and spam comments; clear old fingerprints, reports and emails."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)
        parser.add_argument("--email-days", type=int, default=180)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, days, email_days, dry_run, **options):
        now = timezone.now()
        cutoff = now - timedelta(days=days)
        email_cutoff = now - timedelta(days=email_days)
        decided = Comment.objects.alias(decided=Coalesce("moderated_at", "created"))
        refused = decided.filter(status__in=[Status.REJECTED, Status.SPAM], decided__lt=cutoff)
        fingerprints = Comment.objects.filter(created__lt=cutoff).exclude(
            client_hash="", body_hash=""
        )
        reports = Report.objects.filter(created__lt=cutoff)
        emails = Comment.objects.filter(created__lt=email_cutoff).exclude(email="")

        counts = {
            "refused": refused.count(),
            "fingerprints": fingerprints.count(),
            "reports": reports.count(),
            "emails": emails.count(),
        }
        if not dry_run:
            with transaction.atomic():
                # Editorial replies to a deleted comment go with it (CASCADE).
                refused.delete()
                fingerprints.update(client_hash="", body_hash="")
                reports.delete()
                emails.update(email="")
        prefix = "would " if dry_run else ""
        self.stdout.write(
            f"{prefix}delete {counts['refused']} rejected or spam comments older than {days} days; "
            f"{prefix}clear fingerprints on {counts['fingerprints']} and emails on "
            f"{counts['emails']} comments; {prefix}delete {counts['reports']} reports."
        )
