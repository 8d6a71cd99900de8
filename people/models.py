"""Staff profiles: the named people behind every byline and every medical review."""

from django.conf import settings
from django.db import models
from django.urls import reverse

# The public name of a profile import_content made for an author with no account yet:
# honest on a page, and never the login name.
PLACEHOLDER_NAME = "Author profile to be completed"


class ProfileQuerySet(models.QuerySet):
    def listed(self):
        """The profiles the team page shows: people with a public name."""
        return self.exclude(public_name=PLACEHOLDER_NAME).select_related("user")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="profile"
    )
    public_name = models.CharField(
        max_length=120, help_text="As readers see it in bylines, e.g. “Dr Amina Okafor”."
    )
    role = models.CharField(
        "role or credentials",
        max_length=200,
        blank=True,
        help_text="E.g. “Consultant psychiatrist” or “Health editor”.",
    )
    bio = models.TextField("short bio", blank=True)
    conflicts = models.TextField(
        "conflicts of interest",
        default="None declared",
        help_text="Payments, shares, ties or beliefs a reader should know about; "
        "“None declared” if there are none.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Place on the team page.")

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["order", "public_name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(public_name=""), name="profile_has_public_name"
            )
        ]

    def __str__(self):
        return self.public_name

    def get_absolute_url(self):
        return reverse("people:team") + f"#{self.anchor}"

    @property
    def anchor(self):
        return f"person-{self.pk}"

    @property
    def credit(self):
        """Name and credentials, as a byline shows them."""
        return f"{self.public_name}, {self.role}" if self.role else self.public_name


def profile_for(user):
    """The user's profile, or None (a login name is never a public name)."""
    if user is None or not getattr(user, "pk", None):
        return None
    return Profile.objects.filter(user=user).first()


def author_profile(username):
    """The profile of the staff member with this username; (profile, created).

    An author named in content/ who has no account yet (a fresh database: accounts are
    not content) gets an inactive account that cannot sign in and a placeholder profile,
    to be completed in the admin.
    """
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username, is_active=False, is_staff=False)
        user.set_unusable_password()
        user.save()
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        profile = Profile.objects.create(user=user, public_name=PLACEHOLDER_NAME, conflicts="")
        created = True
    return profile, created
