"""One demo account per role, for trying the site locally. Debug only.

Creates an account only where the role has none; prints each new username with a
freshly generated password once. No password is stored anywhere else. Each demo account
gets a staff profile that says plainly it is a demo account, so bylines and the team page
never present it as a real person.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from people.models import PLACEHOLDER_NAME, Profile

DEMO_ACCOUNTS = {"editor": "Editors", "moderator": "Moderators", "reviewer": "Reviewers"}
DEMO_PROFILES = {
    "editor": ("Demo editor", "Health editor: a demo account, not a real person"),
    "moderator": ("Demo moderator", "Comment moderator: a demo account, not a real person"),
    "reviewer": ("Demo reviewer", "Medical reviewer: a demo account, not a real person"),
}


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
                self.give_profile(User.objects.filter(username=username, groups=group).first())
                continue
            password = secrets.token_urlsafe(12)
            user = User.objects.filter(username=username).first()
            if user is not None and not user.has_usable_password() and not user.groups.exists():
                # An author placeholder made by import_content: this is its account.
                user.is_active = user.is_staff = True
                user.set_password(password)
                user.save()
            else:
                if user is not None:
                    username = f"{username}-{secrets.token_hex(2)}"
                user = User.objects.create_user(username=username, password=password, is_staff=True)
            user.groups.add(group)
            self.give_profile(user, DEMO_PROFILES[username.split("-")[0]])
            self.stdout.write(f"{group_name[:-1]} account: {username}  password: {password}")

    def give_profile(self, user, names=None):
        if user is None:
            return
        public_name, role = names or DEMO_PROFILES[user.username.split("-")[0]]
        profile, created = Profile.objects.get_or_create(
            user=user, defaults={"public_name": public_name, "role": role}
        )
        if not created and profile.public_name == PLACEHOLDER_NAME:
            # A placeholder left by import_content: give it the demo wording.
            profile.public_name, profile.role = public_name, role
            profile.save()
        if created:
            profile.bio = "A demo account for trying the site locally."
            profile.save()
