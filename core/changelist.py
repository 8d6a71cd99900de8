"""The rules every admin list of the site follows, through the admin's documented hooks
(`ModelAdmin.get_changelist()` and `ModelAdmin.lookup_allowed()`): odd filter values get
"?e=1" (the admin's "invalid filter" page) instead of a 500, and no lookup reads what the
lists hide.

The admin accepts a lookup on any field of the model from the query string and only
builds the query; some values fail when the query is compiled, after the admin's own
checks: "?created__year=0" raises ValueError ("year 0 is out of range"), a huge number
OverflowError on SQLite. Any staff member's odd bookmark (or a crawler in the admin)
would get a server error on every list with a date or number field.

The site's admins subclass `ModelAdmin` below (or mix in `SafeListsMixin`); core/admin.py
registers Django's and the third-party admins (users, groups, sign-in attempts) again
with the mixin. tests/security/test_admin_lookups.py checks that every admin has it.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.db.models.constants import LOOKUP_SEP

REGEX_LOOKUPS = {"regex", "iregex"}


class SafeChangeList(ChangeList):
    def get_results(self, request):
        try:
            return super().get_results(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


def is_hidden(model, name):
    """Keyed hashes (of a client, a text, a visitor) and passwords: never looked up.

    A model names others in `admin_hidden_fields`."""
    return (
        name.endswith("_hash")
        or name == "password"
        or name in getattr(model, "admin_hidden_fields", ())
    )


def reads_hidden_field(model, lookup):
    for part in lookup.split(LOOKUP_SEP):
        if is_hidden(model, part):
            return True
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
    return False


class SafeListsMixin:
    """For a ModelAdmin: its list answers odd values with "?e=1" and refuses lookups on
    hidden fields and regular expressions."""

    def get_changelist(self, request, **kwargs):
        return SafeChangeList

    def lookup_allowed(self, lookup, value, request):
        """The admin accepts a lookup on any field of the model from the query string.

        Not on a hash: `?client_hash__startswith=a`, one character at a time, recovers a
        commenter's hash and lists everything sent from their address. Not a regular
        expression on any field: with SQLite, Python's `re` runs inside the query and a
        backtracking pattern holds the worker for minutes."""
        if REGEX_LOOKUPS & set(lookup.split(LOOKUP_SEP)):
            return False
        if reads_hidden_field(self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)


class ModelAdmin(SafeListsMixin, admin.ModelAdmin):
    """admin.ModelAdmin with the site's list rules: the base of the site's admins."""


def register_safely(site, model):
    """Register `model` again on `site` with its admin class and the list rules (for
    admins the site does not write: Django's users and groups, django-axes' logs)."""
    current = type(site.get_model_admin(model))
    if issubclass(current, SafeListsMixin):
        return
    site.unregister(model)
    site.register(model, type(current.__name__, (SafeListsMixin, current), {}))
