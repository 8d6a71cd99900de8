"""Create the Editors, Moderators and Reviewers groups with exactly the designed powers.

Idempotent: run it any number of times; each group ends with exactly these permissions.
"""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError

ROLES = {
    # Articles, sections and citations; no comment moderation.
    "Editors": [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.add_section",
        "articles.change_section",
        "articles.delete_section",
        "articles.view_section",
        "articles.view_feedback",
        "citations.add_citation",
        "citations.change_citation",
        "citations.view_citation",
        "citations.view_claimcitation",
        "citations.change_claimsupport",
        "citations.view_claimsupport",
        "certainty.add_outcome",
        "certainty.change_outcome",
        "certainty.delete_outcome",
        "certainty.view_outcome",
    ],
    # Comments and the blocklist; read-only on articles.
    "Moderators": [
        "comments.view_comment",
        "comments.change_comment",
        "comments.add_comment",
        "comments.moderate_comment",
        "comments.view_blockedterm",
        "comments.add_blockedterm",
        "comments.change_blockedterm",
        "comments.delete_blockedterm",
        "articles.view_article",
        "articles.view_section",
    ],
    # Sign an article's medical review; read everything it rests on, edit nothing.
    # "articles.publish_before_review" is in no group: an operator grants it to a person.
    "Reviewers": [
        "articles.review_article",
        "certainty.sign_outcome",
        "certainty.view_outcome",
        "citations.view_claimsupport",
        "articles.view_article",
        "articles.view_section",
        "citations.view_citation",
    ],
}


def permissions_for(codenames):
    found = []
    for dotted in codenames:
        app_label, codename = dotted.split(".")
        try:
            found.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        except Permission.DoesNotExist as exc:
            raise CommandError(f"Permission {dotted} does not exist: run migrate first.") from exc
    return found


class Command(BaseCommand):
    help = "Create or update the Editors, Moderators and Reviewers groups."

    def handle(self, *args, verbosity=1, **options):
        for name, codenames in ROLES.items():
            group, created = Group.objects.get_or_create(name=name)
            wanted = set(permissions_for(codenames))
            current = set(group.permissions.all())
            if created or wanted != current:
                group.permissions.set(wanted)
                self.stdout.write(
                    f"{name}: {'created' if created else 'updated'}, {len(wanted)} permissions"
                )
            else:
                self.stdout.write(f"{name}: unchanged")
