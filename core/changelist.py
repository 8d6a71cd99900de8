"""Admin lists answer odd filter values with "?e=1" (the admin's "invalid filter" page)
instead of a 500.

The admin accepts a lookup on any field of the model from the query string and only
builds the query; some values fail when the query is compiled, after the admin's own
checks: "?created__year=0" raises ValueError ("year 0 is out of range"), a huge number
OverflowError on SQLite. Any staff member's odd bookmark (or a crawler in the admin)
would get a server error on every list with a date or number field.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList

_get_results = ChangeList.get_results


def get_results(self, request):
    try:
        return _get_results(self, request)
    except (ValueError, OverflowError) as error:
        raise IncorrectLookupParameters(error) from error


def install():
    """Called once from CoreConfig.ready()."""
    if ChangeList.get_results is not get_results:
        ChangeList.get_results = get_results
