"""Admin lists answer odd filter values with "?e=1" (the admin's "invalid filter" page)
instead of a 500, and refuse lookups that would read what the lists hide.

The admin accepts a lookup on any field of the model from the query string and only
builds the query; some values fail when the query is compiled, after the admin's own
checks: "?created__year=0" raises ValueError ("year 0 is out of range"), a huge number
OverflowError on SQLite. Any staff member's odd bookmark (or a crawler in the admin)
would get a server error on every list with a date or number field.
"""

from django.contrib.admin.options import BaseModelAdmin, IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.db.models.constants import LOOKUP_SEP

_get_results = ChangeList.get_results
_lookup_allowed = BaseModelAdmin.lookup_allowed
REGEX_LOOKUPS = {"regex", "iregex"}


def get_results(self, request):
    try:
        return _get_results(self, request)
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
    return _lookup_allowed(self, lookup, value, request)


def install():
    """Called once from CoreConfig.ready()."""
    if ChangeList.get_results is not get_results:
        ChangeList.get_results = get_results
    if BaseModelAdmin.lookup_allowed is not lookup_allowed:
        BaseModelAdmin.lookup_allowed = lookup_allowed
