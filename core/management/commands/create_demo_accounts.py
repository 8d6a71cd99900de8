"""One demo account per role, for trying the site locally. Debug only.

Creates an account only where the role has none; prints each new username with a
freshly generated password once. No password is stored anywhere else.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

DEMO_ACCOUNTS = {"editor": "Editors", "moderator": "Moderators", "reviewer": "Reviewers"}


class Command(BaseCommand):
    help = "Create demo editor, moderator and reviewer accounts (DJANGO_DEBUG=1 only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local development: set DJANGO_DEBUG=1.")
        User = get_user_model()
        for username, group_name in DEMO_ACCOUNTS.items():
            group = Group.objects.filter(name=group_name).first()
            if group is None:
                raise CommandError("Run `manage.py setup_roles` first.")
            if group.user_set.exists():
                continue
            password = secrets.token_urlsafe(12)
            if User.objects.filter(username=username).exists():
                username = f"{username}-{secrets.token_hex(2)}"
            user = User.objects.create_user(username=username, password=password, is_staff=True)
            user.groups.add(group)
            self.stdout.write(f"{group_name[:-1]} account: {username}  password: {password}")
